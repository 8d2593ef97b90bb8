using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsBot.TestSupport;
using Microsoft.AspNetCore.Http;

namespace ChatOpsBot.Integrations.Tests.Fakes;

/// <summary>
/// A fake VirusTotal API v3 on 127.0.0.1 (shapes from <c>shared/reference/email-forensics.md</c> §3): file by MD5, SHA-1
/// or SHA-256, URL by unpadded base64url id, domain, IP and IP resolutions; <c>x-apikey</c> required; 404
/// <c>NotFoundError</c> for anything not registered. Anything but a bodiless GET is a violation: recorded, answered
/// 405, and reported again when the fake is disposed, so a test that let one happen fails.
/// </summary>
public sealed class FakeVirusTotalServer : IAsyncDisposable
{
    public const string ApiKey = "fake-vt-api-key-0b4e2d";

    private readonly ConcurrentDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeFault> _faults = new();
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private LoopbackServer? _server;
    private int _inFlight;

    /// <summary><c>http://127.0.0.1:PORT/api/v3/</c>: the value for <c>VirusTotal:BaseUrl</c>.</summary>
    public Uri BaseUrl => new(_server?.Root ?? throw new InvalidOperationException("Not started"), "api/v3/");

    /// <summary>Clock for request timestamps, so rate tests can read them on a fake clock.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public IReadOnlyList<FakeRequest> Requests => _requests.ToList();

    /// <summary>Requests that were not a bodiless GET.</summary>
    public IReadOnlyList<string> Violations => _violations.ToList();

