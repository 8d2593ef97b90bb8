using Microsoft.Data.Sqlite;

namespace ChatOpsBot.Storage.Sqlite;

/// <summary>The checked and resolved form of a SQLite connection string.</summary>
internal sealed record SqliteDatabaseLocation(string ConnectionString, string DatabasePath)
{
    /// <summary>
    /// Parses <paramref name="connectionString"/> and resolves a relative data source against
    /// <paramref name="contentRootPath"/>. Errors name the problem, never the connection string itself.
    /// </summary>
    public static bool TryResolve(string connectionString, string contentRootPath, out SqliteDatabaseLocation? location, out string? error)
    {
        location = null;
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            error = "ConnectionStrings:ChatOps is not a valid SQLite connection string (expected e.g. 'Data Source=data/chatops.db').";
            return false;
        }

        string dataSource = builder.DataSource.Trim();
        if (dataSource.Length == 0)
        {
            error = "ConnectionStrings:ChatOps has no Data Source; name a database file, e.g. 'Data Source=data/chatops.db'.";
            return false;
        }

        if (builder.Mode == SqliteOpenMode.Memory || dataSource.Equals(":memory:", StringComparison.OrdinalIgnoreCase))
        {
            error = "ConnectionStrings:ChatOps names an in-memory SQLite database; the bot's state must survive a restart, so name a file.";
            return false;
        }

        if (builder.Mode == SqliteOpenMode.ReadOnly)
        {
            error = "ConnectionStrings:ChatOps opens the database read-only; the bot writes (migrations, audit, outbox), so drop 'Mode=ReadOnly'.";
            return false;
        }

        if (dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            error = "ConnectionStrings:ChatOps uses a 'file:' URI; give the Data Source as a plain path.";
            return false;
        }

        string path = Path.GetFullPath(Path.IsPathRooted(dataSource) ? dataSource : Path.Combine(contentRootPath, dataSource));
        if (Directory.Exists(path))
        {
            error = "ConnectionStrings:ChatOps names a directory as its Data Source; name a database file inside it.";
            return false;
        }

        builder.DataSource = path;
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        // The stores issue their own PRAGMAs on open (SqliteConnectionFactory), so foreign keys are on whatever this says.
        builder.ForeignKeys = null;
        location = new SqliteDatabaseLocation(builder.ToString(), path);
        error = null;
        return true;
    }
}
