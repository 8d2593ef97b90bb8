using Npgsql;

namespace ChatOpsBot.Storage.Postgres;

/// <summary>The checked form of a PostgreSQL connection string, and a description of it that is safe to log
/// (<c>postgresql://host:port/database</c>: no user, no password).</summary>
internal sealed record PostgresDatabaseLocation(string ConnectionString, string Description)
{
    /// <summary>Set when the connection string names no application, so the server's activity views show the bot.</summary>
    public const string DefaultApplicationName = "chatops-bot";

    /// <summary>
    /// Parses <paramref name="connectionString"/> (Npgsql's keyword form). Errors name the problem and never echo
    /// the connection string, which may carry a password.
    /// </summary>
    public static bool TryResolve(string? connectionString, out PostgresDatabaseLocation? location, out string? error)
    {
        location = null;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            error = "Storage:Provider is 'Postgres' but ConnectionStrings:ChatOps is empty; set it to e.g. " +
                "'Host=db.internal;Database=chatops;Username=chatops' (the password from an environment variable or PGPASSFILE, not appsettings).";
            return false;
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
        {
            error = "ConnectionStrings:ChatOps is not a valid PostgreSQL connection string " +
                "(expected Npgsql's keyword form, e.g. 'Host=db.internal;Database=chatops;Username=chatops').";
            return false;
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            error = "ConnectionStrings:ChatOps has no Host; name the PostgreSQL server, e.g. 'Host=db.internal'.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            error = "ConnectionStrings:ChatOps has no Database; name the bot's database, e.g. 'Database=chatops'.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(builder.Username))
        {
            error = "ConnectionStrings:ChatOps has no Username; name the role the bot connects as, e.g. 'Username=chatops'.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(builder.ApplicationName))
        {
            builder.ApplicationName = DefaultApplicationName;
        }

        // Never needed by the bot, and the only way the password could reach a connection string shown elsewhere.
        builder.PersistSecurityInfo = false;
        location = new PostgresDatabaseLocation(builder.ConnectionString, $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}");
        error = null;
        return true;
    }
}
