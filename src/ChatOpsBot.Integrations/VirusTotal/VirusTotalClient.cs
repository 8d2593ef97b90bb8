using System.Net;
using System.Text.Json;
using ChatOpsBot.Integrations.Http;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Integrations.VirusTotal;

/// <summary>
/// VirusTotal v3 reports by GET only. There is deliberately no way here to send a body, a file or a URL for scanning:
/// mail may be confidential, and submitting discloses it (a test checks the compiled code for any other method).
/// Callers go through <see cref="ReputationService"/>, which applies the process-wide rate limit and the cache.
/// </summary>
internal sealed partial class VirusTotalClient(HttpClient http, VirusTotalOptions options, TimeProvider timeProvider, ILogger logger)
{
    public const string HttpClientName = "ChatOpsBot.VirusTotal";
    public const string ApiKeyHeader = "x-apikey";
    public const int MaxHostNameChars = 253;

    public async Task<ReputationResult> LookupAsync(ReputationIndicator indicator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ReputationQuery query = indicator.Query;
        using var request = new HttpRequestMessage(HttpMethod.Get, indicator.Path);
        request.Headers.Add(ApiKeyHeader, options.ApiKey);
        request.Headers.Accept.ParseAdd("application/json");

        HttpStatusCode status;
        byte[]? body;
        // One bound for headers and body together: a server that trickles its body must not hold a shared lookup forever.
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(options.RequestTimeout);
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token)
                .ConfigureAwait(false);
            status = response.StatusCode;
            body = await BoundedContent.ReadAsync(response.Content, options.MaxResponseBytes, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailure(logger, query.Kind, 0, "timeout");
            return ReputationResult.Unavailable(query, "VirusTotal did not answer in time");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            LogFailure(logger, query.Kind, 0, "connection");
            return ReputationResult.Unavailable(query, "could not reach VirusTotal");
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        if (status == HttpStatusCode.OK)
        {
            ReputationResult? result = body is null ? null : Read(query, body, now);
            if (result is null)
            {
                LogFailure(logger, query.Kind, 200, "malformed");
                return ReputationResult.Unavailable(query, "VirusTotal's answer was unreadable");
            }

            return result;
        }

        string? code = ErrorCode(body);
        if (status != HttpStatusCode.NotFound)
        {
            LogFailure(logger, query.Kind, (int)status, code ?? "none");
        }

        return status switch
        {
            HttpStatusCode.NotFound => new ReputationResult(query, ReputationStatus.Unknown, "unknown to VirusTotal", null, null, now, false, [], 0),
            HttpStatusCode.TooManyRequests => ReputationResult.QuotaExhausted(
                query, $"VirusTotal answered 429 {code ?? "QuotaExceededError"}"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ReputationResult.Unavailable(
                query, $"VirusTotal refused the API key ({code ?? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)})"),
            _ => ReputationResult.Unavailable(
                query, $"VirusTotal error {(int)status}{(code is null ? "" : " " + code)}"),
        };
    }

    /// <summary>The report's verdict, or null when the body is not the documented <c>{"data":{…}}</c> shape.</summary>
    private static ReputationResult? Read(ReputationQuery query, byte[] body, DateTimeOffset now)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            var root = new JsonFields(document.RootElement);
            return query.Kind == ReputationIndicatorKind.IpResolutions ? ReadResolutions(query, root, now) : ReadReport(query, root, now);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ReputationResult? ReadReport(ReputationQuery query, JsonFields root, DateTimeOffset now)
    {
        if (root.Object("data") is not JsonFields data || data.Object("attributes") is not JsonFields attributes)
        {
            return null;
        }

        DateTimeOffset? analysed = attributes.Long("last_analysis_date") is long seconds && seconds > 0 && seconds < 253_402_300_800
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
        ReputationEngineCounts? engines = attributes.Object("last_analysis_stats") is JsonFields stats ? Counts(stats) : null;
        if (engines is null || engines.Total == 0)
        {
            return new ReputationResult(query, ReputationStatus.Unknown, "known to VirusTotal, no analysis yet", engines, analysed, now, false, [], 0);
        }

        return new ReputationResult(query, ReputationSummary.EnginesStatus(engines), ReputationSummary.Engines(engines), engines, analysed, now, false, [], 0);
    }

    private static ReputationResult? ReadResolutions(ReputationQuery query, JsonFields root, DateTimeOffset now)
    {
        if (root.Array("data") is not JsonElement items)
        {
            return null;
        }

        var flagged = new List<ReputationResolvedHost>();
        int checkedCount = 0;
        foreach (JsonElement item in items.EnumerateArray())
        {
            var resolution = new JsonFields(item);
            JsonFields? attributes = resolution.Object("attributes");
            if (attributes?.String("host_name") is not string host)
            {
                continue;
            }

            checkedCount++;
            ReputationEngineCounts? counts = attributes.Value.Object("host_name_last_analysis_stats") is JsonFields stats ? Counts(stats) : null;
            if (counts is { Malicious: > 0 } or { Suspicious: > 0 })
            {
                DateTimeOffset? date = attributes.Value.Long("date") is long seconds && seconds > 0 && seconds < 253_402_300_800
                    ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                    : null;
                flagged.Add(new ReputationResolvedHost(
                    RemoteText.OneLine(host, MaxHostNameChars), date, counts.Malicious, counts.Suspicious));
            }
        }

        return new ReputationResult(
            query, ReputationSummary.ResolutionsStatus(flagged, checkedCount), ReputationSummary.Resolutions(flagged.Count, checkedCount), null, null, now, false, flagged, checkedCount);
    }

    private static ReputationEngineCounts Counts(JsonFields stats) =>
        new(
            Math.Max(0, stats.Int("malicious") ?? 0),
            Math.Max(0, stats.Int("suspicious") ?? 0),
            Math.Max(0, stats.Int("harmless") ?? 0),
            Math.Max(0, stats.Int("undetected") ?? 0));

    /// <summary>VirusTotal's <c>error.code</c> when it is a plain word; its <c>message</c> is never used, as it echoes the
    /// indicator (a live URL).</summary>
    private static string? ErrorCode(byte[]? body)
    {
        if (body is null || body.Length == 0)
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            string? code = new JsonFields(document.RootElement).Object("error")?.String("code");
            return code is not null && code.Length <= 64 && code.All(char.IsAsciiLetter) ? code : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "VirusTotal {Kind} lookup: HTTP {Status}, {Code}")]
    private static partial void LogFailure(ILogger logger, ReputationIndicatorKind kind, int status, string code);
}

/// <summary>Verdicts and card lines from counts, in one place for fresh and cached answers alike.</summary>
internal static class ReputationSummary
{
    public static ReputationStatus EnginesStatus(ReputationEngineCounts engines) =>
        engines.Malicious > 0 ? ReputationStatus.Malicious
        : engines.Suspicious > 0 ? ReputationStatus.Suspicious
        : ReputationStatus.Harmless;

    public static ReputationStatus ResolutionsStatus(IReadOnlyList<ReputationResolvedHost> flagged, int checkedCount) =>
        checkedCount == 0 ? ReputationStatus.Unknown
        : flagged.Any(h => h.Malicious > 0) ? ReputationStatus.Malicious
        : flagged.Count > 0 ? ReputationStatus.Suspicious
        : ReputationStatus.Harmless;

    public static string Engines(ReputationEngineCounts engines)
    {
        string line = $"{engines.Malicious}/{engines.Total} engines malicious";
        return engines.Suspicious > 0 ? $"{line}, {engines.Suspicious} suspicious" : line;
    }

    public static string Resolutions(int flagged, int checkedCount) =>
        checkedCount == 0
            ? "no domains seen resolving to this IP"
            : $"{flagged}/{checkedCount} domains seen on this IP flagged by engines";
}
