using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards;

/// <summary>
/// The one serialiser of cards: camelCase, <c>type</c> discriminators, null and default values left out (so the JSON
/// carries only what differs from the schema's defaults).
/// </summary>
public static class CardJson
{
    /// <summary>
    /// Every card we build stays at or under this many bytes of compact UTF-8 JSON: cardcheck's default and the
    /// smallest documented Teams limit (about 28 KB for Workflows "post card").
    /// </summary>
    public const int MaxCardBytes = 28 * 1024;

    /// <summary>The options every card is written and read with.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions(indented: false);

    private static readonly JsonSerializerOptions s_indented = CreateOptions(indented: true);

    public static string Serialize(AdaptiveCard card, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(card);
        return JsonSerializer.Serialize(card, indented ? s_indented : Options);
    }

    public static byte[] SerializeToUtf8Bytes(AdaptiveCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return JsonSerializer.SerializeToUtf8Bytes(card, Options);
    }

    /// <summary>The card as a JSON value, for an activity attachment's <c>content</c>.</summary>
    public static JsonElement ToJsonElement(AdaptiveCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return JsonSerializer.SerializeToElement(card, Options);
    }

    /// <summary>Size of the compact UTF-8 JSON, the measure of <see cref="MaxCardBytes"/>.</summary>
    public static int Utf8ByteCount(AdaptiveCard card) => SerializeToUtf8Bytes(card).Length;

    /// <summary>Reads a card back (tests, stored cards). Unknown element or action types are an error.</summary>
    public static AdaptiveCard Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<AdaptiveCard>(json, Options) ?? throw new JsonException("A card cannot be null.");
    }

    // A card without actions (most of ours) or a progress card without a body should not carry "actions":[]; the
    // other lists (items, facts, cells...) are required by the schema and written even when empty.
    private static void OmitEmptyBodyAndActions(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type != typeof(AdaptiveCard))
        {
            return;
        }

        foreach (JsonPropertyInfo property in typeInfo.Properties)
        {
            if (property.Name is "body" or "actions")
            {
                property.ShouldSerialize = static (_, value) => value is System.Collections.ICollection { Count: > 0 };
            }
        }
    }

    private static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
            WriteIndented = indented,
            AllowOutOfOrderMetadataProperties = true,
            RespectRequiredConstructorParameters = false,
            // Cards travel as JSON bodies, never inside HTML, so HTML-sensitive characters need no \u escapes; keeping
            // non-ASCII text literal keeps cards smaller. Hostile characters (bidi, zero-width) never reach here raw:
            // CardText makes them visible first.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitEmptyBodyAndActions } },
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
