using System.Globalization;
using System.Text.Json;
using ChatOpsBot.Cards.BlockKit;

namespace ChatOpsBot.Cards.Tests.BlockKit;

/// <summary>
/// Reads rendered messages back as JSON, independently of the renderer's own model: Slack's documented limits (the
/// ones cardcheck's check-slack.mjs enforces) and every text Slack shows.
/// </summary>
internal static class SlackShape
{
    public static JsonDocument Parse(BlockKitMessage message) => JsonDocument.Parse(BlockKitJson.Serialize(message));

    /// <summary>Every broken limit, one line each; empty when the message is within Slack's limits.</summary>
    public static List<string> LimitProblems(BlockKitMessage message)
    {
        using JsonDocument document = Parse(message);
        var problems = new List<string>();
        JsonElement blocks = document.RootElement.GetProperty("blocks");
        if (blocks.GetArrayLength() is 0 or > BlockKitLimits.MessageBlocks)
        {
            problems.Add($"{blocks.GetArrayLength()} blocks");
        }

        int text = 0;
        int index = 0;
        foreach (JsonElement block in blocks.EnumerateArray())
        {
            string at = string.Create(CultureInfo.InvariantCulture, $"blocks[{index++}]");
            string type = block.GetProperty("type").GetString()!;
            foreach ((string path, string kind, string value) in TextObjects(block, at))
            {
                text += value.Length;
                if (value.Length is 0 or > 3000)
                {
                    problems.Add($"{path}: {kind} of {value.Length} chars");
                }
            }

            switch (type)
            {
                case "header":
                    Max(problems, at, block.GetProperty("text").GetProperty("text").GetString()!, BlockKitLimits.HeaderChars);
                    if (block.GetProperty("text").GetProperty("type").GetString() != "plain_text")
                    {
                        problems.Add($"{at}: header text is not plain_text");
                    }

                    break;
                case "section":
                    bool hasText = block.TryGetProperty("text", out JsonElement sectionText);
                    bool hasFields = block.TryGetProperty("fields", out JsonElement fields);
                    if (!hasText && !hasFields)
                    {
                        problems.Add($"{at}: section without text or fields");
                    }

                    if (hasText)
                    {
                        Max(problems, at, sectionText.GetProperty("text").GetString()!, BlockKitLimits.SectionTextChars);
                    }

                    if (hasFields)
                    {
                        if (fields.GetArrayLength() is 0 or > BlockKitLimits.SectionFields)
                        {
                            problems.Add($"{at}: {fields.GetArrayLength()} fields");
                        }

                        foreach (JsonElement field in fields.EnumerateArray())
                        {
                            Max(problems, at + ".fields", field.GetProperty("text").GetString()!, BlockKitLimits.FieldChars);
                        }
                    }

                    break;
                case "context":
                    if (block.GetProperty("elements").GetArrayLength() is 0 or > BlockKitLimits.ContextElements)
                    {
                        problems.Add($"{at}: {block.GetProperty("elements").GetArrayLength()} context elements");
                    }

                    break;
                case "actions":
                    JsonElement elements = block.GetProperty("elements");
                    if (elements.GetArrayLength() is 0 or > BlockKitLimits.ActionsElements)
                    {
                        problems.Add($"{at}: {elements.GetArrayLength()} actions");
                    }

                    var ids = new HashSet<string>(StringComparer.Ordinal);
                    foreach (JsonElement button in elements.EnumerateArray())
                    {
                        Max(problems, at + " button", button.GetProperty("text").GetProperty("text").GetString()!, BlockKitLimits.ButtonLabelChars);
                        string id = button.GetProperty("action_id").GetString()!;
                        Max(problems, at + " action_id", id, BlockKitLimits.ActionIdChars);
                        if (!ids.Add(id))
                        {
                            problems.Add($"{at}: duplicate action_id {id}");
                        }

                        if (button.TryGetProperty("value", out JsonElement value))
                        {
                            Max(problems, at + " value", value.GetString()!, BlockKitLimits.ButtonValueChars);
                        }
                    }

                    break;
                case "divider":
                case "image":
                    break;
                default:
                    problems.Add($"{at}: unexpected block type {type}");
                    break;
            }
        }

        if (text > BlockKitLimits.MessageTextChars)
        {
            problems.Add($"{text} characters of text in the blocks");
        }

        Max(problems, "text", document.RootElement.GetProperty("text").GetString()!, BlockKitLimits.NotificationTextChars);
        return problems;
    }

    /// <summary>Every text object in a block: path, type (plain_text or mrkdwn), text.</summary>
    public static IEnumerable<(string Path, string Type, string Text)> TextObjects(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (JsonElement item in element.EnumerateArray())
            {
                foreach ((string, string, string) found in TextObjects(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]")))
                {
                    yield return found;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("type", out JsonElement type) && type.GetString() is "plain_text" or "mrkdwn"
                && element.TryGetProperty("text", out JsonElement text) && text.ValueKind == JsonValueKind.String)
            {
                yield return (path, type.GetString()!, text.GetString()!);
                yield break;
            }

            foreach (JsonProperty property in element.EnumerateObject())
            {
                foreach ((string, string, string) found in TextObjects(property.Value, $"{path}.{property.Name}"))
                {
                    yield return found;
                }
            }
        }
    }

    /// <summary>Every text Slack shows: the text objects and the top-level notification text (which Slack reads as mrkdwn).</summary>
    public static List<(string Path, string Type, string Text)> ShownTexts(BlockKitMessage message)
    {
        using JsonDocument document = Parse(message);
        List<(string, string, string)> texts = [.. TextObjects(document.RootElement.GetProperty("blocks"), "blocks")];
        texts.Add(("text", "mrkdwn", document.RootElement.GetProperty("text").GetString()!));
        return texts;
    }

    /// <summary>What mrkdwn shows for entities (for content assertions).</summary>
    public static string Decode(string mrkdwn) => mrkdwn.Replace("&lt;", "<", StringComparison.Ordinal)
        .Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    private static void Max(List<string> problems, string at, string text, int max)
    {
        if (text.Length > max)
        {
            problems.Add($"{at}: {text.Length} chars, max {max}");
        }
    }
}
