using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Storage;
using ChatOpsBot.TestSupport;
using ChatOpsBot.Tests.Storage;

namespace ChatOpsBot.Tests.Alerts.Support;

/// <summary>
/// What every alert suite that runs on both storage providers starts from: its own folder, the provider's database,
/// a clock stopped at <see cref="Start"/> and a fake Mimecast. A suite with more fakes starts them in
/// <see cref="StartFakesAsync"/> and stops them in <see cref="StopFakesAsync"/>.
/// </summary>
public abstract class ProviderAlertTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    protected abstract StorageProvider Provider { get; }

    protected string Folder { get; } = TestDatabase.NewFolder();

    private protected ManualTimeProvider Time { get; } = new(Start);

    protected FakeMimecastServer Mimecast { get; private set; } = null!;

    private protected ProviderStorage Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await ProviderStorage.CreateAsync(Provider, Folder);
        Mimecast = await FakeMimecastServer.StartAsync();
        await StartFakesAsync();
    }

    public async Task DisposeAsync()
    {
        await StopFakesAsync();
        await Mimecast.DisposeAsync();
        await Database.DisposeAsync();
    }

    protected virtual Task StartFakesAsync() => Task.CompletedTask;

    protected virtual Task StopFakesAsync() => Task.CompletedTask;

    private protected Task<AlertsHost> StartAlertsHostAsync(
        Action<Dictionary<string, string?>>? adjust = null, IAlertChannel? channel = null, FakeTeamsConnector? teams = null) =>
        AlertsHost.StartAsync(Folder, Time, Mimecast, channel, adjust, storage: Database, teams: teams);
}
