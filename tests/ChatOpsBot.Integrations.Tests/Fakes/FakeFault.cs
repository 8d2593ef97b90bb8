namespace ChatOpsBot.Integrations.Tests.Fakes;

/// <summary>
/// What a fake does instead of (or before) its normal answer to one request. <see cref="StatusCode"/> 0 means "answer
/// normally", after <see cref="Delay"/>.
/// </summary>
public sealed record FakeFault(int StatusCode, string Body, IReadOnlyDictionary<string, string> Headers, TimeSpan Delay = default)
{
    /// <summary>Truncated JSON with a 200.</summary>
    public const string TruncatedJson = "{\"meta\":{\"status\":200},\"data\":[{\"clickLogs\":[{\"url\":\"http://";

    public static FakeFault Status(int statusCode, string body = "", IReadOnlyDictionary<string, string>? headers = null) =>
        new(statusCode, body, headers ?? new Dictionary<string, string>());

    /// <summary>Answers normally, but only after <paramref name="delay"/> (real time).</summary>
    public static FakeFault Slow(TimeSpan delay) => new(0, "", new Dictionary<string, string>(), delay);

    public static FakeFault Malformed(string body = TruncatedJson) => Status(200, body);

    /// <summary>Mimecast API 2.0's 401 for an expired token (flat <c>fail</c>, reference §1.4).</summary>
    public static FakeFault MimecastTokenExpired() =>
        Status(401, """{"fail":[{"code":"token_expired","message":"The access token has expired"}]}""");

    /// <summary>Rapid7's recorded 401 body.</summary>
    public static FakeFault MimecastUnauthorized() => Status(401, FakeSamples.Mimecast("http401_unauthorized_body.json"));

    public static FakeFault MimecastForbidden() =>
        Status(403, """{"meta":{"status":403},"data":[],"fail":[{"code":"forbidden","message":"Insufficient permissions"}]}""");

    /// <summary>429 with Mimecast's reset header (milliseconds) and Rapid7's recorded body.</summary>
    public static FakeFault MimecastRateLimited(long resetMilliseconds) =>
        Status(
            429,
            FakeSamples.Mimecast("http5xx_or_429_body.json"),
            new Dictionary<string, string>
            {
                ["X-RateLimit-Limit"] = "100",
                ["X-RateLimit-Remaining"] = "0",
                ["X-RateLimit-Reset"] = resetMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });

    public static FakeFault MimecastServerError(int statusCode = 500) => Status(statusCode, FakeSamples.Mimecast("http5xx_or_429_body.json"));

    /// <summary>HTTP 200 with a per-item failure, in the shape of Rapid7's recorded fixtures.</summary>
    public static FakeFault MimecastFail(string code, string message) =>
        Status(
            200,
            new System.Text.Json.Nodes.JsonObject
            {
                ["meta"] = new System.Text.Json.Nodes.JsonObject { ["status"] = 200 },
                ["data"] = new System.Text.Json.Nodes.JsonArray(),
                ["fail"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
                {
                    ["errors"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
                    {
                        ["code"] = code,
                        ["message"] = message,
                        ["retryable"] = false,
                    }),
                }),
            }.ToJsonString());

    public static FakeFault VirusTotalQuotaExceeded() => Status(429, FakeSamples.VirusTotal("error_quota_exceeded.json"));

    public static FakeFault VirusTotalWrongCredentials() => Status(401, FakeSamples.VirusTotal("error_wrong_credentials.json"));

    public static FakeFault VirusTotalTransient() => Status(503, FakeSamples.VirusTotal("error_transient.json"));
}
