using System.Data.Common;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Commands.Analyze;
using ChatOpsBot.Intake;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Sqlite;
using ChatOpsBot.TestSupport;
using ChatOpsBot.Tests.Commands.Support;
using ChatOpsBot.Tests.Alerts.Support;
using ChatOpsBot.Tests.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions.Authentication;

namespace ChatOpsBot.Tests.Intake.Support;

/// <summary>
/// Storage, the alert outbox and the intake services as the host composes them (no scheduler: tests run the poller
/// and the outbox directly), on a SQLite file in a folder that outlives one host (a second host on it is a restart),
/// against the fake Graph on 127.0.0.1 with its static token instead of MSAL. The SOC conversation is stored and
/// subscribed to <c>mail-report</c>; the <see cref="FakeAlertChannel"/> stands in for Teams.
/// </summary>
internal sealed class ReportMailboxHost : IAsyncDisposable
{
    public const string SocConversation = "19:soc-triage@thread.tacv2";

    private readonly IHost _host;
    private int _disposed;

    private ReportMailboxHost(IHost host, CapturingLoggerProvider logs)
    {
        _host = host;
        Logs = logs;
    }

    public IServiceProvider Services => _host.Services;

    public CapturingLoggerProvider Logs { get; }

    /// <summary>Every log line written so far, with its exception.</summary>
    public string LogText => string.Join("\n", Logs.Records.Select(r => $"{r.Message} {r.Exception}"));

    public ReportMailboxPoller Poller => Services.GetRequiredService<ReportMailboxPoller>();

    public AlertDeliveryService Delivery => Services.GetRequiredService<AlertDeliveryService>();

    public static Dictionary<string, string?> GraphSettings(FakeGraphServer graph) => new()
    {
        ["ReportMailbox:Graph:BaseUrl"] = graph.BaseUrl,
        ["ReportMailbox:Graph:TenantId"] = "00000000-0000-0000-0000-0000000000aa",
        ["ReportMailbox:Graph:ClientId"] = "00000000-0000-0000-0000-0000000000bb",
        ["ReportMailbox:Graph:ClientSecret"] = "graph-client-secret-do-not-log",
        ["ReportMailbox:Graph:AllowHttpOnLoopbackForTesting"] = "true",
        ["ReportMailbox:Graph:RetryBaseDelay"] = "00:00:00.010",
        ["ReportMailbox:Graph:MaxRetryAfter"] = "00:00:05",
        ["ReportMailbox:Graph:RequestTimeout"] = "00:00:20",
    };

    public static async Task<ReportMailboxHost> StartAsync(
        string folder, FakeGraphServer graph, IAlertChannel channel, Action<Dictionary<string, string?>>? adjust = null, Action<IServiceCollection>? services = null)
    {
        Directory.CreateDirectory(folder);
        Dictionary<string, string?> settings = GraphSettings(graph);
        settings["ConnectionStrings:ChatOps"] = $"Data Source={Path.Combine(folder, "chatops.db")}";
        settings["ReportMailbox:Enabled"] = "true";
        settings["ReportMailbox:Mailbox"] = FakeGraphServer.Mailbox;
        settings["ReportMailbox:ProcessedFolder"] = FakeGraphServer.ProcessedFolderName;
        settings["ReportMailbox:PageSize"] = "1";
        settings["VirusTotal:LookupsEnabled"] = "false";
        adjust?.Invoke(settings);

        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = folder,
            EnvironmentName = "Testing",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new CapturingLoggerProvider();
        builder.Services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        builder.AddChatOpsStorage();
        builder.Services.AddAlertServices(builder.Configuration);
        builder.Services.AddSingleton<ReputationEnrichment>();
        builder.Services.AddIntakeServices(builder.Configuration);
        builder.Services.AddSingleton(graph.TokenProvider());
        builder.Services.AddSingleton(channel);
        services?.Invoke(builder.Services);
        IHost host = builder.Build();
        await host.StartAsync();
        var started = new ReportMailboxHost(host, logs);
        await started.SubscribeSocAsync();
        return started;
    }

    private async Task SubscribeSocAsync()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await Services.GetRequiredService<IConversationStore>().UpsertAsync(
            new StoredConversation("msteams", SocConversation, "https://smba.trafficmanager.net/emea/", null, "channel", "{}", now, now), CancellationToken.None);
        await Services.GetRequiredService<IAlertSubscriptions>().SubscribeAsync("msteams", SocConversation, AlertKinds.MailReport, "admin-1", CancellationToken.None);
    }

    public async Task<List<MailReport>> ReportsAsync() => await Services.GetRequiredService<AlertDatabase>().ReadAsync(async c =>
    {
        using DbCommand command = c.CreateCommand();
        command.CommandText = "SELECT report_id FROM mail_reports ORDER BY received_at, report_id";
        var ids = new List<string>();
        await using (DbDataReader reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }
        }

        var reports = new List<MailReport>();
        foreach (string id in ids)
        {
            reports.Add((await MailReportStore.GetAsync(c, null, id, CancellationToken.None))!);
        }

        return reports;
    }, CancellationToken.None);

    public Task<List<AlertRecord>> AlertsAsync() =>
        Services.GetRequiredService<AlertDatabase>().ReadAsync(c => AlertStore.RecentAsync(c, 1000, CancellationToken.None), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        SqliteConnectionFactory connections = Services.GetRequiredService<SqliteConnectionFactory>();
        await _host.StopAsync();
        _host.Dispose();
        TestDatabase.ReleaseFile(connections);
    }
}

internal static class IntakeSamples
{
    public static byte[] Bytes(string fileName) =>
        File.ReadAllBytes(RepositoryFolder.PathTo(Path.Combine("tests", "ChatOpsBot.Tests", "Intake", "Samples", fileName)));
}
