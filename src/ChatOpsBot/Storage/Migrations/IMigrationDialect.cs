using System.Data.Common;

namespace ChatOpsBot.Storage.Migrations;

/// <summary>
/// What a provider adds to the shared migration runner. This is the seam for PostgreSQL: its dialect takes a
/// session-level advisory lock (<c>pg_advisory_lock</c>) in <see cref="AcquireMigrationLockAsync"/>, so instances that
/// start together migrate one after the other, and renders the dialect tokens in <see cref="Render"/>.
/// </summary>
internal interface IMigrationDialect
{
    /// <summary>Replaces every <c>{{token}}</c> of <see cref="MigrationCatalog.DialectTokens"/> in a shared script.</summary>
    string Render(string script);

    /// <summary>Held for the whole migration run; disposing it releases the lock.</summary>
    Task<IAsyncDisposable> AcquireMigrationLockAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// A transaction that holds the database's write lock from its first statement, so the runner's "is this version
    /// applied yet?" check and the migration itself cannot interleave with another instance's.
    /// </summary>
    Task<DbTransaction> BeginMigrationTransactionAsync(DbConnection connection, CancellationToken cancellationToken);
}
