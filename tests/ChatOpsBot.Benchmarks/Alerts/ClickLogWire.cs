using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace ChatOpsBot.Benchmarks.Alerts;

/// <summary>What a generated click is: a user click Mimecast allowed, an entry scan, a warning, or a malicious verdict.</summary>
internal enum ClickKind
{
    AllowedUserClick,
    EntryScan,
    Warned,
    Malicious,
}

/// <summary>One generated TTP URL click, in the fields the wire record is written from.</summary>
internal sealed record GeneratedClick(DateTimeOffset At, string Url, string User, string Sender, string Subject, string MessageId, ClickKind Kind);

/// <summary>
/// Synthetic TTP URL Protect click records in Mimecast's wire format (reference §3.3, shaped like the Elastic mock's
/// records in <c>../shared/samples/mimecast/elastic/mock_v2</c>): every field a real record carries, tracking
/// parameters and mixed-case hosts on some URLs so the normaliser has work to do, and a seeded generator so runs compare.
/// </summary>
internal static class ClickLogWire
{
    private static readonly string[] s_sites =
    [
        "sharepoint-docs", "invoice-portal", "newsletter", "cdn-assets", "hr-benefits", "travel-booking", "webinar", "payroll",
        "crm-login", "shipping-track", "survey", "vendor-portal",
    ];

    private static readonly string[] s_tlds = ["com", "net", "org", "co.uk", "io", "example"];

    /// <summary>A URL of the pool <paramref name="index"/> names: about one in four carries tracking parameters, one in
    /// eight an upper-case host and a default port, so equal destinations arrive spelled differently.</summary>
    public static string Url(int index, Random random)
    {
        string site = s_sites[index % s_sites.Length];
        string host = string.Create(CultureInfo.InvariantCulture, $"{site}{index / s_sites.Length % 9973}.{s_tlds[index % s_tlds.Length]}");
        string path = string.Create(CultureInfo.InvariantCulture, $"/c/{index:x}/view");
        int variant = random.Next(8);
        return variant switch
        {
            0 => "HTTPS://" + host.ToUpperInvariant() + ":443" + path + "/?id=" + index.ToString(CultureInfo.InvariantCulture),
            1 or 2 => "https://" + host + path + "?id=" + index.ToString(CultureInfo.InvariantCulture) + "&utm_source=mail&utm_campaign=q4",
            _ => "https://" + host + path + "?id=" + index.ToString(CultureInfo.InvariantCulture),
        };
    }

    public static string User(int index) => string.Create(CultureInfo.InvariantCulture, $"user{index:D5}@corp.example");

