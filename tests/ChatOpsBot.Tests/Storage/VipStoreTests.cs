using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Stores;

namespace ChatOpsBot.Tests.Storage;

public abstract class VipStoreTests : IAsyncLifetime
{
    private StoreDatabase _database = null!;
    private VipStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await StoreDatabase.CreateMigratedAsync(Provider);
        _store = new VipStore(_database.Connections);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    protected abstract StorageProvider Provider { get; }

    [ProviderFact]
    public async Task AddedVipIsListedAsGiven()
    {
        var vip = new StoredVip("Dana Whitfield", "Dana.Whitfield@Example.com", "aad-object-1", _database.Time.GetUtcNow());

        (await _store.AddAsync(vip, CancellationToken.None)).ShouldBeTrue();

        (await _store.ListAsync(CancellationToken.None)).ShouldBe([vip]);
    }

    [ProviderFact]
    public async Task AddressDifferingOnlyInCaseIsAlreadyListed()
    {
        await _store.AddAsync(new StoredVip("Dana Whitfield", "dana.whitfield@example.com", "a", _database.Time.GetUtcNow()), CancellationToken.None);

        (await _store.AddAsync(new StoredVip("D. Whitfield", " DANA.Whitfield@EXAMPLE.COM ", "b", _database.Time.GetUtcNow()), CancellationToken.None))
            .ShouldBeFalse();

        (await _store.ListAsync(CancellationToken.None)).Single().DisplayName.ShouldBe("Dana Whitfield");
    }

    [ProviderFact]
    public async Task NonAsciiAddressesCompareCaseInsensitivelyToo()
    {
        await _store.AddAsync(new StoredVip("Ärzte", "ÄRZTE@beispiel.de", "a", _database.Time.GetUtcNow()), CancellationToken.None);

        (await _store.AddAsync(new StoredVip("Ärzte", "ärzte@beispiel.de", "a", _database.Time.GetUtcNow()), CancellationToken.None)).ShouldBeFalse();
        (await _store.RemoveAsync("äRZTE@BEISPIEL.DE", CancellationToken.None)).ShouldBeTrue();
    }

    [ProviderFact]
    public async Task RemoveIgnoresCaseAndReportsWhetherItWasListed()
    {
        await _store.AddAsync(new StoredVip("Dana Whitfield", "dana@example.com", "a", _database.Time.GetUtcNow()), CancellationToken.None);

        (await _store.RemoveAsync("DANA@example.COM", CancellationToken.None)).ShouldBeTrue();
        (await _store.RemoveAsync("dana@example.com", CancellationToken.None)).ShouldBeFalse();
        (await _store.RemoveAsync("not an address", CancellationToken.None)).ShouldBeFalse();
        (await _store.ListAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [ProviderFact]
    public async Task ListIsOrderedByAddress()
    {
        foreach (string email in new[] { "zoe@example.com", "Adam@example.com", "mia@example.com" })
        {
            await _store.AddAsync(new StoredVip(email, email, "a", _database.Time.GetUtcNow()), CancellationToken.None);
        }

        (await _store.ListAsync(CancellationToken.None)).Select(vip => vip.Email).ShouldBe(["Adam@example.com", "mia@example.com", "zoe@example.com"]);
    }

    [ProviderTheory]
    [InlineData("", "Dana")]
    [InlineData("dana", "Dana")]
    [InlineData("dana@", "Dana")]
    [InlineData("@example.com", "Dana")]
    [InlineData("dana smith@example.com", "Dana")]
    [InlineData("dana\n@example.com", "Dana")]
    [InlineData("dana@example.com", " ")]
    public async Task InvalidVipIsRefused(string email, string displayName)
    {
        await Should.ThrowAsync<ArgumentException>(
            _store.AddAsync(new StoredVip(displayName, email, "a", _database.Time.GetUtcNow()), CancellationToken.None));

        (await _store.ListAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [ProviderFact]
    public async Task OverlongFieldsAreRefused()
    {
        string longAddress = new string('a', StorageLimits.VipEmailMaxLength) + "@example.com";
        string longName = new('n', StorageLimits.VipDisplayNameMaxLength + 1);

        await Should.ThrowAsync<ArgumentException>(_store.AddAsync(new StoredVip("Dana", longAddress, "a", _database.Time.GetUtcNow()), CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(_store.AddAsync(new StoredVip(longName, "dana@example.com", "a", _database.Time.GetUtcNow()), CancellationToken.None));
    }
}

public sealed class SqliteVipStoreTests : VipStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[PostgresSuite]
public sealed class PostgresVipStoreTests : VipStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
