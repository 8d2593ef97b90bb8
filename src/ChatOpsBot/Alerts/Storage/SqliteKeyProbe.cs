using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ChatOpsBot.Alerts.Storage;

/// <summary>
/// Whether a one-row query with a text <c>@key</c> and an integer <c>@since</c> finds anything, stepped through
/// SQLite's own API. Detection asks this once per distinct allowed URL of a chunk ("was it seen malicious before?"),
/// tens of thousands of times per monitor run, and almost always hears "no": through ADO.NET each question built a
/// reader, a record and a parameter binder, several times the cost of the indexed look-up itself.
/// </summary>
internal sealed class SqliteKeyProbe : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private readonly int _keyIndex;
    private readonly int _sinceIndex;
    private readonly SqliteTextBinder _text;

    public SqliteKeyProbe(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _database = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        _text = new SqliteTextBinder(_database);
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_database, sql, out _statement), _database);
        _keyIndex = raw.sqlite3_bind_parameter_index(_statement, "@key");
        _sinceIndex = raw.sqlite3_bind_parameter_index(_statement, "@since");
        if (_keyIndex == 0 || _sinceIndex == 0)
        {
            _statement.Dispose();
            throw new InvalidOperationException("A key probe needs the parameters @key and @since.");
        }
    }

    public bool Exists(string key, long since)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            _text.Bind(_statement, _keyIndex, key);
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(_statement, _sinceIndex, since), _database);
            int rc = raw.sqlite3_step(_statement);
            if (rc is not (raw.SQLITE_ROW or raw.SQLITE_DONE))
            {
                SqliteException.ThrowExceptionForRC(rc, _database);
            }

            return rc == raw.SQLITE_ROW;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose()
    {
        _statement.Dispose();
        _text.Dispose();
    }
}
