using System.Buffers;
using System.Net.Mime;
using System.Text.Json;
using ChatOpsBot.BotFramework.Authentication;
using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Connector;
using ChatOpsBot.BotFramework.Schema;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using LogText = ChatOpsBot.BotFramework.Authentication.LogText;

namespace ChatOpsBot.BotFramework.Hosting;

/// <summary>
/// Serves <c>POST /api/messages</c> the way the SDK's CloudAdapter does: check and parse the body, authenticate the
/// channel's token (unless anonymous), skip redeliveries, run the bot's turn inline, and answer 200 with an empty body
/// (or, for an <c>invoke</c>, the invoke response). Work that can take longer than a moment belongs off the request:
/// the bot queues it and finishes with <see cref="ContinueConversationAsync"/>. Outbound activities go through the
/// Connector client.
/// </summary>
public sealed partial class BotFrameworkAdapter : BotAdapter
{
    /// <summary>Teams activities are a few KB; a card action with every input filled stays far below this.</summary>
    public const int MaxActivityBytes = 256 * 1024;

    private readonly IConnectorClient _connector;
    private readonly BotTokenValidator? _tokenValidator;
    private readonly IActivityDeduplicator _deduplicator;
    private readonly string? _appId;
    private readonly ILogger<BotFrameworkAdapter> _logger;

    /// <param name="tokenValidator">Null only in anonymous mode (<paramref name="appId"/> empty): no token is then required.</param>
    public BotFrameworkAdapter(
        IConnectorClient connector,
        BotTokenValidator? tokenValidator,
        IActivityDeduplicator deduplicator,
        string? appId,
        ILogger<BotFrameworkAdapter> logger)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(deduplicator);
        ArgumentNullException.ThrowIfNull(logger);
        if (tokenValidator is null && !string.IsNullOrWhiteSpace(appId))
        {
            throw new ArgumentException("A bot with an app id must validate inbound tokens.", nameof(tokenValidator));
        }

