using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ChatOpsBot.Alerts.Storage;

/// <summary>
/// <see cref="ClickStore.InsertNewAsync"/> on SQLite: the same statement, stepped through SQLite's own API with values
/// bound by position (text through <see cref="SqliteTextBinder"/>). Through ADO.NET each of the 18 parameters of
/// each row cost a binder object, a parameter-name look-up and a byte array per string: 2.5 KB and more CPU time than
/// SQLite's own insert work per click, with the URL monitor storing tens of thousands of clicks per run.
/// </summary>
internal static class SqliteClickInserter
{
    public static List<StoredClick> InsertNew(
        SqliteConnection connection, string sql, string[] parameterNames, IReadOnlyList<StoredClick> clicks, long ingestedAt, CancellationToken cancellationToken)
    {
        sqlite3 database = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        int rc = raw.sqlite3_prepare_v2(database, sql, out sqlite3_stmt statement);
        SqliteException.ThrowExceptionForRC(rc, database);
        var inserted = new List<StoredClick>();
        using var text = new SqliteTextBinder(database);
        using (statement)
        {
            int[] at = [.. parameterNames.Select(name => raw.sqlite3_bind_parameter_index(statement, name))];
            if (at.Any(index => index == 0))
            {
                throw new InvalidOperationException("The click insert statement lacks a parameter it is bound with.");
            }

            foreach (StoredClick click in clicks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                text.Bind(statement, at[0], click.Fingerprint);
                Check(raw.sqlite3_bind_int64(statement, at[1], UnixTime.ToMilliseconds(click.ClickedAt)), database);
                text.Bind(statement, at[2], click.Url);
                text.Bind(statement, at[3], click.NormalizedUrl);
                text.Bind(statement, at[4], click.RegistrableDomain);
                text.Bind(statement, at[5], click.UserEmail);
                text.Bind(statement, at[6], click.SenderEmail);
                text.Bind(statement, at[7], click.Subject);
                text.Bind(statement, at[8], click.MessageId);
                text.Bind(statement, at[9], click.Action);
                text.Bind(statement, at[10], click.ScanResult);
                text.Bind(statement, at[11], click.CreationMethod);
                text.Bind(statement, at[12], click.Route);
                text.Bind(statement, at[13], click.Category);
                text.Bind(statement, at[14], click.TtpDefinition);
                text.Bind(statement, at[15], click.SendingIp);
                text.Bind(statement, at[16], click.Disposition);
                Check(raw.sqlite3_bind_int64(statement, at[17], ingestedAt), database);

                rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE)
                {
                    raw.sqlite3_reset(statement);
                    SqliteException.ThrowExceptionForRC(rc, database);
                }

                // ON CONFLICT DO NOTHING: no row changed means the fingerprint was already stored.
                if (raw.sqlite3_changes(database) == 1)
                {
                    inserted.Add(click);
                }

                Check(raw.sqlite3_reset(statement), database);
            }
        }

        return inserted;
    }

    private static void Check(int rc, sqlite3 database) => SqliteException.ThrowExceptionForRC(rc, database);
}
