using System.Text.Json;
using ChatOpsBot.Mail;

namespace ChatOpsBot.Mail.Tests.Corpus;

/// <summary>
/// Compares a parsed message with stalwart mail-parser's expected JSON (its test suite's format): a flat list of
/// parts whose bodies are <c>Multipart</c> (child indices), <c>Message</c> (a nested list), <c>Text</c>/<c>Html</c>
/// (decoded text) or <c>Binary</c>/<c>InlineBinary</c> (decoded bytes). Checked: the part tree, content types,
/// decoded file names, decoded text and binary contents.
/// Two documented differences of the oracle are allowed for, and reported as adjustments, not hidden:
/// stalwart does not implement the x-uuencode transfer encoding (it returns the raw text, which we then compare with
/// the raw content), and it turns bytes that are not valid UTF-8 into U+FFFD where we decode them as windows-1252 (as
/// the issue requires), so U+FFFD matches any one non-ASCII character.
/// </summary>
internal static class StalwartExpectation
{
    public static (List<string> Differences, List<string> Adjustments) Compare(MimeMessage message, JsonElement expected)
    {
        List<string> differences = [];
        List<string> adjustments = [];
        JsonElement parts = expected.GetProperty("parts");
        CompareEntity(message.Body, parts, 0, "root", differences, adjustments);
        return (differences, adjustments);
    }

    private static void CompareEntity(MimeEntity actual, JsonElement parts, int index, string path, List<string> differences, List<string> adjustments)
    {
        if (index >= parts.GetArrayLength())
        {
            differences.Add($"{path}: expected no part, found {actual.ContentType.MimeType}");
            return;
        }

        JsonElement part = parts[index];
        JsonProperty body = part.GetProperty("body").EnumerateObject().First();
        (string? type, string? subtype, string? fileName) = ReadHeaders(part);
        if (type is not null && (body.Name is not ("Text" or "Html") || actual is not TextPart)
            && (actual.ContentType.MediaType != type || actual.ContentType.MediaSubtype != subtype))
        {
            differences.Add($"{path}: content type {actual.ContentType.MimeType}, expected {type}/{subtype}");
        }

        switch (body.Name)
        {
            case "Multipart":
                if (actual is not Multipart multipart)
                {
                    differences.Add($"{path}: {actual.GetType().Name}, expected a multipart");
                    return;
                }

                int[] children = body.Value.EnumerateArray().Select(e => e.GetInt32()).ToArray();
                if (children.Length != multipart.Children.Count)
                {
                    differences.Add($"{path}: {multipart.Children.Count} children, expected {children.Length}");
                }

                for (int i = 0; i < Math.Min(children.Length, multipart.Children.Count); i++)
                {
                    CompareEntity(multipart.Children[i], parts, children[i], $"{path}/{i}", differences, adjustments);
                }

                break;
            case "Message":
                if (actual is not MessagePart messagePart)
                {
                    differences.Add($"{path}: {actual.GetType().Name}, expected an embedded message");
                    return;
                }

                CompareEntity(messagePart.Message.Body, body.Value.GetProperty("parts"), 0, $"{path}/message", differences, adjustments);
                break;
            case "Text" or "Html":
                if (actual is not TextPart text)
                {
                    differences.Add($"{path}: {actual.GetType().Name} {actual.ContentType.MimeType}, expected {body.Name.ToLowerInvariant()} text");
                    return;
                }

                string expectedText = body.Value.GetString() ?? string.Empty;
                if (text.ContentTransferEncoding == ContentEncoding.UuEncode && !TextMatches(text.Text, expectedText, path, adjustments))
                {
                    string raw = System.Text.Encoding.Latin1.GetString(text.RawContent.Span);
                    if (TextMatches(raw, expectedText, path, adjustments))
                    {
                        adjustments.Add($"{path}: x-uuencode is not decoded by stalwart; its raw text matches");
                        expectedText = text.Text;
                    }
                }

                if (!TextMatches(text.Text, expectedText, path, adjustments))
                {
                    differences.Add($"{path}: text differs at char {FirstDifference(text.Text, expectedText)} (got {text.Text.Length} chars, expected {expectedText.Length}): got {Excerpt(text.Text, expectedText)}");
                }

                CompareFileName(text, fileName, path, differences, adjustments);
                break;
            default:
                if (actual is not MimePart leaf)
                {
                    differences.Add($"{path}: {actual.GetType().Name}, expected a leaf part");
                    return;
                }

                byte[] expectedBytes = body.Value.EnumerateArray().Select(e => (byte)e.GetInt32()).ToArray();
                byte[] actualBytes = leaf.GetContentBytes();
                if (leaf.ContentTransferEncoding == ContentEncoding.UuEncode && !actualBytes.AsSpan().SequenceEqual(expectedBytes)
                    && leaf.RawContent.Span.SequenceEqual(expectedBytes))
                {
                    adjustments.Add($"{path}: x-uuencode is not decoded by stalwart; its raw bytes match");
                    actualBytes = expectedBytes;
                }

                if (!actualBytes.AsSpan().SequenceEqual(expectedBytes))
                {
                    differences.Add($"{path}: decoded content differs ({actualBytes.Length} bytes, expected {expectedBytes.Length})");
                }

                CompareFileName(leaf, fileName, path, differences, adjustments);
                break;
        }
    }

