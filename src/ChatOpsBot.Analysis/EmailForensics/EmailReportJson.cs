using System.Text.Json;
using System.Text.Json.Serialization;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>
/// JSON for <see cref="EmailReport"/>: the project's snake_case conventions (<see cref="SeedJson"/>) with enums as
/// snake_case strings (<c>"verdict": "suspicious"</c>, <c>"severity": "high"</c>, <c>"scope": "shared_cgnat"</c>).
/// </summary>
public static class EmailReportJson
{
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    /// <summary>One object per line, for NDJSON.</summary>
    public static JsonSerializerOptions Compact { get; } = Create(indented: false);

    public static string Serialize(EmailReport report, bool indented = true) =>
        JsonSerializer.Serialize(report, indented ? Indented : Compact);

    /// <summary>Any value as one compact line with the same conventions (for NDJSON error lines).</summary>
    public static string SerializeLine<T>(T value) => JsonSerializer.Serialize(value, Compact);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(SeedJson.Options) { WriteIndented = indented };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
