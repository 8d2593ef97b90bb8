using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatOpsBot.Cards.Model;

/// <summary>
/// An element's <c>fallback</c>: another element rendered by hosts that do not know this one (a Teams chart's table),
/// or <c>"drop"</c> to leave it out.
/// </summary>
[JsonConverter(typeof(AdaptiveFallbackConverter))]
public sealed record AdaptiveFallback
{
    private AdaptiveFallback(AdaptiveElement? element) => Element = element;

    /// <summary><c>"fallback": "drop"</c>.</summary>
    public static AdaptiveFallback Drop { get; } = new((AdaptiveElement?)null);

    /// <summary>The replacement element; null for <see cref="Drop"/>.</summary>
    public AdaptiveElement? Element { get; }

    public bool IsDrop => Element is null;

    public static AdaptiveFallback With(AdaptiveElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return new AdaptiveFallback(element);
    }
}

internal sealed class AdaptiveFallbackConverter : JsonConverter<AdaptiveFallback>
{
    private const string DropValue = "drop";

    public override AdaptiveFallback? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.ValueTextEquals(DropValue)
                ? AdaptiveFallback.Drop
                : throw new JsonException($"fallback must be \"{DropValue}\" or an element.");
        }

        AdaptiveElement element = JsonSerializer.Deserialize<AdaptiveElement>(ref reader, options)
            ?? throw new JsonException("fallback must be \"drop\" or an element.");
        return AdaptiveFallback.With(element);
    }

    public override void Write(Utf8JsonWriter writer, AdaptiveFallback value, JsonSerializerOptions options)
    {
        if (value.Element is null)
        {
            writer.WriteStringValue(DropValue);
        }
        else
        {
            JsonSerializer.Serialize(writer, value.Element, options);
        }
    }
}
