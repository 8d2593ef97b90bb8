using ChatOpsBot.TestSupport;
using ChatOpsBot.Tests.Slack.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Slack.Tests.Support;

/// <summary>The library's real composition (<c>AddSlack</c>) pointed at a <see cref="FakeSlackApi"/> on 127.0.0.1.</summary>
internal sealed class SlackHarness : IAsyncDisposable
{
    public const string Token = "xoxb-1111-2222-harnesstoken0000";
    public const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";

    private SlackHarness(FakeSlackApi slack, ServiceProvider services, ManualTimeProvider clock, CapturingLoggerProvider logs)
    {
        Slack = slack;
        Services = services;
        Clock = clock;
        Logs = logs;
    }

    public FakeSlackApi Slack { get; }

    public ServiceProvider Services { get; }

    public ManualTimeProvider Clock { get; }

    public CapturingLoggerProvider Logs { get; }

    public static async Task<SlackHarness> StartAsync(Dictionary<string, string?>? settings = null, string? token = null)
    {
        FakeSlackApi slack = await FakeSlackApi.StartAsync(Token);
        var values = new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = token ?? Token,
            ["Slack:SigningSecret"] = Secret,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Slack:AllowHttpOnLoopbackForTesting"] = "true",
            ["Slack:FileHosts:0"] = "127.0.0.1",
            ["Slack:ResponseUrlHosts:0"] = "127.0.0.1",
        };
        foreach ((string key, string? value) in settings ?? [])
        {
            values[key] = value;
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var clock = new ManualTimeProvider();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<TimeProvider>(clock);
        services.AddSlack(configuration);
        return new SlackHarness(slack, services.BuildServiceProvider(validateScopes: true), clock, logs);
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Runs <paramref name="call"/>, moving the clock past each Retry-After wait as it starts.</summary>
    public async Task<T> WithClockAsync<T>(Func<Task<T>> call)
    {
        Task<T> task = call();
        while (!task.IsCompleted)
        {
            if (Clock.PendingTimers > 0)
            {
                Clock.Advance(TimeSpan.FromSeconds(1));
            }
            else
            {
                await Task.WhenAny(task, Task.Delay(5));
            }
        }

        return await task;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Slack.DisposeAsync();
    }
}
