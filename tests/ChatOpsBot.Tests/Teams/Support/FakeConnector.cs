using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsBot.BotFramework.Tests.Connector;
using Microsoft.AspNetCore.Http;

namespace ChatOpsBot.Tests.Teams.Support;

/// <summary>What the bot sent the Connector: the call, and the activity in its body.</summary>
/// <param name="CreatedId">The id the Connector answered with: a new activity's id, or the updated one's.</param>
internal sealed record ConnectorCall(string Method, string Path, string? Authorization, JsonNode? Activity, string CreatedId)
{
    public string? Type => Activity?["type"]?.GetValue<string>();

    public bool IsTyping => Type == "typing";

    private static readonly JsonSerializerOptions s_literal = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The Adaptive Card the activity carries, as JSON text with its characters unescaped (empty when it carries none).</summary>
    public string CardJson => Activity?["attachments"]?[0]?["content"]?.ToJsonString(s_literal) ?? string.Empty;

    public bool HasCardWith(string text) => CardJson.Contains(text, StringComparison.Ordinal);

    /// <summary>The id in <c>…/activities/{id}</c> of a reply or update; null for a post to the conversation.</summary>
    public string? TargetActivityId
    {
        get
        {
            int at = Path.IndexOf("/activities/", StringComparison.Ordinal);
            return at < 0 ? null : Uri.UnescapeDataString(Path[(at + "/activities/".Length)..]);
        }
    }
}

/// <summary>
/// A Bot Connector on 127.0.0.1 in the reference's shape: posts and replies answer 201 <c>{"id"}</c> with a fresh id,
/// updates 200 with the updated id. Every call is recorded; tests wait on them, since the bot answers after it has
/// acknowledged the inbound request.
/// </summary>
internal sealed class FakeConnector : IAsyncDisposable
{
    private readonly ConcurrentQueue<ConnectorCall> _calls = new();
    private FakeHttpServer _server = null!;
    private int _nextId;

    public string ServiceUrl => new Uri(_server.BaseUri, "amer/").AbsoluteUri;

    public IReadOnlyList<ConnectorCall> Calls => [.. _calls];

    public IEnumerable<ConnectorCall> Cards => Calls.Where(c => c.CardJson.Length > 0);

    public static async Task<FakeConnector> StartAsync()
    {
        var connector = new FakeConnector { _server = await FakeHttpServer.StartAsync() };
        connector._server.Handler = connector.RespondAsync;
        return connector;
    }

    /// <summary>The first call matching <paramref name="match"/>, waiting for it (30 s at most, as a safety net).</summary>
    public async Task<ConnectorCall> WaitForAsync(Func<ConnectorCall, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Calls.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (timeout.IsCancellationRequested)
            {
                throw new ShouldAssertException(
                    $"The Connector never received {what}. It received: {string.Join("; ", Calls.Select(c => $"{c.Method} {c.Path} {c.Type}"))}");
            }

            // Polls the recorded requests; the bot's answers arrive from background work.
            await Task.Delay(20, CancellationToken.None);
        }
    }

    public Task<ConnectorCall> WaitForCardAsync(string text) => WaitForAsync(c => c.HasCardWith(text), $"a card with '{text}'");

    public ValueTask DisposeAsync() => _server.DisposeAsync();


    private static Task Respond(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json);
    }

    private Task RespondAsync(HttpContext context, RecordedRequest request)
    {
        JsonNode? activity = request.Body.Length == 0 ? null : JsonNode.Parse(request.Body);
        var call = new ConnectorCall(request.Method, request.RawTarget, request.Header("Authorization"), activity, string.Empty);
        bool isUpdate = request.Method == HttpMethods.Put;
        string id = isUpdate
            ? call.TargetActivityId ?? string.Empty
            : "activity-" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        _calls.Enqueue(call with { CreatedId = id });
        return Respond(context, isUpdate ? 200 : 201, new JsonObject { ["id"] = id }.ToJsonString());
    }
}
