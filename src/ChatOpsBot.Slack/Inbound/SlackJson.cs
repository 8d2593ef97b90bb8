using System.Text.Json;

namespace ChatOpsBot.Slack.Inbound;

/// <summary>Bounded reads of Slack's JSON: a field of the wrong type or over its length counts as absent.</summary>
internal static class SlackJson
{
    /// <summary>Slack ids (U…, C…, F…, Ev…, timestamps) are short; anything longer is not one.</summary>
    public const int MaxIdChars = 64;

    public const int MaxNameChars = 1000;

    public const int MaxUrlChars = 3000;

    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static string? String(JsonElement element, string name, int maxChars)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        string? text = value.GetString();
        return text is null || text.Length > maxChars ? null : text;
    }

    /// <summary>A string that is cut, not refused, when long (message text, email bodies).</summary>
    public static string? Text(JsonElement element, string name, int maxChars)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        string? text = value.GetString();
        return text is null || text.Length <= maxChars ? text : text[..maxChars];
    }

    public static string? Id(JsonElement element, string name) => IdOrNull(String(element, name, MaxIdChars));

    /// <summary>
    /// <paramref name="value"/> when it looks like a Slack id or timestamp (letters, digits, <c>. _ -</c>, at most
    /// <see cref="MaxIdChars"/>), else null: ids go into logs, keys and API calls.
    /// </summary>
    public static string? IdOrNull(string? value) =>
        value is { Length: > 0 and <= MaxIdChars } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') ? value : null;

    public static long? Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value)
        && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number) ? number : null;

    public static bool Bool(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.True;

    public static JsonElement Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Object
            ? value
            : default;

    public static IEnumerable<JsonElement> Array(JsonElement element, string name, int maxItems) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Take(maxItems)
            : [];

    /// <summary>A file object, or null without an id.</summary>
    public static SlackFile? File(JsonElement file)
    {
        if (file.ValueKind != JsonValueKind.Object || Id(file, "id") is not { } id)
        {
            return null;
        }

        string? mode = String(file, "mode", MaxIdChars);
        return new SlackFile(
            id,
            String(file, "name", MaxNameChars),
            String(file, "title", MaxNameChars),
            String(file, "mimetype", MaxNameChars),
            String(file, "filetype", MaxIdChars),
            mode,
            Long(file, "size") is >= 0 and var size ? size : null,
            String(file, "url_private", MaxUrlChars),
            String(file, "url_private_download", MaxUrlChars),
            String(file, "file_access", MaxIdChars))
        {
            Email = string.Equals(mode, SlackFile.EmailMode, StringComparison.Ordinal) ? Email(file) : null,
        };
    }

    /// <summary>The most text of a forwarded email kept from the file object.</summary>
    public const int MaxEmailTextChars = 200_000;

    private const int MaxAddresses = 100;

    private static SlackEmailDetails Email(JsonElement file)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        JsonElement headerObject = Object(file, "headers");
        if (headerObject.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty header in headerObject.EnumerateObject().Take(50))
            {
                if (header.Value.ValueKind == JsonValueKind.String && header.Name.Length <= 100 && header.Value.GetString() is { Length: <= MaxNameChars } value)
                {
                    headers[header.Name] = value;
                }
            }
        }

        return new SlackEmailDetails(
            String(file, "subject", MaxNameChars),
            Addresses(file, "from"),
            Addresses(file, "to"),
            Addresses(file, "cc"),
            headers,
            Text(file, "plain_text", MaxEmailTextChars),
            Long(file, "original_attachment_count") is >= 0 and <= int.MaxValue and var count ? (int)count : null);
    }

    private static List<SlackEmailAddress> Addresses(JsonElement file, string name) =>
    [
        .. Array(file, name, MaxAddresses)
            .Where(a => a.ValueKind == JsonValueKind.Object)
            .Select(a => new SlackEmailAddress(String(a, "name", MaxNameChars), String(a, "address", MaxNameChars), String(a, "original", MaxNameChars))),
    ];
}
