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

    /// <summary>SQLite's own ceiling on memory-mapped I/O (SQLITE_MAX_MMAP_SIZE, 0x7fff0000 bytes).</summary>
    public const int MaxSqliteMemoryMapMegabytes = 2047;

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// Always taken from <c>ConnectionStrings:ChatOps</c> (a <c>Storage:ConnectionString</c> key is ignored). For SQLite
    /// a relative <c>Data Source</c> is resolved against the host's content root, not the current directory.
    /// </summary>
    public string ConnectionString { get; set; } = DefaultSqliteConnectionString;

    /// <summary>How long a statement waits for another writer's lock before failing.</summary>
    public int BusyTimeoutSeconds { get; set; } = 5;

    public SqliteDurability SqliteDurability { get; set; } = SqliteDurability.Normal;

    /// <summary>
    /// How much of the SQLite file each connection reads through a memory map instead of read() calls (its
    /// <c>mmap_size</c>); 0 turns it off. Detection looks up thousands of old clicks on random pages of a multi-gigabyte
    /// file: reading those pages through the map took the worst case of 1,000 alerts from about 140 ms to under 100 ms.
    /// SQLite maps the file read-only (writes still go through write()), so a stray write in the process cannot reach
    /// the database; the price is that a disk I/O error while reading surfaces as a crash (SIGBUS) rather than an
    /// error, which is why it can be turned off.
    /// </summary>
    public int SqliteMemoryMapMegabytes { get; set; } = MaxSqliteMemoryMapMegabytes;
}