        _connector = connector;
        _tokenValidator = tokenValidator;
        _deduplicator = deduplicator;
        _appId = string.IsNullOrWhiteSpace(appId) ? null : appId;
        _logger = logger;
    }

    public bool IsAnonymous => _tokenValidator is null;

    /// <summary>Handles one inbound request with the <see cref="IBot"/> from the request's services.</summary>
    public Task ProcessAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return ProcessAsync(httpContext, httpContext.RequestServices.GetRequiredService<IBot>());
    }

    /// <summary>Handles one inbound request with <paramref name="bot"/>.</summary>
    public async Task ProcessAsync(HttpContext httpContext, IBot bot)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(bot);
        HttpRequest request = httpContext.Request;
        HttpResponse response = httpContext.Response;
        CancellationToken cancellationToken = httpContext.RequestAborted;

        if (!HttpMethods.IsPost(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (!IsJson(request.ContentType))
        {
            response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        if (request.ContentLength > MaxActivityBytes)
        {
            response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        string? authorization = request.Headers.Authorization;
        if (_tokenValidator is not null && string.IsNullOrEmpty(authorization))
        {
            // Refused before the body is read: an anonymous caller gets nothing parsed on its behalf.
            LogUnauthenticated(_logger, TokenValidationFailure.MissingAuthorizationHeader, null, null, null, null);
            response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        (Activity? activity, bool tooLarge) = await ReadActivityAsync(request.Body, cancellationToken).ConfigureAwait(false);
        if (tooLarge)
        {
            response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        if (activity is null)
        {
            // No echo of the body or of the parser's message: both are the sender's text.
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        // Sender-controlled strings, made safe for log lines once.
        string? logId = LogText.Safe(activity.Id);
        string? logType = LogText.Safe(activity.Type);
        if (_tokenValidator is not null)
        {
            TokenValidationOutcome outcome = await _tokenValidator
                .ValidateAsync(authorization, activity.ChannelId, activity.ServiceUrl, cancellationToken)
                .ConfigureAwait(false);
            if (!outcome.IsValid)
            {
                LogUnauthenticated(_logger, outcome.Failure, outcome.Issuer, outcome.TenantId, logId, LogText.Safe(activity.ChannelId));
                response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
        }

        bool isInvoke = activity.IsType(ActivityTypes.Invoke);

        // Invokes are request/response: the channel waits for this answer and does not redeliver, and a repeat could
        // only be answered with nothing, which Teams shows as an error.
        if (!isInvoke && !await _deduplicator.TryBeginAsync(activity, cancellationToken).ConfigureAwait(false))
        {
            LogDuplicate(_logger, logId, logType);
            response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        var turnContext = new TurnContext(this, activity);
        try
        {
            await bot.OnTurnAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogAborted(_logger, logId, logType);
            return;
        }
#pragma warning disable CA1031 // A failed turn must answer the channel, whatever failed; the exception is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The turn may have run in part (replies sent, actions taken), so the redelivery Teams makes after this
            // 500 is not wanted: the deduplicator keeps the activity and acknowledges the retry without a new turn.
            LogTurnFailed(_logger, ex, logId, logType, LogText.Safe(activity.Name));
            response.StatusCode = StatusCodes.Status500InternalServerError;
            if (isInvoke && activity.Name == ActivityNames.AdaptiveCardAction)
            {
                await WriteJsonAsync(response, AdaptiveCardInvokeResponse.Error(500, "InternalServerError", "The bot could not complete this action."), cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (isInvoke)
        {
            InvokeResponse invokeResponse = turnContext.InvokeResponse ?? new InvokeResponse(StatusCodes.Status501NotImplemented);
            response.StatusCode = invokeResponse.Status;
            if (invokeResponse.Body is not null)
            {
                await WriteJsonAsync(response, invokeResponse.Body, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
    }

    public override Task<ResourceResponse> SendActivityAsync(ITurnContext turnContext, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        (string serviceUrl, string conversationId) = Destination(activity);
        return string.IsNullOrEmpty(activity.ReplyToId)
            ? _connector.SendToConversationAsync(serviceUrl, conversationId, activity, cancellationToken)
            : _connector.ReplyToActivityAsync(serviceUrl, conversationId, activity.ReplyToId, activity, cancellationToken);
    }

    public override Task<ResourceResponse> UpdateActivityAsync(ITurnContext turnContext, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentException.ThrowIfNullOrEmpty(activity.Id);
        (string serviceUrl, string conversationId) = Destination(activity);
        return _connector.UpdateActivityAsync(serviceUrl, conversationId, activity.Id, activity, cancellationToken);
    }

    public override Task DeleteActivityAsync(ITurnContext turnContext, string activityId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        (string serviceUrl, string conversationId) = Destination(turnContext.Activity);
        return _connector.DeleteActivityAsync(serviceUrl, conversationId, activityId, cancellationToken);
    }

    public override async Task ContinueConversationAsync(
        ConversationReference reference,
        Func<ITurnContext, CancellationToken, Task> callback,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(callback);
        var turnContext = new TurnContext(this, reference.ToContinuationActivity());
        await callback(turnContext, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<ConversationReference> CreateConversationAsync(
        string serviceUrl,
        ConversationParameters parameters,
        Func<ITurnContext, CancellationToken, Task>? callback,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceUrl);
        ArgumentNullException.ThrowIfNull(parameters);
        ConversationResourceResponse created = await _connector.CreateConversationAsync(serviceUrl, parameters, cancellationToken).ConfigureAwait(false);
        ConversationReference reference = NewConversationReference(Channels.MsTeams, serviceUrl, parameters, created);
        if (reference.Bot is null && _appId is not null)
        {
            reference = reference with { Bot = new ChannelAccount($"28:{_appId}") };
        }

        if (callback is not null)
        {
            await ContinueConversationAsync(reference, callback, cancellationToken).ConfigureAwait(false);
        }

        return reference;
    }

    private static (string ServiceUrl, string ConversationId) Destination(Activity activity)
    {
        if (string.IsNullOrEmpty(activity.ServiceUrl) || string.IsNullOrEmpty(activity.Conversation?.Id))
        {
            throw new InvalidOperationException("The activity has no service URL or conversation to send to.");
        }

        return (activity.ServiceUrl, activity.Conversation.Id);
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? parsed)
        && parsed.MediaType.Equals(MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase)
        && (!parsed.Charset.HasValue || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The activity a body holds (null when it is not one), or too large past <see cref="MaxActivityBytes"/>. The body
    /// is read into a pooled buffer that is cleared before it goes back: the activity's text must not outlive the request
    /// in the process's shared pool.
    /// </summary>
    internal static async Task<(Activity? Activity, bool TooLarge)> ReadActivityAsync(Stream body, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxActivityBytes + 1);
        int length = buffer.Length;
        try
        {
            length = await ReadBodyAsync(body, buffer, cancellationToken).ConfigureAwait(false);
            return length > MaxActivityBytes ? (null, true) : (Parse(buffer.AsSpan(0, length)), false);
        }
        finally
        {
            // Only the part read (all of it when reading failed).
            buffer.AsSpan(0, Math.Min(length, buffer.Length)).Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads at most <c>buffer.Length</c> bytes; a result of <c>buffer.Length</c> means the body was too long.</summary>
    private static async Task<int> ReadBodyAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        int total = 0;
        int limit = MaxActivityBytes + 1;
        while (total < limit)
        {
            int read = await body.ReadAsync(buffer.AsMemory(total, limit - total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    internal static Activity? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            Activity? activity = JsonSerializer.Deserialize<Activity>(body, BotJson.Options);
            if (activity is null || string.IsNullOrWhiteSpace(activity.Type))
            {
                return null;
            }

            // Typed strings refuse unpaired surrogates on read, but value, channelData and unknown members keep raw
            // JSON that would only fail when written back (a stored conversation reference, an echo): refuse it now.
            _ = JsonSerializer.SerializeToUtf8Bytes(activity, BotJson.Options);
            return activity;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Task WriteJsonAsync(HttpResponse response, object body, CancellationToken cancellationToken)
    {
        response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(response.Body, body, body.GetType(), BotJson.Options, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot Framework request refused (401): {Failure}; token issuer {Issuer}, tenant {TenantId}; activity {ActivityId} on channel {ChannelId}")]
    private static partial void LogUnauthenticated(ILogger logger, TokenValidationFailure failure, string? issuer, string? tenantId, string? activityId, string? channelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Activity {ActivityId} ({ActivityType}) was already delivered; acknowledged without a new turn")]
    private static partial void LogDuplicate(ILogger logger, string? activityId, string? activityType);

    [LoggerMessage(Level = LogLevel.Information, Message = "The channel closed the request while activity {ActivityId} ({ActivityType}) was handled")]
    private static partial void LogAborted(ILogger logger, string? activityId, string? activityType);

    [LoggerMessage(Level = LogLevel.Error, Message = "The turn for activity {ActivityId} ({ActivityType} {ActivityName}) failed")]
    private static partial void LogTurnFailed(ILogger logger, Exception exception, string? activityId, string? activityType, string? activityName);
}
