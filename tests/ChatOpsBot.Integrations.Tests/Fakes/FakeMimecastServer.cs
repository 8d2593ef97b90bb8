using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsBot.TestSupport;
using Microsoft.AspNetCore.Http;

namespace ChatOpsBot.Integrations.Tests.Fakes;

/// <summary>A request the fake received.</summary>
public sealed record FakeRequest(DateTimeOffset At, string Method, string Path, string Body, string? Authorization, string? ContentType);

/// <summary>
/// A fake Mimecast API 2.0 on 127.0.0.1, faithful to <c>shared/reference/mimecast-api.md</c>: OAuth client credentials
/// (form-encoded; 30-minute tokens; 401 <c>token_expired</c> / <c>token_verification_failed</c> / <c>unauthorized</c>),
/// the <c>meta/data/fail</c> envelope, pagination by opaque <c>next</c> token (follow-ups may re-send the filters or
/// not; the last page can be empty and still carry <c>next</c>, as Elastic's recorded mock does), <c>x-request-id</c>
/// and <c>X-RateLimit-*</c> on every answer. Data starts as the shared samples; tests replace or extend it.
/// </summary>
public sealed class FakeMimecastServer : IAsyncDisposable
{
    public const string ClientId = "fake-mimecast-client-id";
    public const string ClientSecret = "fake-mimecast-secret-7f3c9a";
    public const int TokenLifetimeSeconds = 1799;

    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeFault>> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly ConcurrentDictionary<string, bool> _tokens = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private LoopbackServer? _server;
    private int _tokenCounter;
    private int _requestCounter;

