using ChatOpsBot.Storage;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Tests.Storage;

/// <summary>
/// Where a host-level suite keeps its state, per provider: a SQLite file in the suite's folder, or a fresh database on
/// the PostgreSQL test server. <see cref="Apply"/> points a host's settings at it; hosts built one after another on it
/// see each other's state, as a restart does.
/// </summary>
internal sealed class ProviderStorage : IAsyncDisposable
{
    private PostgresTestDatabase? _postgres;

    private ProviderStorage(StorageProvider provider, string folder, PostgresTestDatabase? postgres)
    {
        Provider = provider;
        Folder = folder;
        _postgres = postgres;
    }

    public StorageProvider Provider { get; }

    public string Folder { get; }

    /// <summary>The connection string a host gets in <c>ConnectionStrings:ChatOps</c>.</summary>
    public string ConnectionString => _postgres?.ConnectionString ?? $"Data Source={Path.Combine(Folder, "chatops.db")}";

    public static async Task<ProviderStorage> CreateAsync(StorageProvider provider, string folder) => provider switch
    {
        StorageProvider.Sqlite => new ProviderStorage(provider, folder, null),
        StorageProvider.Postgres => new ProviderStorage(provider, folder, await PostgresTestDatabase.CreateAsync()),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public void Apply(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["Storage:Provider"] = Provider.ToString();
        settings["ConnectionStrings:ChatOps"] = ConnectionString;
    }

    /// <summary>Throws the state away: the next host starts on an empty database.</summary>
    public async Task ResetAsync()
    {
        if (_postgres is null)
        {
            TestDatabase.ReleaseAndDeleteFolder(Folder);
            return;
        }

        await _postgres.DisposeAsync();
        _postgres = await PostgresTestDatabase.CreateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        TestDatabase.ReleaseAndDeleteFolder(Folder);
    }
}
