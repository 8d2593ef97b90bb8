using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsBot.Cards.BlockKit;
using ChatOpsBot.Slack.Inbound;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Slack.WebApi;

/// <summary>A message Slack stored: its conversation and timestamp id (what <c>chat.update</c> needs).</summary>
public sealed record SlackMessageRef(string Channel, string Ts);

/// <summary>
/// Message metadata (<c>chat.postMessage</c> <c>metadata</c>): not shown to people; apps that can read the
/// conversation's history see it with <c>include_all_metadata</c>. <see cref="EventType"/> is lower-case letters,
/// digits and underscores; the payload is flat strings.
/// </summary>
public sealed record SlackMessageMetadata(string EventType, IReadOnlyDictionary<string, string> Payload);

/// <summary>The Slack Web API methods the bot uses (teams-and-slack.md B6.5).</summary>
public interface ISlackWebApi
{
    /// <summary><c>chat.postMessage</c> (scope <c>chat:write</c>): a message visible to the conversation.</summary>
    Task<SlackMessageRef> PostMessageAsync(string channel, BlockKitMessage message, string? threadTs, CancellationToken cancellationToken);

    /// <summary>
    /// <c>chat.postMessage</c> of a message nobody is waiting for (an alert), with <paramref name="metadata"/>. A 429 is
    /// not waited out here: it is thrown at once as <see cref="SlackApiException.RateLimited"/> with its
    /// <c>Retry-After</c>, so the caller's own schedule (the alert outbox) decides when to try again and one throttled
    /// channel does not hold up the others.
    /// </summary>
    Task<SlackMessageRef> PostProactiveMessageAsync(string channel, BlockKitMessage message, SlackMessageMetadata? metadata, CancellationToken cancellationToken);

    /// <summary><c>chat.update</c>: replaces a message the bot posted.</summary>
    Task<SlackMessageRef> UpdateMessageAsync(string channel, string ts, BlockKitMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// <c>chat.update</c> of a message nobody is waiting for (an alert card refreshed by the outbox). Like
    /// <see cref="PostProactiveMessageAsync"/>, a 429 is thrown at once as <see cref="SlackApiException.RateLimited"/>
    /// with its <c>Retry-After</c> instead of being waited out, so a throttled channel does not hold up the outbox run.
    /// </summary>
    Task<SlackMessageRef> UpdateProactiveMessageAsync(string channel, string ts, BlockKitMessage message, CancellationToken cancellationToken);

    /// <summary><c>chat.postEphemeral</c>: a message only <paramref name="user"/> sees; returns its <c>message_ts</c>.</summary>
    Task<string> PostEphemeralAsync(string channel, string user, BlockKitMessage message, string? threadTs, CancellationToken cancellationToken);

    /// <summary><c>files.info</c> (scope <c>files:read</c>).</summary>
    Task<SlackFile> GetFileInfoAsync(string fileId, CancellationToken cancellationToken);

    /// <summary><c>conversations.open</c> (scope <c>im:write</c>): the direct-message channel with a user.</summary>
    Task<string> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken);
}

