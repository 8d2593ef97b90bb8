using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Benchmarks.Alerts;

/// <summary>
/// The bot's storage and alert services composed as the host composes them (<c>AddChatOpsStorage</c>,
/// <c>AddAlertServices</c>; no scheduler: the benchmarks drive the monitor), on one SQLite file, with Mimecast answered
/// in process by <paramref name="mimecast"/> when given. Starting it creates and migrates the database as the bot does.
/// </summary>
internal sealed class AlertBenchHost : IAsyncDisposable
{
    public const string TeamsTarget = "conversation:msteams:19:soc-alerts@thread.tacv2";

    /// <summary>Named by <c>MimecastClient.HttpClientName</c>. If that name ever drifts, the client keeps its real
    /// handler and the .invalid host below fails the run at once instead of measuring something else.</summary>
    private const string MimecastHttpClientName = "ChatOpsBot.Mimecast";

    private readonly IHost _host;

    private AlertBenchHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public UrlMonitor Monitor => Services.GetRequiredService<UrlMonitor>();

    public AlertDatabase Database => Services.GetRequiredService<AlertDatabase>();

    public SqliteConnectionFactory Connections => Services.GetRequiredService<SqliteConnectionFactory>();

    public static async Task<AlertBenchHost> StartAsync(string databasePath, TimeProvider time, HttpMessageHandler? mimecast = null)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:ChatOps"] = $"Data Source={Path.GetFullPath(databasePath)}",
            ["Alerts:Targets:0"] = TeamsTarget,
            ["Mimecast:BaseUrl"] = "https://mimecast.benchmark.invalid/",
            ["Mimecast:ClientId"] = mimecast is null ? "" : "benchmark-client",
            ["Mimecast:ClientSecret"] = mimecast is null ? "" : "benchmark-secret",
        };
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = folder,
            EnvironmentName = "Benchmark",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        // To compare settings without editing code, e.g. CHATOPS_BENCH_Storage__SqliteMemoryMapMegabytes=0.
        builder.Configuration.AddEnvironmentVariables(prefix: "CHATOPS_BENCH_");
        builder.Services.AddSingleton(time);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.AddChatOpsStorage();
        builder.Services.AddAlertServices(builder.Configuration);
        if (mimecast is not null)
        {
            builder.Services.AddHttpClient(MimecastHttpClientName).ConfigurePrimaryHttpMessageHandler(() => mimecast);
        }

        IHost host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return new AlertBenchHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        string connectionString = Connections.ConnectionString;
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
        using var pooled = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(pooled);
    }
}

/// <summary>A clock that stands still: the monitor's windows and checkpoints are then the same in every run.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