    /// <summary><paramref name="count"/> clicks on <paramref name="urlPool"/> URLs by <paramref name="userPool"/> users,
    /// evenly over [<paramref name="from"/>, <paramref name="to"/>), oldest first: 60 % allowed user clicks, 33 % entry
    /// scans, 5 % warnings, 2 % malicious verdicts.</summary>
    public static List<GeneratedClick> Generate(int count, DateTimeOffset from, DateTimeOffset to, int urlPool, int userPool, int seed)
    {
        var random = new Random(seed);
        var clicks = new List<GeneratedClick>(count);
        long span = (to - from).Ticks;
        for (int i = 0; i < count; i++)
        {
            // Whole seconds, as Mimecast writes them; several clicks share a second, as they do in busy tenants.
            DateTimeOffset at = from.AddTicks(span * i / count);
            at = new DateTimeOffset(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            int roll = random.Next(100);
            ClickKind kind = roll switch
            {
                < 60 => ClickKind.AllowedUserClick,
                < 93 => ClickKind.EntryScan,
                < 98 => ClickKind.Warned,
                _ => ClickKind.Malicious,
            };
            int url = random.Next(urlPool);
            int message = random.Next(1_000_000);
            clicks.Add(new GeneratedClick(
                at,
                Url(url, random),
                User(random.Next(userPool)),
                string.Create(CultureInfo.InvariantCulture, $"notifications@{s_sites[url % s_sites.Length]}.example"),
                string.Create(CultureInfo.InvariantCulture, $"Your document #{message} is ready"),
                string.Create(CultureInfo.InvariantCulture, $"<{message:x8}.{i:x}@mail.sender.example>"),
                kind));
        }

        return clicks;
    }

    /// <summary>One click as Mimecast's JSON, UTF-8.</summary>
    public static byte[] Record(GeneratedClick click)
    {
        ArgumentNullException.ThrowIfNull(click);
        using var buffer = new MemoryStream(900);
        using (var json = new Utf8JsonWriter(buffer))
        {
            bool malicious = click.Kind == ClickKind.Malicious;
            json.WriteStartObject();
            json.WriteString("userEmailAddress", click.User);
            json.WriteString("fromUserEmailAddress", click.Sender);
            json.WriteString("url", click.Url);
            json.WriteString("ttpDefinition", "Inbound URL 'Aggressive'");
            json.WriteString("subject", click.Subject);
            json.WriteString("action", click.Kind switch
            {
                ClickKind.Warned => "warn",
                ClickKind.Malicious => "block",
                _ => "allow",
            });
            json.WriteString("adminOverride", "N/A");
            json.WriteString("userOverride", "None");
            json.WriteString("scanResult", malicious ? "malicious" : "clean");
            json.WriteString("category", malicious ? "Compromised" : "Business");
            json.WriteString("sendingIp", "67.43.156.15");
            json.WriteString("userAwarenessAction", click.Kind == ClickKind.AllowedUserClick ? "Continue" : "N/A");
            json.WriteString("date", click.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+0000");
            json.WriteString("actions", click.Kind switch
            {
                ClickKind.AllowedUserClick or ClickKind.EntryScan => "Allow",
                ClickKind.Malicious => "Block",
                _ => "None",
            });
            json.WriteString("route", "inbound");
            json.WriteString("creationMethod", click.Kind == ClickKind.EntryScan ? "Entry Scan" : "User Click");
            json.WriteStartArray("emailPartsDescription");
            json.WriteStringValue("Body");
            json.WriteEndArray();
            json.WriteString("messageId", click.MessageId);
            if (malicious)
            {
                json.WriteStartObject("tagMap");
                json.WriteStartObject("UrlReputationScan");
                json.WriteStartArray("Status");
                json.WriteStringValue("CustomerAll");
                json.WriteStringValue("VerdictBlock");
                json.WriteEndArray();
                json.WriteStartArray("Type");
                json.WriteStringValue("Compromised");
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}

/// <summary>
/// Mimecast API 2.0 as far as the URL monitor uses it, answered in process (no socket, so the figure is the bot's
/// work): <c>POST /oauth/token</c> and <c>POST /api/ttp/url/get-logs</c> with the request's <c>from</c>/<c>to</c>
/// (inclusive start, exclusive end), <c>pageSize</c> and <c>pageToken</c>, pages in the envelope of reference §1.4/§3.2.
/// Records are serialised once, up front; a page is their bytes joined.
/// </summary>
internal sealed class ClickLogMimecastHandler : HttpMessageHandler
{
    private static readonly byte[] s_token = """{"access_token":"benchmark-token","token_type":"Bearer","expires_in":1799,"scope":""}"""u8.ToArray();

    private readonly DateTimeOffset[] _dates;
    private readonly byte[][] _records;

    // Pages are cached by what they hold: the fake server's own work (building ~100 KB per page) is not the
    // client's, and on a real deployment it happens on Mimecast's side of the network.
    private readonly Dictionary<(int Start, int Stop, int Total), byte[]> _pages = [];

    /// <param name="clicks">Oldest first.</param>
    public ClickLogMimecastHandler(IReadOnlyList<GeneratedClick> clicks)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        _dates = [.. clicks.Select(c => c.At)];
        _records = [.. clicks.Select(ClickLogWire.Record)];
    }

    public int Requests { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        string path = request.RequestUri!.AbsolutePath;
        if (path.EndsWith("/oauth/token", StringComparison.Ordinal))
        {
            return Json(s_token);
        }

        if (!path.EndsWith("/api/ttp/url/get-logs", StringComparison.Ordinal))
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new ByteArrayContent("""{"fail":[{"code":"not_found"}]}"""u8.ToArray()) };
        }

        byte[] body = await request.Content!.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement pagination = document.RootElement.GetProperty("meta").GetProperty("pagination");
        int pageSize = pagination.GetProperty("pageSize").GetInt32();
        JsonElement filters = document.RootElement.GetProperty("data")[0];
        int first = LowerBound(ParseDate(filters.GetProperty("from").GetString()!));
        int end = LowerBound(ParseDate(filters.GetProperty("to").GetString()!));
        int start = pagination.TryGetProperty("pageToken", out JsonElement token) && token.GetString() is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : first;
        int stop = Math.Min(start + pageSize, end);
        byte[]? page;
        lock (_pages)
        {
            if (!_pages.TryGetValue((start, stop, end - first), out page))
            {
                page = Page(start, stop, stop < end ? stop.ToString(CultureInfo.InvariantCulture) : null, end - first);
                _pages[(start, stop, end - first)] = page;
            }
        }

        return Json(page);
    }

    private byte[] Page(int start, int stop, string? next, int total)
    {
        var page = new MemoryStream(1024 + (stop - start) * 900);
        string nextField = next is null ? "" : ",\"next\":\"" + next + "\"";
        string pagination = string.Create(CultureInfo.InvariantCulture, $"\"pageSize\":{stop - start},\"totalCount\":{total}{nextField}");
        page.Write(Encoding.UTF8.GetBytes("{\"meta\":{\"status\":200,\"pagination\":{" + pagination + "}},\"data\":[{\"clickLogs\":["));
        for (int i = start; i < stop; i++)
        {
            if (i > start)
            {
                page.WriteByte((byte)',');
            }

            page.Write(_records[i]);
        }

        page.Write("""]}],"fail":[]}"""u8);
        return page.ToArray();
    }

    private int LowerBound(DateTimeOffset value)
    {
        int low = 0;
        int high = _dates.Length;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (_dates[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static DateTimeOffset ParseDate(string text) =>
        DateTimeOffset.Parse(text.EndsWith("+0000", StringComparison.Ordinal) ? text[..^5] + "Z" : text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    private static HttpResponseMessage Json(byte[] body)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return response;
    }
}
