using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatOpsBot.BotFramework.Schema;

/// <summary>
/// Teams' <c>channelData</c>: the tenant (always), and for team events the team, channel, settings and event type.
/// Read it with <see cref="Activity.GetTeamsChannelData"/>; unknown members are kept in <see cref="Properties"/>.
/// </summary>
public sealed record TeamsChannelData
{
    public TenantInfo? Tenant { get; init; }

    public TeamInfo? Team { get; init; }

    public ChannelInfo? Channel { get; init; }

    /// <summary><c>teamMemberAdded</c>, <c>channelCreated</c>, <c>editMessage</c>, …</summary>
    public string? EventType { get; init; }

    public TeamsChannelDataSettings? Settings { get; init; }

    public NotificationInfo? Notification { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; init; }
}

public sealed record TenantInfo(string? Id);

public sealed record TeamInfo
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? AadGroupId { get; init; }
}

public sealed record ChannelInfo
{
    public ChannelInfo()
    {
    }

    public ChannelInfo(string id, string? name = null)
    {
        Id = id;
        Name = name;
    }

    public string? Id { get; init; }

    public string? Name { get; init; }
}

public sealed record TeamsChannelDataSettings
{
    public ChannelInfo? SelectedChannel { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; init; }
}

/// <summary><c>alert: true</c> raises an activity-feed notification; <see cref="Activity.Summary"/> is its text.</summary>
public sealed record NotificationInfo(bool? Alert);
