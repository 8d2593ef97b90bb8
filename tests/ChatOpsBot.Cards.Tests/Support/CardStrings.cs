using System.Text.Json;

namespace ChatOpsBot.Cards.Tests.Support;

/// <summary>Every string a host shows from a card, and whether it renders it as markdown.</summary>
internal static class CardStrings
{
    public static IReadOnlyList<(string Path, string Text, bool Markdown)> All(string cardJson)
    {
        using JsonDocument document = JsonDocument.Parse(cardJson);
        var found = new List<(string, string, bool)>();
        Walk(document.RootElement, "$", parentType: "AdaptiveCard", found);
        return found;
    }

    private static void Walk(JsonElement element, string path, string parentType, List<(string, string, bool)> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                string type = element.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : parentType;
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    string at = $"{path}.{property.Name}";
                    if (property.Value.ValueKind == JsonValueKind.String && property.Name != "type")
                    {
                        // Submit data is sent back to the bot, never shown; ids and enum values are ours.
                        bool shown = property.Name is "text" or "title" or "value" or "fallbackText" or "speak" or "x" or "legend" or "xAxisTitle" or "yAxisTitle";
                        if (shown && !path.EndsWith(".data", StringComparison.Ordinal))
                        {
                            bool markdown = type is "TextBlock" || (type == "FactSet" && property.Name is "title" or "value");
                            found.Add((at, property.Value.GetString()!, markdown));
                        }
                    }
                    else
                    {
                        Walk(property.Value, at, type, found);
                    }
                }

                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{index++}]", parentType, found);
                }

                break;
        }
    }
}
