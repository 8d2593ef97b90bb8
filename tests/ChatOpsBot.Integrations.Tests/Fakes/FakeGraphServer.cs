using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsBot.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Kiota.Abstractions.Authentication;

namespace ChatOpsBot.Integrations.Tests.Fakes;

/// <summary>A message in the fake mailbox: Graph's message resource fields the bot lists, plus its MIME.</summary>
public sealed class FakeGraphMessage
{
    public required string Id { get; init; }

    public required string FolderId { get; set; }

    public required byte[] Mime { get; init; }

    public string? InternetMessageId { get; init; }

    public string? Subject { get; init; }

    public string? FromAddress { get; init; }

    public string? FromName { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    public bool IsRead { get; set; }
}

/// <summary>One request as the fake saw it.</summary>
public sealed record FakeGraphRequest(string Method, string PathAndQuery, string? Authorization, string? Prefer, string Body);

/// <summary>
/// A fake Microsoft Graph v1.0 on 127.0.0.1 for one shared mailbox, speaking the documented wire format: folder
/// listings (<c>GET /users/{m}/mailFolders/{f}/messages</c> with <c>$top</c>, <c>$filter=... isRead eq false</c>,
/// <c>$orderby=receivedDateTime asc</c>, paged by <c>@odata.nextLink</c> with a <c>$skiptoken</c>), the MIME of a message
/// (<c>GET /users/{m}/messages/{id}/$value</c>, <c>text/plain</c>), <c>PATCH</c> of <c>isRead</c>, <c>POST .../move</c>
/// (201 with the moved message), top-level folders by <c>displayName</c>, and <c>POST /users/{m}/sendMail</c> (202).
/// Every call needs <c>Authorization: Bearer {AccessToken}</c> (else 401 <c>InvalidAuthenticationToken</c>). Ids are
/// immutable: a move keeps the id, as with <c>Prefer: IdType="ImmutableId"</c>. Faults are queued per operation
/// (<c>list</c>, <c>value</c>, <c>patch</c>, <c>move</c>, <c>folders</c>, <c>sendMail</c>) and answered in Graph's error
/// body shape.
/// </summary>
public sealed class FakeGraphServer : IAsyncDisposable
{
    public const string Mailbox = "phish-report@contoso.example";
    public const string AccessToken = "fake-graph-access-token-7c1f09";
    public const string InboxId = "AAMkInbox0000=";
    public const string ProcessedFolderId = "AAMkProcessed0001=";
    public const string ProcessedFolderName = "Processed";

    private readonly ConcurrentDictionary<string, FakeGraphMessage> _messages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeFault>> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeGraphRequest> _requests = new();
    private readonly ConcurrentQueue<JsonObject> _sentMail = new();
    private readonly ConcurrentDictionary<string, (string Id, bool IsUpn)> _users = new(StringComparer.OrdinalIgnoreCase);
    private LoopbackServer? _server;
    private int _nextId;

    public Uri Root => _server?.Root ?? throw new InvalidOperationException("Not started");

    /// <summary><c>http://127.0.0.1:PORT/v1.0</c>: the value for <c>Graph:BaseUrl</c>.</summary>
    public string BaseUrl => new Uri(Root, "v1.0").ToString();

    public IReadOnlyList<FakeGraphRequest> Requests => _requests.ToList();

    /// <summary>The <c>message</c> objects of every accepted sendMail, as posted.</summary>
    public IReadOnlyList<JsonObject> SentMail => _sentMail.ToList();

    /// <summary>When set, the first listing page's <c>@odata.nextLink</c> points here instead of at this server.</summary>
    public string? NextLinkOverride { get; set; }

