using ChatOpsBot.Integrations.Mimecast;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Integrations.VirusTotal;
using ChatOpsBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Integrations.Tests.Support;

/// <summary>The clients as the host composes them (AddMimecastClient / AddVirusTotalClient), pointed at the fakes.</summary>
internal sealed class IntegrationHost : IDisposable
{
    private readonly ServiceProvider _provider;

    private IntegrationHost(ServiceProvider provider, CapturingLoggerProvider logs)
    {
        _provider = provider;
        Logs = logs;
    }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _provider;

    public IMimecastClient Mimecast => _provider.GetRequiredService<IMimecastClient>();

    public IReputationService Reputation => _provider.GetRequiredService<IReputationService>();

    public static Dictionary<string, string?> MimecastSettings(FakeMimecastServer fake) => new()
    {
        ["Mimecast:BaseUrl"] = fake.BaseUrl.ToString(),
        ["Mimecast:ClientId"] = FakeMimecastServer.ClientId,
        ["Mimecast:ClientSecret"] = FakeMimecastServer.ClientSecret,
        ["Mimecast:AllowHttpOnLoopbackForTesting"] = "true",
        ["Mimecast:RetryBaseDelay"] = "00:00:00.010",
        ["Mimecast:RequestTimeout"] = "00:00:10",
    };

    public static Dictionary<string, string?> VirusTotalSettings(FakeVirusTotalServer fake) => new()
    {
        ["VirusTotal:BaseUrl"] = fake.BaseUrl.ToString(),
        ["VirusTotal:ApiKey"] = FakeVirusTotalServer.ApiKey,
        ["VirusTotal:AllowHttpOnLoopbackForTesting"] = "true",
        ["VirusTotal:RequestsPerMinute"] = "1000",
        ["VirusTotal:RequestTimeout"] = "00:00:10",
    };

    public static IntegrationHost Create(
        IDictionary<string, string?> settings, TimeProvider? timeProvider = null, Action<IServiceCollection>? configure = null)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        configure?.Invoke(services);
        services.AddMimecastClient(configuration);
        services.AddVirusTotalClient(configuration);
        return new IntegrationHost(services.BuildServiceProvider(validateScopes: true), logs);
    }

    public static IntegrationHost ForMimecast(FakeMimecastServer fake, Action<Dictionary<string, string?>>? adjust = null, TimeProvider? timeProvider = null)
    {
        Dictionary<string, string?> settings = MimecastSettings(fake);
        adjust?.Invoke(settings);
        return Create(settings, timeProvider);
    }

    public static IntegrationHost ForVirusTotal(
        FakeVirusTotalServer fake,
        Action<Dictionary<string, string?>>? adjust = null,
        TimeProvider? timeProvider = null,
        Action<IServiceCollection>? configure = null)
    {
        Dictionary<string, string?> settings = VirusTotalSettings(fake);
        adjust?.Invoke(settings);
        return Create(settings, timeProvider, configure);
    }

    public void Dispose() => _provider.Dispose();
}
