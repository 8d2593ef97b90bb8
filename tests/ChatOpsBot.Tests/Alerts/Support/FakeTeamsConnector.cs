using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsBot.BotFramework.Connector;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.BotFramework.Tests.Connector;
using ChatOpsBot.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Alerts.Support;

/// <summary>A message the fake Connector accepted (201) into a conversation, or an update it applied (200).</summary>
internal sealed record ConnectorPost(string Method, string ConversationId, string ActivityId, JsonNode Activity)
{
    private static readonly JsonSerializerOptions s_literal = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The Adaptive Card the activity carries, as JSON text with its characters unescaped.</summary>
    public string CardJson => Activity["attachments"]?[0]?["content"]?.ToJsonString(s_literal) ?? string.Empty;

    /// <summary>What the card shows: its text blocks and fact values, one per line, without Markdown escapes.</summary>
    public string ShownText
    {
        get
        {
            var lines = new List<string>();
            Collect(Activity["attachments"]?[0]?["content"]?["body"], lines);
            return string.Join('\n', lines).Replace("\\", string.Empty, StringComparison.Ordinal);
        }
    }

    /// <summary>The card's buttons by title, with their data.</summary>
    public IReadOnlyList<string> ButtonTitles =>
        [.. (Activity["attachments"]?[0]?["content"]?["actions"]?.AsArray() ?? []).Select(a => a?["title"]?.GetValue<string>() ?? string.Empty)];

    private static void Collect(JsonNode? node, List<string> lines)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (JsonNode? item in array)
                {
                    Collect(item, lines);
                }

                break;
            case JsonObject element:
                foreach ((string name, JsonNode? value) in element)
                {
                    if (value is JsonValue text && name is "text" or "value" or "title" && text.TryGetValue(out string? line))
                    {
                        lines.Add(line);
                    }
                    else
                    {
                        Collect(value, lines);
                    }
                }

                break;
            default:
                break;
        }
    }
}

/// <summary>
/// The Bot Connector (reference part A3) and the Entra token endpoint (A2) on 127.0.0.1, as the Teams alert sender
/// meets them: a proactive post is <c>POST {serviceUrl}v3/conversations/{encoded id}/activities</c> with the bot's
/// Bearer token and answers 201 <c>{"id"}</c>; an update is a PUT answered 200. Requests without the issued token get
/// 401, unencoded conversation ids 400 BadArgument. Faults are queued per request (429 with Retry-After, 503, 403
/// BotNotInConversationRoster…), and a post can be accepted and then left unanswered, as when the bot's process dies
/// before it hears back. One instance outlives the hosts of a test, as Teams outlives a restart of the bot.
/// </summary>
internal sealed class FakeTeamsConnector : IAsyncDisposable
{
    public const string AppId = "7d3c9e1a-5b2f-4a8e-9c6d-0e1f2a3b4c5d";
    public const string AppSecret = "teams-app-secret-that-must-never-leak";
    public const string TenantId = "8f6ab2b4-3c1e-4d7a-9b0e-5a2c1d3e4f60";
    public const string BotId = "28:" + AppId;
    public const string AccessToken = "eyJ0eXAiOiJKV1QifQ.teams-bot-access-token.sig";

    private readonly ConcurrentQueue<Func<HttpContext, Task>> _faults = new();
    private readonly ConcurrentQueue<ConnectorPost> _accepted = new();
    private readonly ConcurrentQueue<RecordedRequest> _refused = new();
    private readonly CancellationTokenSource _stopping = new();
    private FakeHttpServer _connector = null!;
    private FakeHttpServer _tokens = null!;
    private int _nextId = 1_777_100_000;
    private int _holdNext;

    public string ServiceUrl => new Uri(_connector.BaseUri, "amer/").AbsoluteUri;

    /// <summary>Every request that reached the Connector, accepted or not.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _connector.Requests;

    /// <summary>Posts and updates the Connector applied, in order.</summary>
    public IReadOnlyList<ConnectorPost> Applied => [.. _accepted];

    public IReadOnlyList<ConnectorPost> Posts => [.. _accepted.Where(p => p.Method == HttpMethods.Post)];

    public IReadOnlyList<ConnectorPost> Updates => [.. _accepted.Where(p => p.Method == HttpMethods.Put)];

    public int TokenRequests => _tokens.Requests.Count;