    public static async Task<FakeGraphServer> StartAsync()
    {
        var fake = new FakeGraphServer();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>A token provider that hands out <see cref="AccessToken"/> for this server only (tests replace MSAL with it).</summary>
    public IAccessTokenProvider TokenProvider() => new StaticTokenProvider(Root.Host);

    public FakeGraphMessage AddMessage(byte[] mime, string? subject = null, string? fromAddress = "reporter@contoso.example", string? fromName = "Rita Reporter", DateTimeOffset? receivedAt = null)
    {
        int n = Interlocked.Increment(ref _nextId);
        var message = new FakeGraphMessage
        {
            // Real ids are long base64 with '=', '/', '+' and '-'; the fake's use some of those too.
            Id = string.Create(CultureInfo.InvariantCulture, $"AAMkAGI2TG93AAA-{n:D4}/x+y="),
            FolderId = InboxId,
            Mime = mime,
            InternetMessageId = string.Create(CultureInfo.InvariantCulture, $"<report-{n}@contoso.example>"),
            Subject = subject ?? string.Create(CultureInfo.InvariantCulture, $"FW: report {n}"),
            FromAddress = fromAddress,
            FromName = fromName,
            ReceivedAt = receivedAt ?? new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero).AddMinutes(n),
        };
        _messages[message.Id] = message;
        return message;
    }

    /// <summary>A directory user: found by <c>/users/{address}</c> when <paramref name="isUserPrincipalName"/>, else only by <c>$filter=mail eq</c>.</summary>
    public void AddUser(string address, string objectId, bool isUserPrincipalName = true) => _users[address] = (objectId, isUserPrincipalName);

    public IReadOnlyList<FakeGraphMessage> InFolder(string folderId) =>
        [.. _messages.Values.Where(m => m.FolderId == folderId).OrderBy(m => m.ReceivedAt)];

    public FakeGraphMessage Message(string id) => _messages[id];

    /// <summary>The next <paramref name="operation"/> requests get these faults, in order.</summary>
    public void EnqueueFault(string operation, FakeFault fault) => _faults.GetOrAdd(operation, _ => new ConcurrentQueue<FakeFault>()).Enqueue(fault);

