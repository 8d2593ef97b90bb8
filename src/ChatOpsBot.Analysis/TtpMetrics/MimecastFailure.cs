using System.Text.Json;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>
/// Describes one entry of a Mimecast response's <c>fail</c> list: either the per-item form
/// <c>{"key":…,"errors":[{"code","message","retryable"}]}</c> or the flat form <c>{"code","message"}</c> of API 2.0 auth errors.
/// </summary>
internal static class MimecastFailure
{
    public static string Describe(ReadOnlySpan<byte> failJson)
    {
        using JsonDocument document = JsonDocument.Parse(failJson.ToArray());
        JsonElement failure = document.RootElement;
        if (failure.ValueKind != JsonValueKind.Object)
        {
            return failure.GetRawText();
        }

        if (failure.TryGetProperty("errors", out JsonElement errors) && errors.ValueKind == JsonValueKind.Array)
        {
            var described = new List<string>();
            foreach (JsonElement error in errors.EnumerateArray())
            {
                described.Add(DescribeError(error));
            }

            if (described.Count > 0)
            {
                return string.Join("; ", described);
            }
        }

        return DescribeError(failure);
    }

    private static string DescribeError(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            return error.GetRawText();
        }

        string? code = Text(error, "code");
        string? message = Text(error, "message");
        return (code, message) switch
        {
            (null, null) => error.GetRawText(),
            (_, null) => code!,
            (null, _) => message!,
            _ => $"{code} ({message})",
        };
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? JsonInput.ReadString(value, $"the Mimecast failure's {name}")
            : null;
}