    private static void CompareFileName(MimePart part, string? expected, string path, List<string> differences, List<string> adjustments)
    {
        if (expected is not null && !TextMatches(part.FileName ?? string.Empty, expected, path, adjustments))
        {
            differences.Add($"{path}: file name '{part.FileName}', expected '{expected}'");
        }
    }

    private static (string? Type, string? Subtype, string? FileName) ReadHeaders(JsonElement part)
    {
        string? type = null;
        string? subtype = null;
        string? name = null;
        string? fileName = null;
        foreach (JsonElement header in part.GetProperty("headers").EnumerateArray())
        {
            JsonElement headerName = header.GetProperty("name");
            string field = headerName.ValueKind == JsonValueKind.String ? headerName.GetString()! : string.Empty;
            JsonElement headerValue = header.GetProperty("value");
            if (field is not ("content_type" or "content_disposition") || headerValue.ValueKind != JsonValueKind.Object
                || !headerValue.TryGetProperty("ContentType", out JsonElement value))
            {
                continue;
            }

            string? attribute = null;
            if (value.TryGetProperty("attributes", out JsonElement attributes) && attributes.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement a in attributes.EnumerateArray())
                {
                    string? attributeName = a.GetProperty("name").GetString();
                    if (attributeName is "name" or "filename")
                    {
                        attribute ??= a.GetProperty("value").GetString();
                    }
                }
            }

            if (field == "content_type")
            {
                type = value.GetProperty("c_type").GetString()?.ToLowerInvariant();
                subtype = value.TryGetProperty("c_subtype", out JsonElement s) && s.ValueKind == JsonValueKind.String
                    ? s.GetString()?.ToLowerInvariant()
                    : string.Empty;
                name = attribute;
            }
            else
            {
                fileName = attribute;
            }
        }

        return (type, subtype, fileName ?? name);
    }

    private static bool TextMatches(string actual, string expected, string path, List<string> adjustments)
    {
        if (string.Equals(actual, expected, StringComparison.Ordinal))
        {
            return true;
        }

        if (actual.Length != expected.Length || !expected.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return false;
        }

        for (int i = 0; i < actual.Length; i++)
        {
            if (actual[i] != expected[i] && !(expected[i] == '\uFFFD' && actual[i] >= 0x80))
            {
                return false;
            }
        }

        adjustments.Add($"{path}: invalid UTF-8 decoded as windows-1252 where stalwart has U+FFFD");
        return true;
    }

    private static int FirstDifference(string a, string b)
    {
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        return i;
    }

    private static string Excerpt(string actual, string expected)
    {
        int at = FirstDifference(actual, expected);
        string Slice(string s) => JsonSerializer.Serialize(s.Substring(Math.Min(at, s.Length), Math.Min(30, s.Length - Math.Min(at, s.Length))));
        return $"{Slice(actual)}, expected {Slice(expected)}";
    }
}