    /// <summary>Graph's throttling answer: 429 <c>TooManyRequests</c> with <c>Retry-After</c> in seconds.</summary>
    public static FakeFault Throttled(int retryAfterSeconds, int status = 429) => FakeFault.Status(
        status,
        ErrorBody(status == 429 ? "TooManyRequests" : "ServiceUnavailable", "Application is over its MailboxConcurrency limit."),
        new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture) });

    public static FakeFault Error(int status, string code, string message) => FakeFault.Status(status, ErrorBody(code, message));

    public int Count(string method, string pathPart) =>
        _requests.Count(r => r.Method == method && r.PathAndQuery.Contains(pathPart, StringComparison.Ordinal));

    public static string ErrorBody(string code, string message) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["innerError"] = new JsonObject { ["date"] = "2026-11-22T09:00:00", ["request-id"] = "5d8b6c0e-0000-4000-8000-000000000001" },
        },
    }.ToJsonString();

    private async Task HandleAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        string path = Uri.UnescapeDataString(context.Request.Path.Value ?? "");
        string? authorization = context.Request.Headers.Authorization.FirstOrDefault();
        _requests.Enqueue(new FakeGraphRequest(
            context.Request.Method, context.Request.Path + context.Request.QueryString, authorization, context.Request.Headers["Prefer"].FirstOrDefault(), body));

        if (authorization != "Bearer " + AccessToken)
        {
            await WriteAsync(context, 401, ErrorBody("InvalidAuthenticationToken", "Access token is empty."));
            return;
        }

        if (context.Request.Method == "GET" && await UsersAsync(context, path))
        {
            return;
        }

        string prefix = "/v1.0/users/" + Mailbox;
        if (!path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            await WriteAsync(context, 404, ErrorBody("ErrorInvalidUser", "The requested user is invalid."));
            return;
        }

        string rest = path[prefix.Length..];
        string method = context.Request.Method;
        (string Operation, Func<Task> Answer) route = (method, rest) switch
        {
            ("GET", _) when rest.StartsWith("/mailFolders/", StringComparison.Ordinal) && rest.EndsWith("/messages", StringComparison.Ordinal) =>
                ("list", (Func<Task>)(() => ListAsync(context, rest["/mailFolders/".Length..^"/messages".Length]))),
            ("GET", "/mailFolders") => ("folders", () => FoldersAsync(context)),
            ("GET", _) when rest.StartsWith("/messages/", StringComparison.Ordinal) && rest.EndsWith("/$value", StringComparison.Ordinal) =>
                ("value", () => ValueAsync(context, rest["/messages/".Length..^"/$value".Length])),
            ("PATCH", _) when rest.StartsWith("/messages/", StringComparison.Ordinal) =>
                ("patch", () => PatchAsync(context, rest["/messages/".Length..], body)),
            ("POST", _) when rest.StartsWith("/messages/", StringComparison.Ordinal) && rest.EndsWith("/move", StringComparison.Ordinal) =>
                ("move", () => MoveAsync(context, rest["/messages/".Length..^"/move".Length], body)),
            ("POST", "/sendMail") => ("sendMail", () => SendMailAsync(context, body)),
            _ => ("other", () => WriteAsync(context, 400, ErrorBody("BadRequest", "Unsupported request in the fake."))),
        };
        (string operation, Func<Task> answer) = route;

        if (_faults.TryGetValue(operation, out ConcurrentQueue<FakeFault>? faults) && faults.TryDequeue(out FakeFault? fault))
        {
            if (fault.Delay > TimeSpan.Zero)
            {
                await Task.Delay(fault.Delay);
            }

            if (fault.StatusCode != 0)
            {
                foreach ((string name, string value) in fault.Headers)
                {
                    context.Response.Headers[name] = value;
                }

                await WriteAsync(context, fault.StatusCode, fault.Body);
                return;
            }
        }

        await answer();
    }

    private async Task ListAsync(HttpContext context, string folder)
    {
        string folderId = folder.Equals("inbox", StringComparison.OrdinalIgnoreCase) ? InboxId : folder;
        IQueryCollection query = context.Request.Query;
        int top = int.TryParse(query["$top"], CultureInfo.InvariantCulture, out int t) ? t : 10;
        int skip = int.TryParse(query["$skiptoken"], CultureInfo.InvariantCulture, out int s) ? s : 0;
        string filter = query["$filter"].ToString();
        bool unreadOnly = filter.Contains("isRead eq false", StringComparison.Ordinal);
        if (filter.Length > 0 && !filter.StartsWith("receivedDateTime", StringComparison.Ordinal))
        {
            // Graph's rule: a property in $orderby must come first in $filter.
            await WriteAsync(context, 400, ErrorBody("InefficientFilter", "The restriction or sort order is too complex for this operation."));
            return;
        }

        List<FakeGraphMessage> all = [.. InFolder(folderId).Where(m => !unreadOnly || !m.IsRead)];
        var value = new JsonArray();
        foreach (FakeGraphMessage message in all.Skip(skip).Take(top))
        {
            value.Add(Resource(message));
        }

        var page = new JsonObject
        {
            ["@odata.context"] = $"{BaseUrl}/$metadata#users('{Mailbox}')/mailFolders('{folder}')/messages(id,internetMessageId,subject,from,receivedDateTime,isRead)",
            ["value"] = value,
        };
        if (skip + top < all.Count)
        {
            string next = $"{BaseUrl}/users/{Mailbox}/mailFolders/{folder}/messages?%24top={top}&%24skiptoken={skip + top}" + (unreadOnly ? "&%24filter=receivedDateTime+ge+1900-01-01T00%3A00%3A00Z+and+isRead+eq+false" : "");
            page["@odata.nextLink"] = skip == 0 && NextLinkOverride is not null ? NextLinkOverride : next;
        }

        await WriteAsync(context, 200, page.ToJsonString());
    }

    /// <summary><c>GET /users/{upn}?$select=id</c> and <c>GET /users?$filter=mail eq '...'</c>; false for other paths.</summary>
    private async Task<bool> UsersAsync(HttpContext context, string path)
    {
        if (path == "/v1.0/users")
        {
            string filter = context.Request.Query["$filter"].ToString();
            var value = new JsonArray();
            foreach ((string address, (string id, bool _)) in _users)
            {
                if (filter == $"mail eq '{address.Replace("'", "''", StringComparison.Ordinal)}'")
                {
                    value.Add(new JsonObject { ["id"] = id });
                }
            }

            await WriteAsync(context, 200, new JsonObject { ["@odata.context"] = $"{BaseUrl}/$metadata#users(id)", ["value"] = value }.ToJsonString());
            return true;
        }

        if (!path.StartsWith("/v1.0/users/", StringComparison.Ordinal) || path.IndexOf('/', "/v1.0/users/".Length) >= 0)
        {
            return false;
        }

        string key = path["/v1.0/users/".Length..];
        if (key.Equals(Mailbox, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (_users.TryGetValue(key, out (string Id, bool IsUpn) user) && user.IsUpn)
        {
            await WriteAsync(context, 200, new JsonObject { ["@odata.context"] = $"{BaseUrl}/$metadata#users(id)/$entity", ["id"] = user.Id }.ToJsonString());
        }
        else
        {
            await WriteAsync(context, 404, ErrorBody("Request_ResourceNotFound", $"Resource '{key}' does not exist or one of its queried reference-property objects are not present."));
        }

        return true;
    }

    private async Task FoldersAsync(HttpContext context)
    {
        string filter = context.Request.Query["$filter"].ToString();
        var value = new JsonArray();
        if (filter == $"displayName eq '{ProcessedFolderName}'")
        {
            value.Add(new JsonObject { ["id"] = ProcessedFolderId, ["displayName"] = ProcessedFolderName });
        }

        await WriteAsync(context, 200, new JsonObject { ["@odata.context"] = $"{BaseUrl}/$metadata#users('{Mailbox}')/mailFolders", ["value"] = value }.ToJsonString());
    }

    private async Task ValueAsync(HttpContext context, string id)
    {
        if (!_messages.TryGetValue(id, out FakeGraphMessage? message))
        {
            await WriteAsync(context, 404, ErrorBody("ErrorItemNotFound", "The specified object was not found in the store."));
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await context.Response.Body.WriteAsync(message.Mime);
    }

    private async Task PatchAsync(HttpContext context, string id, string body)
    {
        if (!_messages.TryGetValue(id, out FakeGraphMessage? message))
        {
            await WriteAsync(context, 404, ErrorBody("ErrorItemNotFound", "The specified object was not found in the store."));
            return;
        }

        if (JsonNode.Parse(body)?["isRead"]?.GetValue<bool>() is bool isRead)
        {
            message.IsRead = isRead;
        }

        await WriteAsync(context, 200, Resource(message).ToJsonString());
    }

    private async Task MoveAsync(HttpContext context, string id, string body)
    {
        string? destination = Property(JsonNode.Parse(body), "destinationId")?.GetValue<string>();
        if (!_messages.TryGetValue(id, out FakeGraphMessage? message) || destination is null)
        {
            await WriteAsync(context, 404, ErrorBody("ErrorItemNotFound", "The specified object was not found in the store."));
            return;
        }

        message.FolderId = destination;
        await WriteAsync(context, 201, Resource(message).ToJsonString());
    }

    private async Task SendMailAsync(HttpContext context, string body)
    {
        JsonObject? request = JsonNode.Parse(body)?.AsObject();
        if (Property(request, "message") is not JsonObject message)
        {
            await WriteAsync(context, 400, ErrorBody("ErrorInvalidRequest", "Message is missing."));
            return;
        }

        _sentMail.Enqueue(message.DeepClone().AsObject());
        context.Response.StatusCode = 202;
    }

    /// <summary>Graph's action parameters are matched without regard to case (the SDK sends <c>DestinationId</c>,
    /// <c>Message</c>, <c>SaveToSentItems</c>; the documentation writes them in camel case).</summary>
    public static JsonNode? Property(JsonNode? node, string name) =>
        node is JsonObject o ? o.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value : null;

    private static JsonObject Resource(FakeGraphMessage message) => new()
    {
        ["@odata.etag"] = "W/\"CQAAABYAAAD\"",
        ["id"] = message.Id,
        ["receivedDateTime"] = message.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["internetMessageId"] = message.InternetMessageId,
        ["subject"] = message.Subject,
        ["isRead"] = message.IsRead,
        ["parentFolderId"] = message.FolderId,
        ["from"] = message.FromAddress is null ? null : new JsonObject
        {
            ["emailAddress"] = new JsonObject { ["name"] = message.FromName, ["address"] = message.FromAddress },
        },
    };

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private sealed class StaticTokenProvider(string host) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new([host]);

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(AllowedHostsValidator.IsUrlHostValid(uri) ? AccessToken : "");
    }
}
