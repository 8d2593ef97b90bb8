using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Testing;

/// <summary>
/// Who talks to the bot, where, in a <see cref="TestAdapter"/>: a Teams user, the bot, a conversation of one scope
/// (personal, channel thread, group chat) and its tenant. In channels and group chats Teams delivers only messages
/// that mention the bot, so <see cref="MentionsBot"/> makes typed text arrive as <c>&lt;at&gt;Bot&lt;/at&gt; text</c>.
/// </summary>
public sealed record TestConversation
{
    public const string DefaultTenantId = "8f6ab2b4-3c1e-4d7a-9b0e-5a2c1d3e4f60";
    public const string DefaultServiceUrl = "https://smba.trafficmanager.net/amer/8f6ab2b4-3c1e-4d7a-9b0e-5a2c1d3e4f60/";

    public ChannelAccount User { get; init; } = new("29:1test-user-mri", "Test User") { AadObjectId = "4b1f7c2e-9d3a-4e8b-a6f0-2c5d8e1b7a93" };

    public ChannelAccount Bot { get; init; } = new("28:3f2a9c1e-7b4d-4e6a-8c0f-1d2e3a4b5c6d", "ChatOpsBot");

    public ConversationAccount Conversation { get; init; } = new("a:1test-personal-conversation", ConversationTypes.Personal, DefaultTenantId);

    public string ServiceUrl { get; init; } = DefaultServiceUrl;

    public string TenantId { get; init; } = DefaultTenantId;

    /// <summary>Teams channel data sent with every activity (tenant; team and channel in a channel).</summary>
    public TeamsChannelData ChannelData { get; init; } = new() { Tenant = new TenantInfo(DefaultTenantId) };

    /// <summary>Whether typed text arrives with an <c>&lt;at&gt;</c> mention of the bot in front, as in channels and group chats.</summary>
    public bool MentionsBot { get; init; }

    public static TestConversation Personal() => new();

    /// <summary>A thread in a Teams channel (the conversation id names the thread's root message).</summary>
    public static TestConversation Channel(string channelId = "19:7c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f@thread.tacv2")
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        return new TestConversation
        {
            Conversation = new ConversationAccount($"{channelId};messageid=1759881511856", ConversationTypes.Channel, DefaultTenantId) { IsGroup = true },
            ChannelData = new TeamsChannelData
            {
                Tenant = new TenantInfo(DefaultTenantId),
                Channel = new ChannelInfo(channelId),
                Team = new TeamInfo { Id = "19:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d@thread.tacv2", Name = "Security Operations" },
            },
            MentionsBot = true,
        };
    }

    public static TestConversation GroupChat() => new()
    {
        Conversation = new ConversationAccount("19:2e4f6a8c0b1d3f5a7c9e1b3d5f7a9c0e@thread.v2", ConversationTypes.GroupChat, DefaultTenantId) { IsGroup = true },
        MentionsBot = true,
    };

    /// <summary>The reference a bot would have stored for this conversation.</summary>
    public ConversationReference ToReference() => new()
    {
        ChannelId = Channels.MsTeams,
        ServiceUrl = ServiceUrl,
        Bot = Bot,
        User = User,
        Conversation = Conversation,
    };
}
