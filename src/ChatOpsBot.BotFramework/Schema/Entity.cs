using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatOpsBot.BotFramework.Schema;

/// <summary>
/// Metadata attached to an activity (<c>mention</c>, <c>clientInfo</c>, …). Everything but <see cref="Type"/> stays
/// raw in <see cref="Properties"/>; typed views such as <see cref="Mention"/> read from there.
/// </summary>
public sealed record Entity
{
    public const string MentionType = "mention";
    public const string ClientInfoType = "clientInfo";

    public string? Type { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; init; }

    [JsonIgnore]
    public bool IsMention => string.Equals(Type, MentionType, StringComparison.OrdinalIgnoreCase);

    /// <summary>This entity read as a mention, or null when it is not one or is malformed.</summary>
    public Mention? AsMention()
    {
        if (!IsMention || Properties is null)
        {
            return null;
        }

        ChannelAccount? mentioned = null;
        if (Properties.TryGetValue("mentioned", out JsonElement mentionedElement) && mentionedElement.ValueKind == JsonValueKind.Object)
        {
            try
            {
                mentioned = mentionedElement.Deserialize<ChannelAccount>(BotJson.Options);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        string? text = Properties.TryGetValue("text", out JsonElement textElement) && textElement.ValueKind == JsonValueKind.String
            ? textElement.GetString()
            : null;
        return mentioned is null ? null : new Mention(mentioned, text);
    }
}

/// <summary>
/// A typed view of a <c>mention</c> entity. Outbound, <see cref="Text"/> must occur verbatim in the activity's text
/// (<c>&lt;at&gt;Name&lt;/at&gt;</c>) or Teams ignores the mention.
/// </summary>
public sealed record Mention(ChannelAccount Mentioned, string? Text)
{
    public Entity ToEntity()
    {
        Dictionary<string, JsonElement> properties = new(StringComparer.Ordinal)
        {
            ["mentioned"] = BotJson.ToElement(Mentioned),
        };
        if (Text is not null)
        {
            properties["text"] = BotJson.ToElement(Text);
        }

        return new Entity { Type = Entity.MentionType, Properties = properties };
    }
}
