using System.Text.Encodings.Web;
using System.Text.Json;

namespace ChatOpsBot.Analysis.Common;

/// <summary>
/// JSON conventions of the seed 000 tool (Python <c>json.dumps(asdict(result), indent=2)</c>):
/// snake_case names, two-space indentation, and insertion order wherever the seed used a dict.
/// </summary>
public static class SeedJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        IndentSize = 2,
        // Output goes to terminals and files, not HTML: keep '<', '&' and non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
