using System.Text;
using ChatOpsBot.Commands;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Storage;
using ChatOpsBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Tests.Commands.Support;

/// <summary>
/// The command layer as the host composes it (<c>AddChatOpsCommands</c>), with in-memory stores, a manual clock and
/// the test-only commands of <see cref="TestCommands"/>, driven through <see cref="IChatCommandGateway"/> like the
/// channel glue drives it.
/// </summary>
internal sealed class CommandHarness : IAsyncDisposable
{
    public const string Admin = "admin-object-id";
    public const string Responder = "responder-object-id";
    public const string Analyst = "analyst-object-id";
    public const string Reader = "stranger-object-id";
    public const string OtherResponder = "U0OTHERRESP";

    public static readonly DateTimeOffset Start = new(2026, 1, 20, 12, 0, 0, TimeSpan.Zero);

    private readonly IHost _host;

    private CommandHarness(IHost host, ManualTimeProvider time, InMemoryAuditLog audit, InMemoryVipStore vips, CapturingLoggerProvider logs, TestCommands testCommands)
    {
        _host = host;
        Time = time;
        Audit = audit;
        Vips = vips;
        Logs = logs;
        TestCommands = testCommands;
        Gateway = host.Services.GetRequiredService<IChatCommandGateway>();
    }

    public ManualTimeProvider Time { get; }

    public InMemoryAuditLog Audit { get; }

    public InMemoryVipStore Vips { get; }

    public CapturingLoggerProvider Logs { get; }

    public TestCommands TestCommands { get; }

    public IChatCommandGateway Gateway { get; }

    public static Dictionary<string, string?> DefaultSettings() => new()
    {
        ["Security:Admins:0"] = Admin,
        ["Security:Responders:0"] = "group:incident-response",
        ["Security:Analysts:0"] = Analyst,
        ["Security:Groups:incident-response:0"] = Responder,
        ["Security:Groups:incident-response:1"] = OtherResponder,
        ["Commands:ProgressDelay"] = "00:00:01",
    };

    public static async Task<CommandHarness> StartAsync(Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        IHost host = Build(configure, out ManualTimeProvider time, out InMemoryAuditLog audit, out InMemoryVipStore vips, out CapturingLoggerProvider logs, out TestCommands testCommands, services);
        await host.StartAsync();
        return new CommandHarness(host, time, audit, vips, logs, testCommands);
    }

    public static IHost Build(
        Action<Dictionary<string, string?>>? configure,
        out ManualTimeProvider time,
        out InMemoryAuditLog audit,
        out InMemoryVipStore vips,
        out CapturingLoggerProvider logs,
        out TestCommands testCommands,
        Action<IServiceCollection>? services = null)
    {
        Dictionary<string, string?> settings = DefaultSettings();
        configure?.Invoke(settings);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        logs = new CapturingLoggerProvider();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);

        time = new ManualTimeProvider(Start);
        audit = new InMemoryAuditLog();
        vips = new InMemoryVipStore();
        testCommands = new TestCommands();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IAuditLog>(audit);
        builder.Services.AddSingleton<IVipStore>(vips);
        builder.AddChatOpsIntegrations();
        builder.AddChatOpsCommands();
        foreach (IChatCommand command in testCommands.All)
        {
            builder.Services.AddSingleton(command);
        }

        services?.Invoke(builder.Services);
        builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        return builder.Build();
    }

    /// <summary>Submits a request and waits until it has been fully handled (its audit entry is written).</summary>
    public async Task<RecordingResponder> SendAsync(ChatRequest request, RecordingResponder? responder = null)
    {
        responder ??= new RecordingResponder();
        int before = Audit.Attempts;
        (await Gateway.SubmitAsync(request, responder, CancellationToken.None)).ShouldBe(SubmitResult.Accepted);
        await Audit.WaitForCountAsync(before + 1);
        return responder;
    }

    public Task<RecordingResponder> SayAsync(string text, string actor = Analyst, params InboundFile[] files) =>
        SendAsync(Requests.Message(text, actor, files));

    public Task<RecordingResponder> PressAsync(string verb, string actor, IReadOnlyDictionary<string, string>? args = null, string? cardMessageId = null) =>
        SendAsync(Requests.Action(verb, actor, args, cardMessageId));

    public AuditEntry LastAudit => Audit.Entries[^1];

    public Task StopAsync(CancellationToken cancellationToken) => _host.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        TestCommands.Gate.TrySetResult();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
    }
}

internal static class Requests
{
    private static int s_next;

    public static ChatRequest Message(string text, string actor = CommandHarness.Analyst, IReadOnlyList<InboundFile>? files = null, string conversation = "conversation-1") =>
        new(ChatChannels.Teams, new ChatActor(actor, "Test " + actor), new ChatConversation(conversation, ConversationKind.Personal), text, files ?? [], null, NextCorrelationId());

    public static ChatRequest Action(string verb, string actor, IReadOnlyDictionary<string, string>? args = null, string? cardMessageId = null, string conversation = "conversation-1") =>
        new(
            ChatChannels.Teams,
            new ChatActor(actor, "Test " + actor),
            new ChatConversation(conversation, ConversationKind.Personal),
            string.Empty,
            [],
            new ChatCardAction(verb, args ?? new Dictionary<string, string>(), cardMessageId),
            NextCorrelationId());

    public static InboundFile File(string name, byte[] content, string? contentType = null, long? declaredSize = null) =>
        new(name, contentType, declaredSize ?? content.Length, _ => Task.FromResult<Stream>(new MemoryStream(content, writable: false)));

    public static InboundFile Sample(string fileName, string? sendAs = null, string? contentType = null) =>
        File(sendAs ?? fileName, Samples.Bytes(fileName), contentType);

    private static string NextCorrelationId() => "corr-" + Interlocked.Increment(ref s_next);
}

internal static class Samples
{
    public static byte[] Bytes(string fileName) =>
        System.IO.File.ReadAllBytes(RepositoryFolder.PathTo(Path.Combine("tests", "ChatOpsBot.Tests", "Commands", "Samples", fileName)));

    public static string Text(string fileName) => Encoding.UTF8.GetString(Bytes(fileName));
}
