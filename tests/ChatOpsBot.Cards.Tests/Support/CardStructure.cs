using System.Text.Json;

namespace ChatOpsBot.Cards.Tests.Support;

/// <summary>
/// A C# check of what the Adaptive Card 1.5 schema and Teams require of our cards (the real validator, cardcheck,
/// runs in CI): required properties, consistent tables, unique ids, existing toggle targets, at most six actions,
/// charts with a fallback, our button convention, and no link or image at all (nothing from mail may become one).
/// </summary>
internal static class CardStructure
{
    private const int TeamsMaxActions = 6;

    public static IReadOnlyList<string> Problems(string cardJson)
    {
        using JsonDocument document = JsonDocument.Parse(cardJson);
        var problems = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var targets = new List<string>();
        JsonElement card = document.RootElement;
        Expect(card.GetProperty("type").GetString() == "AdaptiveCard", "(card): type is not AdaptiveCard", problems);
        Expect(card.TryGetProperty("version", out JsonElement version) && version.GetString() == "1.5", "(card): version is not 1.5", problems);
        Expect(card.TryGetProperty("fallbackText", out JsonElement fallbackText) && fallbackText.GetString()!.Length > 0, "(card): no fallbackText", problems);
        Expect(!card.TryGetProperty("msteams", out _), "(card): msteams is outside the 1.5 schema; the Teams channel adds it", problems);
        if (card.TryGetProperty("body", out JsonElement body))
        {
            Elements(body, "body", problems, ids, targets);
        }

        if (card.TryGetProperty("actions", out JsonElement actions))
        {
            Actions(actions, "actions", problems, targets);
        }

        foreach (string target in targets)
        {
            Expect(ids.Contains(target), $"toggle target '{target}' does not exist", problems);
        }

        return problems;
    }

    private static void Elements(JsonElement list, string path, List<string> problems, HashSet<string> ids, List<string> targets)
    {
        int index = 0;
        foreach (JsonElement element in list.EnumerateArray())
        {
            Element(element, $"{path}[{index++}]", problems, ids, targets);
        }
    }

    private static void Element(JsonElement element, string path, List<string> problems, HashSet<string> ids, List<string> targets)
    {
        string type = element.GetProperty("type").GetString()!;
        if (element.TryGetProperty("id", out JsonElement id))
        {
            Expect(ids.Add(id.GetString()!), $"{path}: duplicate id {id}", problems);
        }

        switch (type)
        {
            case "TextBlock":
                Expect(element.TryGetProperty("text", out JsonElement text) && text.GetString()!.Length > 0, $"{path}: TextBlock without text", problems);
                break;
            case "FactSet":
                Expect(element.GetProperty("facts").GetArrayLength() > 0, $"{path}: empty FactSet", problems);
                foreach (JsonElement fact in element.GetProperty("facts").EnumerateArray())
                {
                    Expect(fact.GetProperty("title").GetString()!.Length > 0 && fact.GetProperty("value").GetString()!.Length > 0, $"{path}: fact without title or value", problems);
                }

                break;
            case "Container":
                Elements(element.GetProperty("items"), $"{path}.items", problems, ids, targets);
                break;
            case "ColumnSet":
                int column = 0;
                foreach (JsonElement c in element.GetProperty("columns").EnumerateArray())
                {
                    Elements(c.GetProperty("items"), $"{path}.columns[{column++}].items", problems, ids, targets);
                }

                break;
            case "Table":
                int width = element.GetProperty("columns").GetArrayLength();
                int row = 0;
                foreach (JsonElement r in element.GetProperty("rows").EnumerateArray())
                {
                    JsonElement cells = r.GetProperty("cells");
                    Expect(cells.GetArrayLength() == width, $"{path}.rows[{row}]: {cells.GetArrayLength()} cells for {width} columns", problems);
                    int cell = 0;
                    foreach (JsonElement c in cells.EnumerateArray())
                    {
                        Expect(c.GetProperty("items").GetArrayLength() > 0, $"{path}.rows[{row}].cells[{cell}]: no items", problems);
                        Elements(c.GetProperty("items"), $"{path}.rows[{row}].cells[{cell++}].items", problems, ids, targets);
                    }

                    row++;
                }

                break;
            case "ActionSet":
                Actions(element.GetProperty("actions"), $"{path}.actions", problems, targets);
                break;
            case "Chart.VerticalBar" or "Chart.Line":
                Expect(element.TryGetProperty("fallback", out JsonElement fallback) && fallback.ValueKind == JsonValueKind.Object, $"{path}: chart without an element fallback", problems);
                if (element.TryGetProperty("fallback", out JsonElement f) && f.ValueKind == JsonValueKind.Object)
                {
                    Element(f, $"{path}.fallback", problems, ids, targets);
                }

                break;
            default:
                problems.Add($"{path}: element type {type} is not one our cards use (Image and inputs included: nothing from mail may be fetched)");
                break;
        }
    }

    private static void Actions(JsonElement actions, string path, List<string> problems, List<string> targets)
    {
        Expect(actions.GetArrayLength() <= TeamsMaxActions, $"{path}: more than {TeamsMaxActions} actions", problems);
        int index = 0;
        foreach (JsonElement action in actions.EnumerateArray())
        {
            string at = $"{path}[{index++}]";
            Expect(action.TryGetProperty("title", out JsonElement title) && title.GetString()!.Length > 0, $"{at}: action without title", problems);
            switch (action.GetProperty("type").GetString())
            {
                case "Action.Submit":
                    JsonElement data = action.GetProperty("data");
                    Expect(data.TryGetProperty("verb", out JsonElement verb) && verb.GetString()!.Length > 0, $"{at}: submit without a verb", problems);
                    foreach (JsonProperty argument in data.EnumerateObject())
                    {
                        Expect(argument.Value.ValueKind == JsonValueKind.String, $"{at}: data.{argument.Name} is not a string", problems);
                    }

                    break;
                case "Action.ToggleVisibility":
                    foreach (JsonElement target in action.GetProperty("targetElements").EnumerateArray())
                    {
                        targets.Add(target.GetProperty("elementId").GetString()!);
                    }

                    break;
                default:
                    problems.Add($"{at}: action type {action.GetProperty("type")} is not one our cards use (no OpenUrl: nothing from mail may be a link)");
                    break;
            }
        }
    }

    private static void Expect(bool condition, string problem, List<string> problems)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }
}