    private FakeMimecastServer()
    {
        ClickLogs = SampleRecords("ttp_url_get_logs", "clickLogs");
        AttachmentLogs = SampleRecords("ttp_attachment_get_logs", "attachmentLogs");
        ImpersonationLogs = SampleRecords("ttp_impersonation_get_logs", "impersonationLogs");
        Groups = FakeSamples.MimecastJson("find_groups_TRIMMED.json")["data"]![0]!["folders"]!.AsArray()
            .Select(g => g!.AsObject()).ToList();
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>: the value for <c>Mimecast:BaseUrl</c>.</summary>
    public Uri BaseUrl => _server?.Root ?? throw new InvalidOperationException("Not started");

    /// <summary>Clock for request timestamps (and nothing else: tokens expire by <see cref="ExpireIssuedTokens"/>).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public List<JsonObject> ClickLogs { get; set; }

    public List<JsonObject> AttachmentLogs { get; set; }

    public List<JsonObject> ImpersonationLogs { get; set; }

    public List<JsonObject> Groups { get; set; }

    /// <summary>Rewritten URL → original, for decode-url. Unknown URLs fail per item.</summary>
    public Dictionary<string, string> RewrittenUrls { get; } = new(StringComparer.Ordinal);

    public List<JsonObject> ManagedUrls { get; } = [];

    public List<JsonObject> ManagedSenders { get; } = [];

    public List<JsonObject> GroupMembers { get; } = [];

    /// <summary>Answer the last page of records with a <c>next</c> that leads to an empty page (Elastic's mock does).</summary>
    public bool EmptyLastPageCarriesNext { get; set; } = true;

    /// <summary>Largest page the fake hands out, whatever is asked.</summary>
    public int MaxPageSize { get; set; } = 500;

    public IReadOnlyList<FakeRequest> Requests => _requests.ToList();

    public int TokenRequests => _requests.Count(r => r.Path == "/oauth/token");

    public IReadOnlyList<FakeRequest> RequestsTo(string path) => _requests.Where(r => r.Path == path).ToList();

    public static async Task<FakeMimecastServer> StartAsync()
    {
        var fake = new FakeMimecastServer();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>The next request to <paramref name="path"/> (e.g. <c>/api/ttp/url/get-logs</c>) gets <paramref name="fault"/>;
    /// faults queue up in order.</summary>
    public void EnqueueFault(string path, FakeFault fault) =>
        _faults.GetOrAdd(path, _ => new ConcurrentQueue<FakeFault>()).Enqueue(fault);

    /// <summary>Every token issued so far now answers 401 <c>token_expired</c>.</summary>
    public void ExpireIssuedTokens()
    {
        foreach (string token in _tokens.Keys)
        {
            _tokens[token] = false;
        }
    }

    /// <summary><paramref name="count"/> click logs spread evenly over the period, newest first, cloned from the first sample record.</summary>
    public static List<JsonObject> SyntheticClickLogs(int count, DateTimeOffset from, DateTimeOffset to)
    {
        JsonObject template = SampleRecords("ttp_url_get_logs", "clickLogs")[0];
        var records = new List<JsonObject>(count);
        long span = (to - from).Ticks;
        for (int i = 0; i < count; i++)
        {
            JsonObject record = template.DeepClone().AsObject();
            DateTimeOffset date = from + TimeSpan.FromTicks(span * i / count);
            record["date"] = date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+0000";
            record["url"] = $"https://site{i}.example/path?n={i}";
            record["userEmailAddress"] = $"user{i % 97}@corp.example";
            record["scanResult"] = i % 10 == 0 ? "malicious" : "clean";
            record["messageId"] = $"<synthetic-{i}@corp.example>";
            records.Add(record);
        }

        return records;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static List<JsonObject> SampleRecords(string prefix, string collection)
    {
        var records = new List<JsonObject>();
        foreach (string page in new[] { "page1", "page2" })
        {
            JsonNode json = FakeSamples.MimecastJson($"{prefix}_{page}.json");
            foreach (JsonNode? item in json["data"]![0]![collection]!.AsArray())
            {
                records.Add(item!.DeepClone().AsObject());
            }
        }

        return records;
    }

    private async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        _requests.Enqueue(new FakeRequest(
            Clock.GetUtcNow(), context.Request.Method, path, body, context.Request.Headers.Authorization.FirstOrDefault(), context.Request.ContentType));
        int number = Interlocked.Increment(ref _requestCounter);
        context.Response.Headers["x-request-id"] = $"fake-req-{number:D6}";
        context.Response.Headers["X-RateLimit-Limit"] = "1000";
        context.Response.Headers["X-RateLimit-Remaining"] = "999";
        context.Response.Headers["X-RateLimit-Reset"] = "0";

        if (_faults.TryGetValue(path, out ConcurrentQueue<FakeFault>? queue) && queue.TryDequeue(out FakeFault? fault))
        {
            if (fault.Delay > TimeSpan.Zero)
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
            }

            if (fault.StatusCode != 0)
            {
                foreach ((string name, string value) in fault.Headers)
                {
                    context.Response.Headers[name] = value;
                }

                await Write(context, fault.StatusCode, fault.Body);
                return;
            }
        }

        if (context.Request.Method != HttpMethods.Post)
        {
            await Write(context, 405, """{"fail":[{"code":"method_not_allowed","message":"Use POST"}]}""");
            return;
        }

        if (path == "/oauth/token")
        {
            await TokenAsync(context, body);
            return;
        }

        string? authorization = context.Request.Headers.Authorization.FirstOrDefault();
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            await Write(context, 401, FakeSamples.Mimecast("http401_unauthorized_body.json"));
            return;
        }

        string token = authorization["Bearer ".Length..];
        if (!_tokens.TryGetValue(token, out bool valid))
        {
            await Write(context, 401, """{"fail":[{"code":"token_verification_failed","message":"Token verification failed"}]}""");
            return;
        }

        if (!valid)
        {
            await Write(context, 401, FakeFault.MimecastTokenExpired().Body);
            return;
        }

        JsonObject? request;
        try
        {
            request = JsonNode.Parse(body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            request = null;
        }

        JsonObject? item = request?["data"] is JsonArray { Count: > 0 } data ? data[0] as JsonObject : null;
        if (request is null)
        {
            await Write(context, 400, """{"fail":[{"code":"err_invalid_request","message":"Malformed JSON"}]}""");
            return;
        }

        JsonObject response = path switch
        {
            "/api/ttp/url/get-logs" => Page(request, item, ClickLogs, "clickLogs", "date", UrlFilter),
            "/api/ttp/attachment/get-logs" => Page(request, item, AttachmentLogs, "attachmentLogs", "date", AttachmentFilter),
            "/api/ttp/impersonation/get-logs" => Page(request, item, ImpersonationLogs, "impersonationLogs", "eventTime", ImpersonationFilter),
            "/api/ttp/url/decode-url" => Decode(request),
            "/api/ttp/url/create-managed-url" => CreateManagedUrl(item),
            "/api/managedsender/permit-or-block-sender" => PermitOrBlock(item),
            "/api/directory/find-groups" => FindGroups(item),
            "/api/directory/add-group-member" => AddGroupMember(item),
            _ => new JsonObject { ["status"] = 404 },
        };
        if (response["status"] is JsonValue { } status && (int)status == 404)
        {
            await Write(context, 404, """{"fail":[{"code":"not_found","message":"Unknown path"}]}""");
            return;
        }

        await Write(context, 200, response.ToJsonString());
    }

    private async Task TokenAsync(HttpContext context, string body)
    {
        Dictionary<string, string> form = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "");
        bool isForm = context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true;
        if (!isForm || form.GetValueOrDefault("grant_type") != "client_credentials"
            || form.GetValueOrDefault("client_id") != ClientId || form.GetValueOrDefault("client_secret") != ClientSecret)
        {
            // Mimecast's token error body is undocumented; the client must not depend on it.
            await Write(context, 401, """{"error":"invalid_client"}""");
            return;
        }

        string token = $"fake-access-token-{Interlocked.Increment(ref _tokenCounter)}-{Guid.NewGuid():N}";
        _tokens[token] = true;
        JsonObject answer = FakeSamples.MimecastJson("oauth_token_200.json").AsObject();
        answer["access_token"] = token;
        answer["expires_in"] = TokenLifetimeSeconds;
        await Write(context, 200, answer.ToJsonString());
    }

