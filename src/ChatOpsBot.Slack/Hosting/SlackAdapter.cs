using System.Buffers;
using System.Globalization;
using System.Net.Mime;
using System.Text.Json;
using ChatOpsBot.Slack.Inbound;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ChatOpsBot.Slack.Hosting;

/// <summary>
/// Serves Slack's three request URLs: events (<c>url_verification</c>, <c>event_callback</c>), slash commands and
/// interactivity. Every request is checked before its body is parsed: size, the signing headers and timestamp window
/// (before the body is read), then the HMAC over the exact bytes; a failure is a 401 and a log line. Verified input is
/// de-duplicated (event retries carry the same <c>event_id</c>) and handed to <see cref="ISlackInboundHandler"/>, which
/// queues the work, so Slack gets its 200 well within its three seconds.
/// </summary>
public sealed partial class SlackAdapter
{
    /// <summary>
    /// Events and interaction payloads are a few KB; a <c>block_actions</c> payload carries the whole message with its
    /// blocks (about 12,000 characters of text at most, URL-encoded), which this leaves room for.
    /// </summary>
    public const int MaxRequestBytes = 256 * 1024;

    public const string RetryNumHeader = "X-Slack-Retry-Num";
    public const string RetryReasonHeader = "X-Slack-Retry-Reason";
    public const string NoRetryHeader = "X-Slack-No-Retry";

    private const string FormContentType = "application/x-www-form-urlencoded";

    private static ReadOnlySpan<byte> SslCheckPrefix => "ssl_check=1"u8;

    private readonly SlackOptions _options;
    private readonly ISlackDeliveryDeduplicator _deduplicator;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SlackAdapter> _logger;

