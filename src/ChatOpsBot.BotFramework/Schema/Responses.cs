using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatOpsBot.BotFramework.Schema;

/// <summary>The id of the activity the Connector created or updated.</summary>
public sealed record ResourceResponse(string? Id);

/// <summary>
/// <c>POST /v3/conversations</c> request. In Teams: a 1:1 chat needs <see cref="TenantId"/> and exactly one
/// <c>29:</c> member; a new channel thread needs <see cref="Activity"/> and the channel in <see cref="ChannelData"/>.
/// Group chats cannot be created.
/// </summary>
public sealed record ConversationParameters
{
    public bool? IsGroup { get; init; }

    public ChannelAccount? Bot { get; init; }

    public IList<ChannelAccount>? Members { get; init; }

    public string? TopicName { get; init; }

    public string? TenantId { get; init; }

    public Activity? Activity { get; init; }

    public JsonElement? ChannelData { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; init; }

    /// <summary>A proactive 1:1 chat with <paramref name="user"/>; the tenant goes both top level and in channelData, as the SDKs send it.</summary>
    public static ConversationParameters ForPersonalChat(ChannelAccount bot, ChannelAccount user, string tenantId, Activity? firstMessage = null)
    {
        ArgumentNullException.ThrowIfNull(bot);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return new ConversationParameters
        {
            IsGroup = false,
            Bot = bot,
            Members = [user],
            TenantId = tenantId,
            Activity = firstMessage,
            ChannelData = BotJson.ToElement(new TeamsChannelData { Tenant = new TenantInfo(tenantId) }),
        };
    }

    /// <summary>A new thread in Teams channel <paramref name="channelId"/> starting with <paramref name="firstMessage"/> (required by Teams).</summary>
    public static ConversationParameters ForChannelThread(string channelId, string tenantId, Activity firstMessage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channelId);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentNullException.ThrowIfNull(firstMessage);
        return new ConversationParameters
        {
            IsGroup = true,
            TenantId = tenantId,
            Activity = firstMessage,
            ChannelData = BotJson.ToElement(new TeamsChannelData
            {
                Channel = new ChannelInfo(channelId),
                Tenant = new TenantInfo(tenantId),
            }),
        };
    }
}

/// <summary>
/// <c>POST /v3/conversations</c> response: the new conversation's id, and for a channel thread the id of its first
/// activity.
/// </summary>
public sealed record ConversationResourceResponse(string? Id, string? ActivityId, string? ServiceUrl);

/// <summary>What the bot answers an <c>invoke</c> with: <see cref="Status"/> is the HTTP status, <see cref="Body"/> the JSON body.</summary>
public sealed record InvokeResponse(int Status, object? Body = null);

/// <summary>
/// The body of the answer to <c>adaptiveCard/action</c> (Action.Execute), sent with HTTP 200 whatever
/// <see cref="StatusCode"/> says.
/// </summary>
public sealed record AdaptiveCardInvokeResponse(int StatusCode, string Type, object? Value)
{
    public const string CardType = "application/vnd.microsoft.card.adaptive";
    public const string MessageType = "application/vnd.microsoft.activity.message";
    public const string ErrorType = "application/vnd.microsoft.error";

    /// <summary>Replaces the card the user acted on.</summary>
    public static AdaptiveCardInvokeResponse Card(JsonElement card) => new(200, CardType, card.Clone());

    /// <summary>Shows <paramref name="message"/> to the user and leaves the card as it is.</summary>
    public static AdaptiveCardInvokeResponse Message(string message) => new(200, MessageType, message);

    public static AdaptiveCardInvokeResponse Error(int statusCode, string code, string message) =>
        new(statusCode, ErrorType, new ConnectorError(code, message));
}

/// <summary>The Connector's error body: <c>{"error":{"code","message","innerHttpError"}}</c>.</summary>
public sealed record ErrorResponse(ConnectorError? Error);

/// <summary>The SDK's <c>Error</c>: a Bot Framework error code (<c>BotNotInConversationRoster</c>, <c>Throttled</c>, …) and message.</summary>
public sealed record ConnectorError(string? Code, string? Message, InnerHttpError? InnerHttpError = null);

public sealed record InnerHttpError(int? StatusCode, JsonElement? Body);
