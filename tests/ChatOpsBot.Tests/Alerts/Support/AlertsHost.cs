using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Sqlite;
using ChatOpsBot.TestSupport;
using ChatOpsBot.Tests.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Tests.Alerts.Support;

/// <summary>
/// The bot's storage and alert services as the host composes them (without the scheduler: tests run the jobs
/// directly), on a SQLite file in a folder that outlives one host, so disposing a host and building another on the same
/// folder is a restart. Mimecast and VirusTotal are the loopback fakes; the clock is manual. With a
/// <see cref="FakeTeamsConnector"/>, <see cref="TeamsTarget"/> is delivered by the real Teams alert sender through the
/// Connector client to that fake, and the bot's reference to the SOC channel is stored as an install stores it.
/// </summary>
internal sealed class AlertsHost : IAsyncDisposable
{
    public const string TeamsTarget = "conversation:msteams:19:soc-alerts@thread.tacv2";

    private readonly IHost _host;
    private int _disposed;

    private AlertsHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public UrlMonitor Monitor => Services.GetRequiredService<UrlMonitor>();

    public AlertDeliveryService Delivery => Services.GetRequiredService<AlertDeliveryService>();

    public IAlertService Alerts => Services.GetRequiredService<IAlertService>();

    public static async Task<AlertsHost> StartAsync(
        string folder,
        ManualTimeProvider time,
        FakeMimecastServer? mimecast,
        IAlertChannel? channel,
        Action<Dictionary<string, string?>>? adjust = null,
        Action<IServiceCollection>? configure = null,
        ProviderStorage? storage = null,
        FakeTeamsConnector? teams = null)
    {
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:ChatOps"] = $"Data Source={Path.Combine(folder, "chatops.db")}",
            ["Alerts:Targets:0"] = TeamsTarget,
            ["Alerts:RetryBaseDelay"] = "00:00:30",
            ["Alerts:RetryMaxDelay"] = "00:10:00",
            ["Alerts:DeliveryLease"] = "00:05:00",
        };
        if (mimecast is not null)
        {
            foreach ((string key, string? value) in IntegrationHostSettings.Mimecast(mimecast))
            {
                settings[key] = value;
            }
        }

        storage?.Apply(settings);
        teams?.AddSettings(settings);
        adjust?.Invoke(settings);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = folder,
            EnvironmentName = "Testing",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.AddChatOpsStorage();
        builder.Services.AddAlertServices(builder.Configuration);
        if (channel is not null)
        {
            builder.Services.AddSingleton(channel);
        }

        if (teams is not null)
        {
            // The Teams side of the host's composition: the Connector client and the alert sender.
            builder.Services.AddBotFrameworkConnector(builder.Configuration);
            builder.Services.AddTeamsAlertDelivery();
            teams.AddServices(builder.Services);
        }

        configure?.Invoke(builder.Services);
        IHost host = builder.Build();
        await host.StartAsync();
        if (teams is not null)
        {
            // The bot was installed in the SOC channel before: its reference is stored, as TeamsInstallations stores it.
            _ = AlertTarget.TryParse(TeamsTarget, out AlertTarget? target, out _);
            _ = target!.TryGetConversation(out _, out string? conversationId);
            await teams.StoreChannelReferenceAsync(host.Services.GetRequiredService<ChatOpsBot.Storage.IConversationStore>(), conversationId!, time.GetUtcNow());
        }

        return new AlertsHost(host);
    }

    public async Task<T> QueryAsync<T>(Func<System.Data.Common.DbConnection, Task<T>> query) =>
        await Services.GetRequiredService<AlertDatabase>().ReadAsync(query, CancellationToken.None);

    public Task<List<AlertDelivery>> DeliveriesAsync() =>
        QueryAsync(c => AlertStore.DeliveriesAsync(c, null, null, null, 1000, CancellationToken.None));

    public Task<List<AlertRecord>> AllAlertsAsync() => QueryAsync(c => AlertStore.RecentAsync(c, 1000, CancellationToken.None));

    public async Task<long> ScalarAsync(string sql) => await QueryAsync(async c =>
    {
        using System.Data.Common.DbCommand command = c.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    });

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        SqliteConnectionFactory? sqlite = Services.GetRequiredService<DatabaseConnectionFactory>() as SqliteConnectionFactory;
        await _host.StopAsync();
        _host.Dispose();
        if (sqlite is not null)
        {
            TestDatabase.ReleaseFile(sqlite);
        }
    }
}

/// <summary>The Mimecast settings the integration tests use against the fake.</summary>
internal static class IntegrationHostSettings
{
    public static Dictionary<string, string?> Mimecast(FakeMimecastServer fake) => new()
    {
        ["Mimecast:BaseUrl"] = fake.BaseUrl.ToString(),
        ["Mimecast:ClientId"] = FakeMimecastServer.ClientId,
        ["Mimecast:ClientSecret"] = FakeMimecastServer.ClientSecret,
        ["Mimecast:AllowHttpOnLoopbackForTesting"] = "true",
        ["Mimecast:RetryBaseDelay"] = "00:00:00.010",
        ["Mimecast:RequestTimeout"] = "00:00:30",
    };
}

/// <summary>Builds TTP URL click records in Mimecast's wire format (reference §3.3).</summary>
internal static class Clicks
{
    public static System.Text.Json.Nodes.JsonObject Record(
        DateTimeOffset at,
        string url,
        string user,
        string scanResult = "clean",
        string action = "allow",
        string creationMethod = "User Click",
        string sender = "newsletter@sender.example",
        string subject = "Quarterly update",
        string? messageId = null) => new()
        {
            ["userEmailAddress"] = user,
            ["fromUserEmailAddress"] = sender,
            ["url"] = url,
            ["ttpDefinition"] = "Default Inbound URL Protect Definition",
            ["subject"] = subject,
            ["action"] = action,
            ["adminOverride"] = "N/A",
            ["userOverride"] = "None",
            ["scanResult"] = scanResult,
            ["category"] = scanResult == "malicious" ? "Compromised" : "Business",
            ["sendingIp"] = "203.0.113.9",
            ["userAwarenessAction"] = "N/A",
            ["date"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "+0000",
            ["actions"] = action == "allow" ? "Allow" : "Block",
            ["route"] = "inbound",
            ["creationMethod"] = creationMethod,
            ["emailPartsDescription"] = new System.Text.Json.Nodes.JsonArray("Body"),
            ["messageId"] = messageId ?? $"<{Guid.NewGuid():N}@sender.example>",
        };

    /// <summary>Runs <paramref name="work"/> while moving the manual clock, for code that waits on the clock (retry
    /// delays after a 429). Steps are small so no per-request timeout is reached by the clock alone.</summary>
    public static async Task<T> WithClockRunningAsync<T>(ManualTimeProvider time, Func<Task<T>> work)
    {
        Task<T> task = Task.Run(work);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!task.IsCompleted)
        {
            await Task.Delay(20, timeout.Token);
            time.Advance(TimeSpan.FromMilliseconds(200));
        }

        return await task;
    }
}
