using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatOpsBot.BotFramework.Schema;

/// <summary>
/// A card, file or rendering attached to an activity. <see cref="Content"/> is kept as raw JSON: its shape depends on
/// <see cref="ContentType"/>, and inbound it is attacker-supplied until a typed reader accepts it.
/// </summary>
public sealed record Attachment
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    public string? ContentType { get; init; }

    public string? ContentUrl { get; init; }

    public JsonElement? Content { get; init; }

    public string? Name { get; init; }

    public string? ThumbnailUrl { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; init; }

    /// <summary>An attachment whose content is <paramref name="content"/> serialised with <paramref name="options"/> (default <see cref="BotJson.Options"/>).</summary>
    public static Attachment FromContent<T>(string contentType, T content, JsonSerializerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        return new Attachment
        {
            ContentType = contentType,
            Content = JsonSerializer.SerializeToElement(content, options ?? BotJson.Options),
        };
    }

    /// <summary>An Adaptive Card attachment from an already serialised card.</summary>
    public static Attachment AdaptiveCard(JsonElement card) => new() { ContentType = AdaptiveCardContentType, Content = card.Clone() };
}
