using System.Collections.Concurrent;
using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.BotFramework.Testing;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatOpsBot.Tests.Teams.Support;

/// <summary>Conversations in a dictionary; the insert-once rule of the real store (the first upsert wins) included.</summary>
internal sealed class InMemoryConversationStore : IConversationStore
{
    private readonly ConcurrentDictionary<(string, string), StoredConversation> _conversations = new();

    public Task<bool> UpsertAsync(StoredConversation conversation, CancellationToken cancellationToken)
    {
        bool inserted = _conversations.TryAdd((conversation.ChannelId, conversation.ConversationId), conversation);
        if (!inserted)
        {
            _conversations[(conversation.ChannelId, conversation.ConversationId)] = conversation;
        }

        return Task.FromResult(inserted);
    }

    public Task<StoredConversation?> GetAsync(string channelId, string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult(_conversations.GetValueOrDefault((channelId, conversationId)));

    public Task<IReadOnlyList<StoredConversation>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredConversation>>([.. _conversations.Values]);
}

/// <summary>
/// The Teams bot as the host composes it (<c>AddChatOpsCommands</c> + <c>AddChatOpsTeams</c>) over in-memory stores,
/// driven by the <see cref="TestAdapter"/>: no HTTP, no Connector. Commands run on the real background queue and
/// answer through the adapter's proactive turns, so <see cref="TestFlow"/> waits for them.
/// </summary>
internal sealed class TeamsBotHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private TeamsBotHarness(IHost host, InMemoryAuditLog audit, InMemoryConversationStore conversations)
    {
        _host = host;
        Audit = audit;
        Conversations = conversations;
        Bot = host.Services.GetRequiredService<IBot>();
    }

    public const string ResponderId = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";

    public IBot Bot { get; }

    public InMemoryAuditLog Audit { get; }

    public InMemoryConversationStore Conversations { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<TeamsBotHarness> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = string.Empty,
            ["Security:Analysts:0"] = TestConversation.Personal().User.AadObjectId,
            ["Security:Responders:0"] = ResponderId,
            // No progress cards: these conversations assert each reply in order, however slow the machine.
            ["Commands:ProgressDelay"] = "00:01:00",
        };
        configure?.Invoke(settings);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(settings);
        var audit = new InMemoryAuditLog();
        var conversations = new InMemoryConversationStore();
        builder.Services.AddSingleton<IAuditLog>(audit);
        builder.Services.AddSingleton<IVipStore>(new InMemoryVipStore());
        builder.Services.AddSingleton<IConversationStore>(conversations);
        builder.Services.AddSingleton<IInboundDeduplicationStore, UnusedDeduplicationStore>();
        builder.AddChatOpsIntegrations();
        builder.AddChatOpsCommands();
        builder.AddChatOpsTeams();
        IHost host = builder.Build();
        await host.StartAsync();
        return new TeamsBotHarness(host, audit, conversations);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
    }

    /// <summary>The TestAdapter turns never reach the HTTP endpoint, so nothing de-duplicates through the store.</summary>
    private sealed class UnusedDeduplicationStore : IInboundDeduplicationStore
    {
        public Task<bool> TryRecordAsync(string source, string id, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("TestAdapter turns do not pass the adapter's de-duplication.");
    }
}
