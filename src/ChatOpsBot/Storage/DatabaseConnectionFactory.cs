using System.Data.Common;

namespace ChatOpsBot.Storage;

/// <summary>
/// The one seam between the stores and the database engine: opens connections with the settings every store relies
/// on, starts write transactions with the isolation the stores' read-then-write steps need, and carries the few SQL
/// differences. Every store is written once over ADO.NET against this; SQLite and PostgreSQL implement it.
/// </summary>
internal abstract class DatabaseConnectionFactory
{
    public abstract StorageProvider Provider { get; }

    /// <summary>Names the database for logs and errors (a file path, or host/port/database): never credentials.</summary>
    public abstract string Description { get; }

    /// <summary>A pooled, open connection; the caller disposes it.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A transaction in which read-then-write steps cannot interleave with another writer's, on this instance or
    /// another. SQLite: <c>BEGIN IMMEDIATE</c> (the database's single write lock). PostgreSQL: READ COMMITTED plus a
    /// transaction-level advisory lock (<c>pg_advisory_xact_lock</c>) that every such transaction takes first, i.e.
    /// the same one-writer-at-a-time rule, across instances, released at commit or rollback.
    /// </summary>
    public abstract Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// A <see cref="DbDataSource"/> over the same database for libraries that open their own connections (Quartz's
    /// ADO job store). Connections from it do not get the per-connection settings of <see cref="OpenAsync"/>.
    /// </summary>
    public abstract DbDataSource DataSource { get; }

    /// <summary>Appended to a <c>SELECT</c> whose rows the transaction is about to change: <c> FOR UPDATE SKIP LOCKED</c>
    /// on PostgreSQL; empty on SQLite, whose write transaction already excludes every other writer.</summary>
    public abstract string ForUpdateSkipLocked { get; }

    /// <summary>Provider work before the first connection (SQLite: create the file readable by this user only).</summary>
    public virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Provider work on the start-up connection before migrations (SQLite: switch to WAL).</summary>
    public virtual Task ConfigureDatabaseAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Provider work after a clean stop; best effort (SQLite: fold the write-ahead log back).</summary>
    public virtual Task OnStoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