    /// <summary>Requests received and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public static async Task<FakeVirusTotalServer> StartAsync()
    {
        var fake = new FakeVirusTotalServer();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>The next requests get these faults, in order (any path).</summary>
    public void EnqueueFault(FakeFault fault) => _faults.Enqueue(fault);

    public void AddFile(string sha256, int malicious, int suspicious = 0, int harmless = 0, int undetected = 60, string? md5 = null, string? sha1 = null)
    {
        JsonObject report = FakeSamples.VirusTotalJson("file_report.json").AsObject();
        report["data"]!["id"] = sha256;
        JsonObject attributes = report["data"]!["attributes"]!.AsObject();
        attributes["sha256"] = sha256;
        attributes["md5"] = md5 ?? "";
        attributes["sha1"] = sha1 ?? "";
        SetStats(attributes["last_analysis_stats"]!.AsObject(), malicious, suspicious, harmless, undetected);
        foreach (string id in new[] { sha256, md5, sha1 }.OfType<string>())
        {
            _objects["files/" + id] = report;
        }
    }

    /// <summary>Registers a URL report under VirusTotal's id for <paramref name="url"/> (computed here independently).</summary>
    public void AddUrl(string url, int malicious, int suspicious = 0, int harmless = 60, int undetected = 10) =>
        _objects["urls/" + UrlId(url)] = ObjectReport("url", UrlId(url), malicious, suspicious, harmless, undetected);

    public void AddDomain(string domain, int malicious, int suspicious = 0, int harmless = 60, int undetected = 10) =>
        _objects["domains/" + domain] = ObjectReport("domain", domain, malicious, suspicious, harmless, undetected);

    public void AddIp(string ip, int malicious, int suspicious = 0, int harmless = 60, int undetected = 10) =>
        _objects["ip_addresses/" + ip] = ObjectReport("ip_address", ip, malicious, suspicious, harmless, undetected);

    /// <summary>Domains seen resolving to <paramref name="ip"/>, each with its own detections.</summary>
    public void AddResolutions(string ip, params (string Host, int Malicious, int Suspicious)[] hosts)
    {
        JsonObject answer = FakeSamples.VirusTotalJson("ip_resolutions.json").AsObject();
        JsonObject template = answer["data"]![0]!.AsObject();
        var items = new JsonArray();
        foreach ((string host, int malicious, int suspicious) in hosts)
        {
            JsonObject item = template.DeepClone().AsObject();
            item["id"] = ip + host;
            JsonObject attributes = item["attributes"]!.AsObject();
            attributes["host_name"] = host;
            attributes["ip_address"] = ip;
            SetStats(attributes["host_name_last_analysis_stats"]!.AsObject(), malicious, suspicious, 60, 10);
            items.Add(item);
        }

        answer["data"] = items;
        answer["meta"] = new JsonObject { ["count"] = hosts.Length };
        _objects["ip_addresses/" + ip + "/resolutions"] = answer;
    }

    /// <summary>VirusTotal's URL identifier as its documentation gives it: <c>base64.urlsafe_b64encode(url).rstrip("=")</c>.</summary>
    public static string UrlId(string url)
    {
        string standard = Convert.ToBase64String(Encoding.UTF8.GetBytes(url));
        var id = new StringBuilder(standard.Length);
        foreach (char c in standard)
        {
            switch (c)
            {
                case '+': id.Append('-'); break;
                case '/': id.Append('_'); break;
                case '=': break;
                default: id.Append(c); break;
            }
        }

        return id.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (!_violations.IsEmpty)
        {
            throw new InvalidOperationException("Requests to the fake VirusTotal that were not lookups: " + string.Join("; ", _violations));
        }
    }

    private static JsonObject ObjectReport(string type, string id, int malicious, int suspicious, int harmless, int undetected)
    {
        JsonObject report = FakeSamples.VirusTotalJson("object_report.json").AsObject();
        report["data"]!["type"] = type;
        report["data"]!["id"] = id;
        SetStats(report["data"]!["attributes"]!["last_analysis_stats"]!.AsObject(), malicious, suspicious, harmless, undetected);
        return report;
    }

    private static void SetStats(JsonObject stats, int malicious, int suspicious, int harmless, int undetected)
    {
        stats["malicious"] = malicious;
        stats["suspicious"] = suspicious;
        stats["harmless"] = harmless;
        stats["undetected"] = undetected;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            await AnswerAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        _requests.Enqueue(new FakeRequest(Clock.GetUtcNow(), context.Request.Method, path + context.Request.QueryString, body, null, context.Request.ContentType));
        context.Response.Headers["x-request-id"] = Guid.NewGuid().ToString("N");
        if (!HttpMethods.IsGet(context.Request.Method) || body.Length > 0 || context.Request.ContentLength > 0)
        {
            _violations.Enqueue($"{context.Request.Method} {path} ({body.Length} body chars)");
            await Write(context, 405, """{"error":{"code":"MethodNotAllowed","message":"ChatOpsBot must never upload to VirusTotal"}}""");
            return;
        }

        if (_faults.TryDequeue(out FakeFault? fault))
        {
            if (fault.Delay > TimeSpan.Zero)
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
            }

            if (fault.StatusCode != 0)
            {
                await Write(context, fault.StatusCode, fault.Body);
                return;
            }
        }

        if (context.Request.Headers["x-apikey"].FirstOrDefault() != ApiKey)
        {
            await Write(context, 401, FakeSamples.VirusTotal("error_wrong_credentials.json"));
            return;
        }

        const string prefix = "/api/v3/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            await Write(context, 404, FakeSamples.VirusTotal("error_not_found.json"));
            return;
        }

        string key = path[prefix.Length..];
        if (key.StartsWith("urls/", StringComparison.Ordinal) && key.AsSpan(5).IndexOfAny("+/=") >= 0)
        {
            await Write(context, 400, """{"error":{"code":"InvalidArgumentError","message":"Malformed URL identifier"}}""");
            return;
        }

        if (key.EndsWith("/resolutions", StringComparison.Ordinal)
            && !int.TryParse(context.Request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            await Write(context, 400, """{"error":{"code":"BadRequestError","message":"limit required by this fake"}}""");
            return;
        }

        if (_objects.TryGetValue(key, out JsonObject? report))
        {
            await Write(context, 200, report.ToJsonString());
            return;
        }

        await Write(context, 404, FakeSamples.VirusTotal("error_not_found.json"));
    }

    private static Task Write(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }
}