/// <summary>
/// Typed client of the Slack Web API at <see cref="SlackOptions.ApiBaseUrl"/>: <c>POST {base}{method}</c> with the bot
/// token as a Bearer header, JSON bodies for the write methods and a form for <c>files.info</c>. Slack answers HTTP 200
/// with <c>ok: false</c> and an error code, which becomes a <see cref="SlackApiException"/>; a 429 is retried after its
/// <c>Retry-After</c>.
/// </summary>
public sealed partial class SlackWebApiClient(HttpClient httpClient, IOptions<SlackOptions> options, TimeProvider timeProvider, ILogger<SlackWebApiClient> logger)
    : ISlackWebApi
{
    private readonly SlackOptions _options = options.Value;

    public async Task<SlackMessageRef> PostMessageAsync(string channel, BlockKitMessage message, string? threadTs, CancellationToken cancellationToken)
    {
        JsonObject body = PostBody(channel, message);
        AddIfSet(body, "thread_ts", threadTs);
        using JsonDocument answer = await CallJsonAsync("chat.postMessage", body, cancellationToken).ConfigureAwait(false);
        return Reference("chat.postMessage", answer.RootElement);
    }

    public async Task<SlackMessageRef> PostProactiveMessageAsync(string channel, BlockKitMessage message, SlackMessageMetadata? metadata, CancellationToken cancellationToken)
    {
        JsonObject body = PostBody(channel, message);
        if (metadata is not null)
        {
            if (!ValidEventType(metadata.EventType))
            {
                throw new ArgumentException("A metadata event type is lower-case letters, digits and underscores.", nameof(metadata));
            }

            var payload = new JsonObject();
            foreach ((string key, string value) in metadata.Payload)
            {
                payload[key] = value;
            }

            body["metadata"] = new JsonObject { ["event_type"] = metadata.EventType, ["event_payload"] = payload };
        }

        using JsonDocument answer = await CallJsonAsync("chat.postMessage", body, cancellationToken, waitOutRateLimits: false).ConfigureAwait(false);
        return Reference("chat.postMessage", answer.RootElement);
    }

    public Task<SlackMessageRef> UpdateMessageAsync(string channel, string ts, BlockKitMessage message, CancellationToken cancellationToken) =>
        UpdateAsync(channel, ts, message, waitOutRateLimits: true, cancellationToken);

    public Task<SlackMessageRef> UpdateProactiveMessageAsync(string channel, string ts, BlockKitMessage message, CancellationToken cancellationToken) =>
        UpdateAsync(channel, ts, message, waitOutRateLimits: false, cancellationToken);

    public async Task<string> PostEphemeralAsync(string channel, string user, BlockKitMessage message, string? threadTs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(message);
        JsonObject body = MessageBody(message);
        body["channel"] = channel;
        body["user"] = user;
        AddIfSet(body, "thread_ts", threadTs);
        body["link_names"] = false;
        body["parse"] = "none";
        using JsonDocument answer = await CallJsonAsync("chat.postEphemeral", body, cancellationToken).ConfigureAwait(false);
        return SlackJson.Id(answer.RootElement, "message_ts") ?? throw new SlackApiException("chat.postEphemeral", SlackApiException.InvalidResponse);
    }

    public async Task<SlackFile> GetFileInfoAsync(string fileId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileId);
        using JsonDocument answer = await CallAsync("files.info", () => new FormUrlEncodedContent([new("file", fileId)]), cancellationToken).ConfigureAwait(false);
        return SlackJson.File(SlackJson.Object(answer.RootElement, "file")) ?? throw new SlackApiException("files.info", SlackApiException.InvalidResponse);
    }

    public async Task<string> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        using JsonDocument answer = await CallJsonAsync("conversations.open", new JsonObject { ["users"] = userId }, cancellationToken).ConfigureAwait(false);
        return SlackJson.Id(SlackJson.Object(answer.RootElement, "channel"), "id") ?? throw new SlackApiException("conversations.open", SlackApiException.InvalidResponse);
    }

    private async Task<SlackMessageRef> UpdateAsync(string channel, string ts, BlockKitMessage message, bool waitOutRateLimits, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(ts);
        ArgumentNullException.ThrowIfNull(message);
        JsonObject body = MessageBody(message);
        body["channel"] = channel;
        body["ts"] = ts;
        body["link_names"] = false;
        body["parse"] = "none";
        using JsonDocument answer = await CallJsonAsync("chat.update", body, cancellationToken, waitOutRateLimits).ConfigureAwait(false);
        return Reference("chat.update", answer.RootElement);
    }

    private static JsonObject PostBody(string channel, BlockKitMessage message)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(message);
        JsonObject body = MessageBody(message);
        body["channel"] = channel;

        // No previews of anything in our text, and no @name or #channel linking (Slack's defaults, stated).
        body["unfurl_links"] = false;
        body["unfurl_media"] = false;
        body["link_names"] = false;
        body["parse"] = "none";
        return body;
    }

    private static bool ValidEventType(string? eventType) =>
        eventType is { Length: > 0 and <= 100 } && eventType.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    private static JsonObject MessageBody(BlockKitMessage message) => new()
    {
        ["text"] = message.Text,
        ["blocks"] = BlockKitJson.BlocksToJsonArray(message.Blocks),
    };

    private static void AddIfSet(JsonObject body, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            body[name] = value;
        }
    }

    private static SlackMessageRef Reference(string method, JsonElement answer) =>
        SlackJson.Id(answer, "channel") is { } channel && SlackJson.Id(answer, "ts") is { } ts
            ? new SlackMessageRef(channel, ts)
            : throw new SlackApiException(method, SlackApiException.InvalidResponse);

    private Task<JsonDocument> CallJsonAsync(string method, JsonObject body, CancellationToken cancellationToken, bool waitOutRateLimits = true)
    {
        string json = body.ToJsonString(BlockKitJson.Options);
        return CallAsync(method, () => new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken, waitOutRateLimits);
    }

    private async Task<JsonDocument> CallAsync(string method, Func<HttpContent> content, CancellationToken cancellationToken, bool waitOutRateLimits = true)
    {
        if (string.IsNullOrWhiteSpace(_options.BotToken))
        {
            throw new InvalidOperationException("Slack is not configured (Slack:BotToken is empty).");
        }

        (HttpStatusCode status, byte[] body, _) = await SlackHttp.SendAsync(
            httpClient,
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, method) { Content = content() };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.BotToken);
                return request;
            },
            method,
            _options,
            timeProvider,
            logger,
            cancellationToken,
            waitOutRateLimits).ConfigureAwait(false);

        if (status != HttpStatusCode.OK)
        {
            LogFailed(logger, method, $"http_{(int)status}");
            throw new SlackApiException(method, $"http_{(int)status}", status);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, SlackJson.DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new SlackApiException(method, SlackApiException.InvalidResponse, status, innerException: ex);
        }

        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ok", out JsonElement ok) || ok.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            document.Dispose();
            throw new SlackApiException(method, SlackApiException.InvalidResponse, status);
        }

        if (ok.ValueKind == JsonValueKind.False)
        {
            string error = SlackJson.IdOrNull(SlackJson.String(root, "error", SlackJson.MaxIdChars)) ?? "unknown_error";
            string? needed = error == SlackApiException.MissingScope ? Scope(SlackJson.String(root, "needed", SlackJson.MaxNameChars)) : null;
            document.Dispose();
            LogFailed(logger, method, error);
            throw new SlackApiException(method, error, status, neededScope: needed);
        }

        return document;
    }

    private static string? Scope(string? needed) =>
        needed is not null && needed.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '.' or '_' or ',' or '-') ? needed : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string method, string error);
}
