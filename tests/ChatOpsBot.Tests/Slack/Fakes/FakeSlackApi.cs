using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Tests.Slack.Fakes;

/// <summary>
/// A fake of the Slack endpoints the bot calls, on 127.0.0.1 (teams-and-slack.md section C): the Web API at
/// <c>/api/{method}</c> (HTTP 200 with <c>ok</c> true or false, a Bearer token required, Block Kit limits enforced,
/// 429 with <c>Retry-After</c> on demand), private file downloads that answer Slack's HTML sign-in page without the
/// right token, and <c>response_url</c>s that accept five answers. Shared by the library and host tests.
/// </summary>
public sealed class FakeSlackApi : IAsyncDisposable
{
    public const string SignInPage =
        "<!DOCTYPE html><html lang=\"en-US\"><head><title>Slack</title></head><body><form id=\"signin_form\" action=\"/signin\" method=\"post\">"
        + "<h1>Sign in to Slack</h1><input type=\"email\" name=\"email\"></form></body></html>";

    private const int MaxResponseUrlUses = 5;

    private readonly WebApplication _app;
    private readonly string _token;
    private readonly ConcurrentDictionary<string, FakeFile> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<HttpContext, Task>>> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _responseUrlUses = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeSlackCall> _calls = new();
    private readonly ConcurrentQueue<FakePostedMessage> _posted = new();
    private readonly ConcurrentQueue<AfterPost> _afterPost = new();
    private int _nextTs = 100;

    private FakeSlackApi(WebApplication app, Uri root, string token)
    {
        _app = app;
        Root = root;
        _token = token;
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Root { get; }

    /// <summary>As if the app had no <c>files:read</c> scope: every download answers the sign-in page.</summary>
    public bool WithoutFilesRead { get; set; }

    /// <summary>The value for <c>Slack:ApiBaseUrl</c>.</summary>
    public string ApiBaseUrl => new Uri(Root, "api/").ToString();

    /// <summary>Every request the fake answered (Web API calls, downloads, response URLs), in order.</summary>
    public IReadOnlyList<FakeSlackCall> Calls => [.. _calls];

    public IReadOnlyList<FakeSlackCall> CallsTo(string method) => [.. _calls.Where(c => c.Method == method)];

    /// <summary>Messages <c>chat.postMessage</c> stored, with the <c>ts</c> the fake gave them.</summary>
    public IReadOnlyList<FakePostedMessage> Posted => [.. _posted];

    public static async Task<FakeSlackApi> StartAsync(string botToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        FakeSlackApi? fake = null;
        app.Run(context => fake!.HandleAsync(context));
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake = new FakeSlackApi(app, new Uri(address.TrimEnd('/') + "/"), botToken);
        return fake;
    }

    /// <summary>A private file, downloadable at its <c>url_private_download</c> with the bot token; <c>files.info</c> returns it.</summary>
    public JsonObject AddFile(string id, string name, string mimeType, byte[] content, string mode = "hosted", JsonObject? extra = null)
    {
        string download = new Uri(Root, $"files-pri/T111-{id}/download/{Uri.EscapeDataString(name)}").ToString();
        var file = new JsonObject
        {
            ["id"] = id,
            ["name"] = name,
            ["title"] = name,
            ["mimetype"] = mimeType,
            ["filetype"] = Path.GetExtension(name).TrimStart('.'),
            ["size"] = content.Length,
            ["mode"] = mode,
            ["url_private"] = download,
            ["url_private_download"] = download,
        };
        foreach ((string key, JsonNode? value) in extra ?? [])
        {
            file[key] = value?.DeepClone();
        }

        _files[id] = new FakeFile(file, content, mimeType);
        return (JsonObject)file.DeepClone();
    }

    /// <summary>The next call to <paramref name="method"/> answers 429 with <c>Retry-After: seconds</c>.</summary>
    public void RateLimitNext(string method, int retryAfterSeconds) => Enqueue(method, async context =>
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await Json(context, new JsonObject { ["ok"] = false, ["error"] = "ratelimited" }).ConfigureAwait(false);
    });

    /// <summary>The next call to <paramref name="method"/> answers <c>{"ok": false, "error": error}</c> (HTTP 200, as Slack does).</summary>
    public void FailNext(string method, string error, string? needed = null) => Enqueue(method, context =>
    {
        var body = new JsonObject { ["ok"] = false, ["error"] = error };
        if (needed is not null)
        {
            body["needed"] = needed;
            body["provided"] = "chat:write";
        }

        return Json(context, body);
    });