    private JsonObject Page(
        JsonObject request, JsonObject? filters, List<JsonObject> source, string collection, string dateField, Func<JsonObject, JsonObject?, bool> filter)
    {
        JsonObject? pagination = request["meta"]?["pagination"] as JsonObject;
        int pageSize = Math.Clamp(pagination?["pageSize"]?.GetValue<int>() ?? 100, 1, MaxPageSize);
        string? pageToken = pagination?["pageToken"]?.GetValue<string>();
        int offset = 0;
        if (!string.IsNullOrEmpty(pageToken))
        {
            // Opaque to the client; here "o<offset>". Token-only follow-ups are accepted: filters may be absent.
            if (!pageToken.StartsWith('o') || !int.TryParse(pageToken.AsSpan(1), CultureInfo.InvariantCulture, out offset))
            {
                return Failure("err_invalid_page_token", "The page token is not valid");
            }
        }

        DateTimeOffset? from = ParseDate(filters?["from"]);
        DateTimeOffset? to = ParseDate(filters?["to"]);
        bool oldestFirst = filters?["oldestFirst"]?.GetValue<bool>() ?? false;
        List<JsonObject> matching;
        lock (_lock)
        {
            IEnumerable<JsonObject> query = source.Where(r =>
            {
                DateTimeOffset? date = ParseDate(r[dateField]);
                return (from is null || date is null || date >= from) && (to is null || date is null || date < to) && filter(r, filters);
            });
            query = oldestFirst ? query.OrderBy(r => ParseDate(r[dateField])) : query.OrderByDescending(r => ParseDate(r[dateField]));
            matching = query.ToList();
        }

        List<JsonObject> page = matching.Skip(offset).Take(pageSize).ToList();
        var meta = new JsonObject { ["status"] = 200 };
        var paging = new JsonObject { ["pageSize"] = pageSize, ["totalCount"] = matching.Count };
        bool more = offset + page.Count < matching.Count;
        if (page.Count > 0 && (more || EmptyLastPageCarriesNext))
        {
            paging["next"] = "o" + (offset + page.Count).ToString(CultureInfo.InvariantCulture);
        }
        else if (page.Count == 0 && EmptyLastPageCarriesNext)
        {
            // Elastic's recorded impersonation mock: an empty last page whose next is a placeholder.
            paging["next"] = "String";
        }

        meta["pagination"] = paging;
        var items = new JsonArray(page.Select(r => (JsonNode)r.DeepClone()).ToArray());
        return new JsonObject
        {
            ["meta"] = meta,
            ["data"] = page.Count == 0 ? new JsonArray() : new JsonArray(new JsonObject { [collection] = items }),
            ["fail"] = new JsonArray(),
        };
    }

