using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsBot.Cards.BlockKit;

/// <summary>Serialises Block Kit messages: Slack's snake_case names (fixed on the model), nulls left out.</summary>
public static class BlockKitJson
{
    /// <summary>The options Block Kit is written with; request bodies that embed blocks can use them too.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions(indented: false);

    private static readonly JsonSerializerOptions s_indented = CreateOptions(indented: true);

    /// <summary>The message as a payload (<c>{"text": ..., "blocks": [...]}</c>), as <c>chatops cards</c> writes it.</summary>
    public static string Serialize(BlockKitMessage message, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.Serialize(message, indented ? s_indented : Options);
    }

    /// <summary>The blocks alone, as a JSON array (the <c>blocks</c> argument of a Web API call).</summary>
    public static JsonArray BlocksToJsonArray(IReadOnlyList<SlackBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        return JsonSerializer.SerializeToNode(blocks, Options)!.AsArray();
    }

    /// <summary>Reads a message back (tests).</summary>
    public static BlockKitMessage Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<BlockKitMessage>(json, Options) ?? throw new JsonException("A message cannot be null.");
    }

    private static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = indented,
            AllowOutOfOrderMetadataProperties = true,
            // Bodies are JSON sent to Slack, never embedded in HTML; escaping is done for mrkdwn, not by the serializer.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
