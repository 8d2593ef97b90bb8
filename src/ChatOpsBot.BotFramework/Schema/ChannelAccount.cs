using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatOpsBot.BotFramework.Schema;

/// <summary>
/// A user or bot on a channel. In Teams, users are <c>29:…</c> and bots <c>28:&lt;appId&gt;</c>; the stable identity
/// of a user is <see cref="AadObjectId"/>, never <see cref="Name"/> (which the user controls).
/// </summary>
public sealed record ChannelAccount
{
    public ChannelAccount()
    {
    }

    public ChannelAccount(string id, string? name = null)
    {
        Id = id;
        Name = name;
    }

    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? AadObjectId { get; init; }

    /// <summary><c>user</c> or <c>bot</c> where the channel says.</summary>
    public string? Role { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; init; }
}

/// <summary>A conversation: personal chat (<c>a:…</c>), channel (<c>19:…@thread.tacv2</c>, with <c>;messageid=</c> for a thread) or group chat.</summary>
public sealed record ConversationAccount
{
    public ConversationAccount()
    {
    }

    public ConversationAccount(string id, string? conversationType = null, string? tenantId = null)
    {
        Id = id;
        ConversationType = conversationType;
        TenantId = tenantId;
    }

    public string? Id { get; init; }

    public string? Name { get; init; }

    /// <summary>See <see cref="ConversationTypes"/>.</summary>
    public string? ConversationType { get; init; }

    public string? TenantId { get; init; }

    public bool? IsGroup { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; init; }
}

/// <summary>One reaction on a <c>messageReaction</c> activity (<c>like</c>, <c>heart</c>, …).</summary>
public sealed record MessageReaction
{
    public string? Type { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; init; }
}
