using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Sqlite;
using ChatOpsBot.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Tests.Storage;

public sealed class VipSeedingTests : IDisposable
{
    private readonly string _root = TestDatabase.NewFolder();

    public void Dispose()
    {
        TestDatabase.DeleteFolder(_root);
    }

    [Fact]
    public async Task ConfiguredVipsSeedAnEmptyListOnFirstStart()
    {
        IReadOnlyList<StoredVip> vips = await StartAndListAsync(Vips(("Dana Whitfield", "dana@example.com"), ("Lee Park", "LEE@example.com")));

        vips.Select(vip => (vip.DisplayName, vip.Email, vip.AddedBy)).ShouldBe(
        [
            ("Dana Whitfield", "dana@example.com", VipSeeder.SeededBy),
            ("Lee Park", "LEE@example.com", VipSeeder.SeededBy),
        ]);
    }

    [Fact]
    public async Task DuplicateConfiguredAddressesAreSeededOnce()
    {
        IReadOnlyList<StoredVip> vips = await StartAndListAsync(Vips(("Dana Whitfield", "dana@example.com"), ("Dana W.", "DANA@example.com")));

        vips.Single().DisplayName.ShouldBe("Dana Whitfield");
    }

    [Fact]
    public async Task SeedingHappensOnceEvenWhenTheListIsEmptiedLater()
    {
        await StartAndListAsync(Vips(("Dana Whitfield", "dana@example.com")));
        await WithStoreAsync(Vips(("Dana Whitfield", "dana@example.com")), store => store.RemoveAsync("dana@example.com", CancellationToken.None));

        IReadOnlyList<StoredVip> afterRestart = await StartAndListAsync(Vips(("Dana Whitfield", "dana@example.com"), ("Lee Park", "lee@example.com")));

        afterRestart.ShouldBeEmpty();
    }

    [Fact]
    public async Task ListThatAlreadyHasVipsIsNotSeeded()
    {
        await WithStoreAsync(Vips(), store => store.AddAsync(new StoredVip("Ana Ruiz", "ana@example.com", "admin", DateTimeOffset.UnixEpoch), CancellationToken.None));

        IReadOnlyList<StoredVip> vips = await StartAndListAsync(Vips(("Dana Whitfield", "dana@example.com")));

        vips.Select(vip => vip.Email).ShouldBe(["ana@example.com"]);
    }

    [Fact]
    public async Task VipsConfiguredAfterAStartWithoutAnyStillSeedTheEmptyList()
    {
        await StartAndListAsync(Vips());

        (await StartAndListAsync(Vips(("Dana Whitfield", "dana@example.com")))).Count.ShouldBe(1);
    }

    [Fact]
    public async Task InvalidConfiguredVipStopsTheStartWithItsIndex()
    {
        using IHost host = StorageHost.Build(_root, Vips(("Dana Whitfield", "dana@example.com"), ("", "not-an-address")));

        OptionsValidationException error = await Should.ThrowAsync<OptionsValidationException>(host.StartAsync());

        error.Message.ShouldContain("Vips[1].DisplayName");
        error.Message.ShouldContain("Vips[1].Email");
    }

    private static Dictionary<string, string?> Vips(params (string DisplayName, string Email)[] vips)
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:ChatOps"] = "Data Source=data/chatops.db" };
        for (int index = 0; index < vips.Length; index++)
        {
            settings[$"Vips:{index}:DisplayName"] = vips[index].DisplayName;
            settings[$"Vips:{index}:Email"] = vips[index].Email;
        }

        return settings;
    }

    private async Task<IReadOnlyList<StoredVip>> StartAndListAsync(Dictionary<string, string?> settings)
    {
        IReadOnlyList<StoredVip> vips = [];
        await WithStoreAsync(settings, async store => vips = await store.ListAsync(CancellationToken.None));
        return vips;
    }

    private async Task WithStoreAsync(Dictionary<string, string?> settings, Func<IVipStore, Task> use)
    {
        using IHost host = StorageHost.Build(_root, settings);
        await host.StartAsync();
        try
        {
            await use(host.Services.GetRequiredService<IVipStore>());
        }
        finally
        {
            await host.StopAsync();
            TestDatabase.ReleaseFile(host.Services.GetRequiredService<SqliteConnectionFactory>());
        }
    }
}