    /// <summary>The next call to <paramref name="method"/> gets a bare HTTP status.</summary>
    public void StatusNext(string method, int status) => Enqueue(method, context =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    });

    /// <summary>
    /// The next <c>chat.postMessage</c> is stored (the message is in the channel) and then never answered: the caller's
    /// deadline runs out after Slack posted, as when a response is lost.
    /// </summary>
    public void StoreThenStallNextPost() => _afterPost.Enqueue(AfterPost.Stall);

    /// <summary>The next <c>chat.postMessage</c> is stored and then the connection is dropped without an answer.</summary>
    public void StoreThenDropNextPost() => _afterPost.Enqueue(AfterPost.Drop);

    /// <summary>A fresh <c>response_url</c> on this fake.</summary>
    public string NewResponseUrl(string id = "") => new Uri(Root, $"response/{(id.Length == 0 ? Guid.NewGuid().ToString("N") : id)}").ToString();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private void Enqueue(string method, Func<HttpContext, Task> fault) =>
        _faults.GetOrAdd(method, _ => new ConcurrentQueue<Func<HttpContext, Task>>()).Enqueue(fault);

    private async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? string.Empty;
        string authorization = context.Request.Headers.Authorization.ToString();
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        string method = path.StartsWith("/api/", StringComparison.Ordinal) ? path["/api/".Length..]
            : path.StartsWith("/files-pri/", StringComparison.Ordinal) ? "download"
            : path.StartsWith("/response/", StringComparison.Ordinal) ? "response_url"
            : path;
        var call = new FakeSlackCall(method, path, authorization, context.Request.ContentType ?? string.Empty, body);
        _calls.Enqueue(call);

        if (_faults.TryGetValue(method, out ConcurrentQueue<Func<HttpContext, Task>>? faults) && faults.TryDequeue(out Func<HttpContext, Task>? fault))
        {
            await fault(context).ConfigureAwait(false);
            return;
        }

        switch (method)
        {
            case "download":
                await DownloadAsync(context, path, authorization).ConfigureAwait(false);
                return;
            case "response_url":
                await ResponseUrlAsync(context, path, call).ConfigureAwait(false);
                return;
        }

        if (!path.StartsWith("/api/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (string.IsNullOrEmpty(authorization))
        {
            await Json(context, new JsonObject { ["ok"] = false, ["error"] = "not_authed" }).ConfigureAwait(false);
            return;
        }

        if (authorization != "Bearer " + _token)
        {
            await Json(context, new JsonObject { ["ok"] = false, ["error"] = "invalid_auth" }).ConfigureAwait(false);
            return;
        }

        JsonObject? json = call.Json;
        switch (method)
        {
            case "chat.postMessage":
            case "chat.update":
            case "chat.postEphemeral":
                if (json is null || json["channel"] is null)
                {
                    await Json(context, new JsonObject { ["ok"] = false, ["error"] = json is null ? "invalid_json" : "channel_not_found" }).ConfigureAwait(false);
                    return;
                }

                if (BlocksProblem(json["blocks"] as JsonArray) is { } problem)
                {
                    await Json(context, new JsonObject { ["ok"] = false, ["error"] = problem }).ConfigureAwait(false);
                    return;
                }

                string channel = json["channel"]!.GetValue<string>();
                if (method == "chat.postEphemeral")
                {
                    await Json(context, new JsonObject { ["ok"] = true, ["message_ts"] = NextTs() }).ConfigureAwait(false);
                    return;
                }

                string ts = method == "chat.update" ? json["ts"]!.GetValue<string>() : NextTs();
                if (method == "chat.postMessage")
                {
                    _posted.Enqueue(new FakePostedMessage(channel, ts, json));
                    if (_afterPost.TryDequeue(out AfterPost after))
                    {
                        await LoseTheAnswerAsync(context, after).ConfigureAwait(false);
                        return;
                    }
                }

                await Json(context, new JsonObject
                {
                    ["ok"] = true,
                    ["channel"] = channel,
                    ["ts"] = ts,
                    ["text"] = json["text"]?.DeepClone(),
                    ["message"] = new JsonObject { ["type"] = "message", ["subtype"] = "bot_message", ["bot_id"] = "B123ABC456", ["ts"] = ts, ["text"] = json["text"]?.DeepClone() },
                }).ConfigureAwait(false);
                return;
            case "files.info":
                string? fileId = call.Form.GetValueOrDefault("file");
                await Json(context, fileId is not null && _files.TryGetValue(fileId, out FakeFile? file)
                    ? new JsonObject { ["ok"] = true, ["file"] = file.Json.DeepClone() }
                    : new JsonObject { ["ok"] = false, ["error"] = "file_not_found" }).ConfigureAwait(false);
                return;
            case "conversations.open":
                string? users = json?["users"]?.GetValue<string>();
                await Json(context, users is null
                    ? new JsonObject { ["ok"] = false, ["error"] = "users_list_not_supplied" }
                    : new JsonObject { ["ok"] = true, ["channel"] = new JsonObject { ["id"] = "D" + users.TrimStart('U', 'W') } }).ConfigureAwait(false);
                return;
            default:
                await Json(context, new JsonObject { ["ok"] = false, ["error"] = "unknown_method" }).ConfigureAwait(false);
                return;
        }
    }

    private async Task DownloadAsync(HttpContext context, string path, string authorization)
    {
        string id = path.Split('/')[2]["T111-".Length..];
        if (authorization != "Bearer " + _token || WithoutFilesRead)
        {
            // What Slack does without files:read: HTTP 200 and its sign-in page.
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(SignInPage).ConfigureAwait(false);
            return;
        }

        if (!_files.TryGetValue(id, out FakeFile? file))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = file.MimeType;
        context.Response.ContentLength = file.Content.Length;
        await context.Response.Body.WriteAsync(file.Content).ConfigureAwait(false);
    }

    private async Task ResponseUrlAsync(HttpContext context, string path, FakeSlackCall call)
    {
        if (!string.IsNullOrEmpty(call.Authorization))
        {
            // A response URL needs no token; sending one there would leak it.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("token_not_expected").ConfigureAwait(false);
            return;
        }

        int uses = _responseUrlUses.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (uses > MaxResponseUrlUses)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("used_url").ConfigureAwait(false);
            return;
        }

        if (call.Json is null || BlocksProblem(call.Json["blocks"] as JsonArray) is not null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("invalid_blocks").ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsync("ok").ConfigureAwait(false);
    }

    private static async Task LoseTheAnswerAsync(HttpContext context, AfterPost after)
    {
        if (after == AfterPost.Drop)
        {
            context.Abort();
            return;
        }

        try
        {
            // Until the client gives up (its request timeout) or the fake stops.
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The limits Slack enforces on posted blocks (B6.6), as its error codes.</summary>
    private static string? BlocksProblem(JsonArray? blocks)
    {
        if (blocks is null)
        {
            return null;
        }

        if (blocks.Count > 50)
        {
            return "invalid_blocks";
        }

        int text = 0;
        foreach (JsonNode? block in blocks)
        {
            string type = block?["type"]?.GetValue<string>() ?? string.Empty;
            string? blockText = block?["text"]?["text"]?.GetValue<string>();
            int max = type == "header" ? 150 : 3000;
            if (blockText is not null && (blockText.Length == 0 || blockText.Length > max))
            {
                return "invalid_blocks";
            }

            if (block?["fields"] is JsonArray fields && (fields.Count > 10 || fields.Any(f => (f?["text"]?.GetValue<string>().Length ?? 0) > 2000)))
            {
                return "invalid_blocks";
            }

            text += (blockText?.Length ?? 0) + ((block?["fields"] as JsonArray)?.Sum(f => f?["text"]?.GetValue<string>().Length ?? 0) ?? 0);
        }

        return text > 12_000 ? "msg_blocks_too_long" : null;
    }

    private string NextTs() => string.Create(CultureInfo.InvariantCulture, $"1700000000.{Interlocked.Increment(ref _nextTs):D6}");

    private static Task Json(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private sealed record FakeFile(JsonObject Json, byte[] Content, string MimeType);

    private enum AfterPost
    {
        Stall,
        Drop,
    }
}

/// <summary>A message the fake stored for <c>chat.postMessage</c>.</summary>
public sealed record FakePostedMessage(string Channel, string Ts, JsonObject Body);

/// <summary>One request the fake answered.</summary>
public sealed record FakeSlackCall(string Method, string Path, string Authorization, string ContentType, string Body)
{
    public JsonObject? Json
    {
        get
        {
            try
            {
                return JsonNode.Parse(Body) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }

    public Dictionary<string, string> Form =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Body).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
}
