using System.Text.Json;
using ChatOpsBot.Integrations.Http;

namespace ChatOpsBot.Integrations.Mimecast;

/// <summary>One entry of a response's <c>fail</c> list, flattened: the per-item form
/// <c>{"key":{…},"errors":[{"code","message","field","retryable"}]}</c> gives one entry per error; the flat API 2.0
/// auth form <c>{"code","message"}</c> gives one entry without a key.</summary>
internal sealed record MimecastFailure(JsonFields? Key, string? Code, string? Message, string? Field)
{
    /// <summary>One bounded printable line: <c>code (message; field f)</c>.</summary>
    public string Describe()
    {
        string? code = Code is null ? null : RemoteText.OneLine(Code, RemoteText.MaxCodeChars);
        string? message = Message is null ? null : RemoteText.OneLine(Message, RemoteText.MaxMessageChars);
        string? field = Field is null ? null : RemoteText.OneLine(Field, RemoteText.MaxCodeChars);
        string detail = (message, field) switch
        {
            (null, null) => "",
            (_, null) => $" ({message})",
            (null, _) => $" (field {field})",
            _ => $" ({message}; field {field})",
        };
        return (code ?? "unspecified failure") + detail;
    }
}

/// <summary>
/// The <c>{"meta":{…},"data":[…],"fail":[…]}</c> envelope every Mimecast <c>/api/…</c> route answers with. Parsing
/// checks the shape Mimecast documents and nothing more; records inside <c>data</c> are read tolerantly later.
/// </summary>
internal sealed class MimecastEnvelope : IDisposable
{
    private static readonly JsonElement s_emptyArray = JsonSerializer.SerializeToElement(Array.Empty<int>());

    private readonly JsonDocument _document;

    private MimecastEnvelope(JsonDocument document, JsonElement data, IReadOnlyList<MimecastFailure> failures, string? next)
    {
        _document = document;
        Data = data;
        Failures = failures;
        Next = next;
    }

    /// <summary>The <c>data</c> array (an empty array when absent). Valid until the envelope is disposed.</summary>
    public JsonElement Data { get; }

    /// <summary>The failures; their keys, like <see cref="Data"/>, are valid until the envelope is disposed.</summary>
    public IReadOnlyList<MimecastFailure> Failures { get; }

    /// <summary><c>meta.pagination.next</c>: present only when Mimecast has more.</summary>
    public string? Next { get; }

    /// <summary>
    /// The envelope, or null when <paramref name="body"/> is not JSON of the documented shape. The envelope reads
    /// <paramref name="body"/> in place (a log page is ~100 KB: copying it per page was a measurable share of the URL
    /// monitor's allocations); dispose it when done to return the parser's pooled buffers.
    /// </summary>
    public static MimecastEnvelope? TryParse(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }

        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return null;
        }

        var fields = new JsonFields(root);
        JsonElement data;
        if (root.TryGetProperty("data", out JsonElement dataElement))
        {
            if (dataElement.ValueKind != JsonValueKind.Array)
            {
                document.Dispose();
                return null;
            }

            data = dataElement;
        }
        else
        {
            data = s_emptyArray;
        }

        if (root.TryGetProperty("fail", out JsonElement failElement) && failElement.ValueKind != JsonValueKind.Array)
        {
            document.Dispose();
            return null;
        }

        string? next = fields.Object("meta")?.Object("pagination")?.String("next");
        return new MimecastEnvelope(document, data, ReadFailures(root), string.IsNullOrEmpty(next) ? null : next);
    }

    public void Dispose() => _document.Dispose();

    /// <summary>The failures of a body that may not be a full envelope (401/403/5xx bodies), or none.</summary>
    public static IReadOnlyList<MimecastFailure> FailuresOf(byte[]? body)
    {
        if (body is null || body.Length == 0)
        {
            return [];
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? ReadFailures(document.RootElement.Clone()) : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>One line describing the failures: the first in full, then how many more.</summary>
    public static string Describe(IReadOnlyList<MimecastFailure> failures) =>
        failures.Count switch
        {
            0 => "no failure detail",
            1 => failures[0].Describe(),
            _ => $"{failures[0].Describe()} and {failures.Count - 1} more",
        };

    private static List<MimecastFailure> ReadFailures(JsonElement root)
    {
        var failures = new List<MimecastFailure>();
        if (!root.TryGetProperty("fail", out JsonElement fail) || fail.ValueKind != JsonValueKind.Array)
        {
            return failures;
        }

        foreach (JsonElement entry in fail.EnumerateArray())
        {
            var item = new JsonFields(entry);
            if (!item.IsObject)
            {
                failures.Add(new MimecastFailure(null, null, "unreadable failure entry", null));
                continue;
            }

            JsonFields? key = item.Object("key");
            bool anyError = false;
            if (item.Array("errors") is JsonElement errors)
            {
                foreach (JsonElement error in errors.EnumerateArray())
                {
                    var detail = new JsonFields(error);
                    failures.Add(new MimecastFailure(key, detail.String("code"), detail.String("message"), detail.String("field")));
                    anyError = true;
                }
            }

            if (!anyError)
            {
                failures.Add(new MimecastFailure(key, item.String("code"), item.String("message"), item.String("field")));
            }
        }

        return failures;
    }
}