    public SlackAdapter(IOptions<SlackOptions> options, ISlackDeliveryDeduplicator deduplicator, TimeProvider timeProvider, ILogger<SlackAdapter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(deduplicator);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _deduplicator = deduplicator;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary><c>POST</c> to the Events API request URL.</summary>
    public async Task ProcessEventsAsync(HttpContext httpContext, ISlackInboundHandler handler)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(handler);
        byte[]? body = await ReadVerifiedAsync(httpContext, MediaTypeNames.Application.Json, "events").ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        HttpResponse response = httpContext.Response;
        CancellationToken cancellationToken = httpContext.RequestAborted;
        switch (SlackInboundParser.ParseEvents(body))
        {
            case null:
                Refuse(response, StatusCodes.Status400BadRequest, "events", "the body is not a JSON object");
                return;
            case SlackUrlVerification verification:
                LogUrlVerification(_logger);
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/json; charset=utf-8";
                await JsonSerializer.SerializeAsync(response.Body, new Dictionary<string, string> { ["challenge"] = verification.Challenge }, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            case SlackUnsupportedPayload unsupported:
                LogIgnored(_logger, "(none)", unsupported.Description);
                response.StatusCode = StatusCodes.Status200OK;
                return;
            case SlackEventCallback callback when !AllowedWorkspace(response, "events", callback.TeamId):
                return;
            case SlackEventCallback callback:
                await HandleCallbackAsync(httpContext, callback, handler).ConfigureAwait(false);
                return;
        }
    }

    /// <summary><c>POST</c> to a slash command's request URL.</summary>
    public async Task ProcessCommandsAsync(HttpContext httpContext, ISlackInboundHandler handler)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(handler);
        byte[]? body = await ReadVerifiedAsync(httpContext, FormContentType, "commands").ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        SlackSlashCommand? command = SlackInboundParser.ParseSlashCommand(body);
        if (command is null)
        {
            Refuse(httpContext.Response, StatusCodes.Status400BadRequest, "commands", "the form lacks command, user_id or channel_id");
            return;
        }

        if (!AllowedWorkspace(httpContext.Response, "commands", command.TeamId))
        {
            return;
        }

        if (command.TriggerId is { } trigger && !await FirstDeliveryAsync("command:" + trigger, httpContext.RequestAborted).ConfigureAwait(false))
        {
            string triggerId = SlackLogText.Safe(trigger);
            LogDuplicate(_logger, "slash command", triggerId);
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        await DispatchAsync(httpContext, "commands", () => handler.OnSlashCommandAsync(command, httpContext.RequestAborted)).ConfigureAwait(false);
    }

    /// <summary><c>POST</c> to the interactivity request URL (<c>payload=</c> form).</summary>
    public async Task ProcessInteractionsAsync(HttpContext httpContext, ISlackInboundHandler handler)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(handler);
        byte[]? body = await ReadVerifiedAsync(httpContext, FormContentType, "interactions").ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        SlackBlockActions? actions = SlackInboundParser.ParseBlockActions(body);
        if (actions is null)
        {
            // Other interaction types (shortcuts, modals) are not used by this app: acknowledged and dropped.
            LogIgnored(_logger, "(interaction)", "not a block_actions payload with an action");
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        if (!AllowedWorkspace(httpContext.Response, "interactions", actions.TeamId))
        {
            return;
        }

        string key = string.Join(':', "action", actions.UserId, actions.MessageTs, actions.Actions[0].ActionTs ?? actions.TriggerId);
        if (!await FirstDeliveryAsync(key, httpContext.RequestAborted).ConfigureAwait(false))
        {
            string actionTs = SlackLogText.Safe(actions.Actions[0].ActionTs);
            LogDuplicate(_logger, "block action", actionTs);
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        await DispatchAsync(httpContext, "interactions", () => handler.OnBlockActionsAsync(actions, httpContext.RequestAborted)).ConfigureAwait(false);
    }

    private async Task HandleCallbackAsync(HttpContext httpContext, SlackEventCallback callback, ISlackInboundHandler handler)
    {
        HttpRequest request = httpContext.Request;
        string eventId = SlackLogText.Safe(callback.EventId);
        if (request.Headers.TryGetValue(RetryNumHeader, out Microsoft.Extensions.Primitives.StringValues retry))
        {
            string retryNum = SlackLogText.Safe(retry.ToString(), 4);
            string retryReason = SlackLogText.Safe(request.Headers[RetryReasonHeader].ToString(), 40);
            LogRetry(_logger, eventId, retryNum, retryReason);
        }

        if (callback.Event is null)
        {
            string reason = $"{SlackLogText.Safe(callback.EventType, 40)}: {callback.IgnoredBecause}";
            LogIgnored(_logger, eventId, reason);
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        if (!await FirstDeliveryAsync("event:" + callback.EventId, httpContext.RequestAborted).ConfigureAwait(false))
        {
            LogDuplicate(_logger, "event", eventId);
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        await DispatchAsync(httpContext, "events", () => callback.Event switch
        {
            SlackMessageEvent message => handler.OnMessageAsync(message, httpContext.RequestAborted),
            SlackFileSharedEvent fileShared => handler.OnFileSharedAsync(fileShared, httpContext.RequestAborted),
            _ => ValueTask.CompletedTask,
        }).ConfigureAwait(false);
    }

    private async Task DispatchAsync(HttpContext httpContext, string endpoint, Func<ValueTask> dispatch)
    {
        try
        {
            await dispatch().ConfigureAwait(false);
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
        }
        catch (OperationCanceledException) when (httpContext.RequestAborted.IsCancellationRequested)
        {
            LogAborted(_logger, endpoint);
        }
#pragma warning disable CA1031 // Whatever failed, Slack gets an answer and the failure is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The delivery is recorded, so a retry would be dropped anyway: tell Slack not to send one.
            LogHandlerFailed(_logger, ex, endpoint);
            httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
            httpContext.Response.Headers[NoRetryHeader] = "1";
        }
    }

    /// <summary>
    /// <see cref="SlackOptions.AllowedTeamIds"/>, checked after the signature (an unsigned request never gets this far,
    /// so the refusal tells an outsider nothing): a request from another workspace is a 403 and one log line.
    /// </summary>
    private bool AllowedWorkspace(HttpResponse response, string endpoint, string? teamId)
    {
        if (_options.AllowsTeam(teamId))
        {
            return true;
        }

        Refuse(response, StatusCodes.Status403Forbidden, endpoint, $"workspace {SlackLogText.Safe(teamId, 32)} is not in Slack:AllowedTeamIds");
        return false;
    }

    private ValueTask<bool> FirstDeliveryAsync(string deliveryId, CancellationToken cancellationToken) =>
        _deduplicator.TryBeginAsync(deliveryId, cancellationToken);

    /// <summary>The body when the request is Slack's; otherwise null with the refusal already written.</summary>
    private async Task<byte[]?> ReadVerifiedAsync(HttpContext httpContext, string mediaType, string endpoint)
    {
        HttpRequest request = httpContext.Request;
        HttpResponse response = httpContext.Response;
        if (!HttpMethods.IsPost(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return null;
        }

        if (request.ContentLength > MaxRequestBytes)
        {
            Refuse(response, StatusCodes.Status413PayloadTooLarge, endpoint, "the body is larger than the limit");
            return null;
        }

        if (!HasMediaType(request.ContentType, mediaType))
        {
            Refuse(response, StatusCodes.Status415UnsupportedMediaType, endpoint, $"content type {SlackLogText.Safe(request.ContentType, 60)}");
            return null;
        }

        string? timestamp = request.Headers[SlackSignature.TimestampHeader];
        string? signature = request.Headers[SlackSignature.SignatureHeader];
        DateTimeOffset now = _timeProvider.GetUtcNow();

        // Refused before the body is read: an unsigned or stale request costs no upload.
        SlackSignatureFailure failure = SlackSignature.CheckHeaders(timestamp, signature, now);
        byte[]? body = null;
        if (failure == SlackSignatureFailure.MissingHeaders && endpoint == "commands")
        {
            // Slack checks a command URL's certificate with an unsigned "ssl_check=1" form (bolt answers it without
            // verifying); it is answered and nothing is done with it.
            body = await ReadBodyAsync(request.Body, httpContext.RequestAborted).ConfigureAwait(false);
            if (body is not null && body.AsSpan().StartsWith(SslCheckPrefix))
            {
                response.StatusCode = StatusCodes.Status200OK;
                return null;
            }
        }
        else if (failure == SlackSignatureFailure.None)
        {
            body = await ReadBodyAsync(request.Body, httpContext.RequestAborted).ConfigureAwait(false);
            if (body is null)
            {
                Refuse(response, StatusCodes.Status413PayloadTooLarge, endpoint, "the body is larger than the limit");
                return null;
            }

            failure = SlackSignature.Verify(_options.SigningSecret, timestamp, signature, body, now);
        }

        if (failure != SlackSignatureFailure.None)
        {
            LogUnauthenticated(_logger, endpoint, failure, SlackLogText.Safe(timestamp, 14), Skew(timestamp, now), httpContext.Connection.RemoteIpAddress?.ToString() ?? "(unknown)");
            response.StatusCode = StatusCodes.Status401Unauthorized;
            return null;
        }

        return body;
    }

    /// <summary>
    /// The body, or null when it is longer than <see cref="MaxRequestBytes"/>. Read through a pooled buffer that is
    /// cleared before it goes back: the request's text must not outlive it in the process's shared pool.
    /// </summary>
    internal static async Task<byte[]?> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxRequestBytes + 1);

        // What to clear: only the part read once reading ended; all of it when a read failed part-way.
        int written = buffer.Length;
        try
        {
            int total = 0;
            while (total <= MaxRequestBytes)
            {
                int read = await body.ReadAsync(buffer.AsMemory(total, MaxRequestBytes + 1 - total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    written = total;
                    return buffer.AsSpan(0, total).ToArray();
                }

                total += read;
            }

            written = total;
            return null;
        }
        finally
        {
            buffer.AsSpan(0, written).Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Refuse(HttpResponse response, int status, string endpoint, string reason)
    {
        LogRefused(_logger, endpoint, status, reason);
        response.StatusCode = status;
        // A request Slack sent wrongly will not get better by sending it again.
        response.Headers[NoRetryHeader] = "1";
    }

    private static bool HasMediaType(string? contentType, string expected) =>
        MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? parsed)
        && parsed.MediaType.Equals(expected, StringComparison.OrdinalIgnoreCase);

    private static string Skew(string? timestamp, DateTimeOffset now) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds < 1_000_000_000_000
            ? string.Create(CultureInfo.InvariantCulture, $"{now.ToUnixTimeSeconds() - seconds:+#;-#;0} s")
            : "n/a";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack request to {Endpoint} refused (401): {Failure}; timestamp {Timestamp} (our clock minus it: {Skew}), from {RemoteAddress}")]
    private static partial void LogUnauthenticated(ILogger logger, string endpoint, SlackSignatureFailure failure, string timestamp, string skew, string remoteAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack request to {Endpoint} refused ({Status}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string endpoint, int status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack URL verification answered")]
    private static partial void LogUrlVerification(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack retry {RetryNum} ({RetryReason}) of event {EventId}")]
    private static partial void LogRetry(ILogger logger, string eventId, string retryNum, string retryReason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack event {EventId} acknowledged and ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string eventId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack {Kind} {Id} was already delivered; acknowledged without handling it again")]
    private static partial void LogDuplicate(ILogger logger, string kind, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack closed the {Endpoint} request before it was handed over")]
    private static partial void LogAborted(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handing a verified Slack {Endpoint} request to the bot failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string endpoint);
}