    private static JsonObject Failure(string code, string message) =>
        new()
        {
            ["meta"] = new JsonObject { ["status"] = 200 },
            ["data"] = new JsonArray(),
            ["fail"] = new JsonArray(new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message, ["retryable"] = false }),
            }),
        };

    private static bool UrlFilter(JsonObject record, JsonObject? filters) =>
        Matches(filters?["scanResult"], record["scanResult"]) && Matches(filters?["route"], record["route"]);

    private static bool AttachmentFilter(JsonObject record, JsonObject? filters) =>
        Matches(filters?["result"], record["result"]) && Matches(filters?["route"], record["route"]);

    private static bool ImpersonationFilter(JsonObject record, JsonObject? filters) =>
        filters?["taggedMalicious"] is not JsonValue tagged || record["taggedMalicious"]?.GetValue<bool>() == tagged.GetValue<bool>();

    private static bool Matches(JsonNode? wanted, JsonNode? actual)
    {
        string? filter = wanted?.GetValue<string>();
        return filter is null or "all" || string.Equals(filter, actual?.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    private static DateTimeOffset? ParseDate(JsonNode? node)
    {
        string? text = node is JsonValue value && value.TryGetValue(out string? s) ? s : null;
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.EndsWith("+0000", StringComparison.Ordinal))
        {
            text = text[..^5] + "Z";
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date)
            ? date
            : null;
    }

    private JsonObject Decode(JsonObject request)
    {
        var data = new JsonArray();
        var fail = new JsonArray();
        foreach (JsonNode? item in request["data"]?.AsArray() ?? [])
        {
            string url = item?["url"]?.GetValue<string>() ?? "";
            if (RewrittenUrls.TryGetValue(url, out string? original))
            {
                data.Add(new JsonObject { ["url"] = original, ["success"] = true });
            }
            else
            {
                fail.Add(new JsonObject
                {
                    ["key"] = new JsonObject { ["url"] = url },
                    ["errors"] = new JsonArray(new JsonObject
                    {
                        ["code"] = "err_xdk_url_decode_failed",
                        ["message"] = "The URL could not be decoded",
                        ["retryable"] = false,
                    }),
                });
            }
        }

        return new JsonObject { ["meta"] = new JsonObject { ["status"] = 200 }, ["data"] = data, ["fail"] = fail };
    }

    private JsonObject CreateManagedUrl(JsonObject? item)
    {
        string url = item?["url"]?.GetValue<string>() ?? "";
        string matchType = item?["matchType"]?.GetValue<string>() ?? "explicit";
        lock (_lock)
        {
            if (ManagedUrls.Any(m => m["url"]!.GetValue<string>() == url && m["matchType"]!.GetValue<string>() == matchType))
            {
                JsonObject exists = FakeSamples.MimecastJson("create_managed_url_bad_exists.json").AsObject();
                exists["fail"]![0]!["key"] = item!.DeepClone();
                return exists;
            }

            var uri = new Uri(url);
            JsonObject answer = FakeSamples.MimecastJson("create_managed_url.json").AsObject();
            JsonObject entry = answer["data"]![0]!.AsObject();
            entry["id"] = "managed-url-" + (ManagedUrls.Count + 1).ToString(CultureInfo.InvariantCulture);
            entry["scheme"] = uri.Scheme;
            entry["domain"] = uri.Host;
            entry["path"] = uri.AbsolutePath;
            entry["queryString"] = uri.Query.TrimStart('?');
            entry["matchType"] = matchType;
            entry["action"] = item!["action"]?.GetValue<string>();
            entry["comment"] = item["comment"]?.GetValue<string>() ?? "";
            ManagedUrls.Add(new JsonObject { ["url"] = url, ["matchType"] = matchType, ["entry"] = entry.DeepClone() });
            return answer;
        }
    }

    private JsonObject PermitOrBlock(JsonObject? item)
    {
        string sender = item?["sender"]?.GetValue<string>() ?? "";
        string to = item?["to"]?.GetValue<string>() ?? "";
        string action = item?["action"]?.GetValue<string>() ?? "";
        if (!sender.Contains('@', StringComparison.Ordinal) || !to.Contains('@', StringComparison.Ordinal))
        {
            JsonObject bad = FakeSamples.MimecastJson("permit_or_block_sender_bad_email.json").AsObject();
            bad["fail"]![0]!["key"] = item?.DeepClone();
            return bad;
        }

        JsonObject answer = FakeSamples.MimecastJson("permit_or_block_sender_block.json").AsObject();
        JsonObject entry = answer["data"]![0]!.AsObject();
        entry["sender"] = sender;
        entry["to"] = to;
        entry["type"] = action == "permit" ? "Permit" : "Block";
        lock (_lock)
        {
            ManagedSenders.Add(entry.DeepClone().AsObject());
        }

        return answer;
    }

    private JsonObject FindGroups(JsonObject? item)
    {
        string query = item?["query"]?.GetValue<string>() ?? "";
        List<JsonObject> folders;
        lock (_lock)
        {
            folders = Groups.Where(g => g["description"]!.GetValue<string>().Contains(query, StringComparison.OrdinalIgnoreCase)).ToList();
        }

        return new JsonObject
        {
            ["meta"] = new JsonObject
            {
                ["status"] = 200,
                ["pagination"] = new JsonObject { ["pageSize"] = folders.Count, ["totalCount"] = folders.Count },
            },
            ["data"] = new JsonArray(new JsonObject
            {
                ["source"] = "cloud",
                ["folders"] = new JsonArray(folders.Select(f => (JsonNode)f.DeepClone()).ToArray()),
            }),
            ["fail"] = new JsonArray(),
        };
    }

    private JsonObject AddGroupMember(JsonObject? item)
    {
        string id = item?["id"]?.GetValue<string>() ?? "";
        string? email = item?["emailAddress"]?.GetValue<string>();
        string? domain = item?["domain"]?.GetValue<string>();
        lock (_lock)
        {
            if (GroupMembers.Any(m => m["id"]!.GetValue<string>() == id
                && m["emailAddress"]?.GetValue<string>() == email && m["domain"]?.GetValue<string>() == domain))
            {
                JsonObject exists = FakeSamples.MimecastJson("add_group_member_bad_exists.json").AsObject();
                exists["fail"]![0]!["key"] = item!.DeepClone();
                return exists;
            }

            GroupMembers.Add(item!.DeepClone().AsObject());
        }

        JsonObject answer = FakeSamples.MimecastJson("add_group_member.json").AsObject();
        JsonObject member = answer["data"]![0]!.AsObject();
        member["folderId"] = id;
        if (email is null)
        {
            member.Remove("emailAddress");
            member["domain"] = domain;
        }
        else
        {
            member["emailAddress"] = email;
        }

        return answer;
    }

    private static Task Write(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }
}
