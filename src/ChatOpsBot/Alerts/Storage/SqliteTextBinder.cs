using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ChatOpsBot.Alerts.Storage;

/// <summary>
/// Binds text to statements stepped through SQLite's own API, encoded exactly as Microsoft.Data.Sqlite encodes it
/// (UTF-8, a lone surrogate as U+FFFD) so both paths store the same bytes, through one pooled buffer reused for every
/// value instead of a byte array per value.
/// </summary>
internal sealed class SqliteTextBinder(sqlite3 database) : IDisposable
{
    private byte[] _utf8 = [];

    /// <summary>Binds <paramref name="value"/>, or NULL when it is null; SQLite's error is raised as a <see cref="SqliteException"/>.</summary>
    public void Bind(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_null(statement, index), database);
            return;
        }

        int most = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (most > _utf8.Length)
        {
            Release();
            _utf8 = ArrayPool<byte>.Shared.Rent(Math.Max(most, 1024));
        }

        int length = Encoding.UTF8.GetBytes(value, _utf8);

        // SQLitePCLRaw binds a span as SQLITE_TRANSIENT: SQLite copies the bytes, so the buffer is free for the next value.
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text(statement, index, _utf8.AsSpan(0, length)), database);
    }

    public void Dispose() => Release();

    private void Release()
    {
        if (_utf8.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_utf8);
            _utf8 = [];
        }
    }
}
