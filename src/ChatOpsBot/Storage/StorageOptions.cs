namespace ChatOpsBot.Storage;

public enum StorageProvider
{
    Sqlite,
    Postgres,
}

/// <summary>How hard SQLite pushes each commit to disk (its <c>synchronous</c> setting, in WAL mode).</summary>
public enum SqliteDurability
{
    /// <summary>A process crash loses no committed write; a power cut or OS crash may lose the last commits (never corrupts).</summary>
    Normal,

    /// <summary>Every commit is fsync'ed: survives power loss too, at the cost of one disk flush per write.</summary>
    Full,
}

/// <summary>The <c>Storage</c> section plus <c>ConnectionStrings:ChatOps</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string ConnectionStringName = "ChatOps";

    /// <summary>Used when <c>ConnectionStrings:ChatOps</c> is absent or empty: zero configuration for one instance.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=data/chatops.db";

    public const int MinBusyTimeoutSeconds = 1;
    public const int MaxBusyTimeoutSeconds = 300;

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// Always taken from <c>ConnectionStrings:ChatOps</c> (a <c>Storage:ConnectionString</c> key is ignored). For SQLite
    /// a relative <c>Data Source</c> is resolved against the host's content root, not the current directory.
    /// </summary>
    public string ConnectionString { get; set; } = DefaultSqliteConnectionString;

    /// <summary>How long a statement waits for another writer's lock before failing.</summary>
    public int BusyTimeoutSeconds { get; set; } = 5;

    public SqliteDurability SqliteDurability { get; set; } = SqliteDurability.Normal;
}