    /// <summary>Completes when a held post (see <see cref="AcceptNextPostButNeverAnswer"/>) has been accepted.</summary>
    public TaskCompletionSource HeldPostAccepted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeTeamsConnector> StartAsync()
    {
        var fake = new FakeTeamsConnector
        {
            _connector = await FakeHttpServer.StartAsync(),
            _tokens = await FakeHttpServer.StartAsync(https: true),
        };
        fake._connector.Handler = fake.ConnectorAsync;
        fake._tokens.Handler = (context, _) => Respond(context, 200, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["ext_expires_in"] = 3600,
            ["access_token"] = AccessToken,
        }));
        return fake;
    }

    /// <summary>The bot's settings for a single-tenant app whose Connector is this fake.</summary>
    public void AddSettings(Dictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["MicrosoftAppId"] = AppId;
        settings["MicrosoftAppPassword"] = AppSecret;
        settings["MicrosoftAppTenantId"] = TenantId;
        settings["MicrosoftAppType"] = "SingleTenant";
        settings["Bot:AuthorityHost"] = _tokens.BaseUri.GetLeftPart(UriPartial.Authority);
        settings["Bot:TrustedServiceUrls:0"] = ServiceUrl;
        settings["Bot:AllowInsecureServiceUrls"] = "true";
    }

    /// <summary>MSAL talks to the fake token endpoint, trusting exactly its self-signed certificate.</summary>
    public void AddServices(IServiceCollection services) =>
        services.AddHttpClient(MsalHttpClientFactory.ClientName).ConfigurePrimaryHttpMessageHandler(() => _tokens.CreateTrustingHandler());

    /// <summary>The reference the bot stores when it is installed in a team channel (installationUpdate, A4).</summary>
    public Task StoreChannelReferenceAsync(IConversationStore store, string conversationId, DateTimeOffset now, string? serviceUrl = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        serviceUrl ??= ServiceUrl;
        var reference = new ConversationReference
        {
            Bot = new ChannelAccount(BotId, "ChatOpsBot"),
            User = new ChannelAccount("29:1installer-mri", "Ina Staller"),
            Conversation = new ConversationAccount(conversationId, ConversationTypes.Channel, TenantId) { IsGroup = true },
            ChannelId = Channels.MsTeams,
            Locale = "en-US",
            ServiceUrl = serviceUrl,
        };
        return store.UpsertAsync(
            new StoredConversation(Channels.MsTeams, conversationId, serviceUrl, TenantId, ConversationTypes.Channel, JsonSerializer.Serialize(reference, BotJson.Options), now, now),
            CancellationToken.None);
    }

    public void FailNext(int status, string? code = null, string? retryAfterSeconds = null) => _faults.Enqueue(context =>
    {
        if (retryAfterSeconds is not null)
        {
            context.Response.Headers.RetryAfter = retryAfterSeconds;
        }

        return code is null
            ? Respond(context, status, string.Empty)
            : Respond(context, status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = "Details for " + code } }.ToJsonString());
    });

    /// <summary>The next post is accepted (it is in the conversation) but its answer never comes.</summary>
    public void AcceptNextPostButNeverAnswer() => Interlocked.Exchange(ref _holdNext, 1);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _connector.DisposeAsync();
        await _tokens.DisposeAsync();
        _stopping.Dispose();
    }

    private static Task Respond(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        if (json.Length == 0)
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json);
    }

    private async Task ConnectorAsync(HttpContext context, RecordedRequest request)
    {
        if (request.Header("Authorization") != "Bearer " + AccessToken)
        {
            _refused.Enqueue(request);
            await Respond(context, 401, """{"error":{"code":"Unauthorized","message":"Authorization has been denied for this request."}}""");
            return;
        }

        // {serviceUrl path}v3/conversations/{id}/activities[/{activity id}], ids percent-encoded (Teams ids hold ':', ';', '@').
        string path = request.RawTarget;
        int start = path.IndexOf("/v3/conversations/", StringComparison.Ordinal);
        int end = start < 0 ? -1 : path.IndexOf("/activities", start, StringComparison.Ordinal);
        string? rawConversation = end < 0 ? null : path[(start + "/v3/conversations/".Length)..end];
        if (rawConversation is null || rawConversation.IndexOfAny([':', '@', ';']) >= 0)
        {
            _refused.Enqueue(request);
            await Respond(context, 400, """{"error":{"code":"BadArgument","message":"Invalid conversation id"}}""");
            return;
        }

        if (_faults.TryDequeue(out Func<HttpContext, Task>? fault))
        {
            _refused.Enqueue(request);
            await fault(context);
            return;
        }

        JsonNode activity = JsonNode.Parse(request.Body) ?? throw new InvalidOperationException("The bot sent an empty activity.");
        string conversation = Uri.UnescapeDataString(rawConversation);
        bool update = request.Method == HttpMethods.Put;
        string id = update
            ? Uri.UnescapeDataString(path[(end + "/activities/".Length)..])
            : Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        _accepted.Enqueue(new ConnectorPost(request.Method, conversation, id, activity));

        if (!update && Interlocked.Exchange(ref _holdNext, 0) == 1)
        {
            HeldPostAccepted.TrySetResult();
            using var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, held.Token);
            }
            catch (OperationCanceledException)
            {
                // The bot went away (or the test ended) without hearing that the post was stored.
            }

            context.Abort();
            return;
        }

        await Respond(context, update ? 200 : 201, new JsonObject { ["id"] = id }.ToJsonString());
    }
}
