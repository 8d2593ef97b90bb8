using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ChatOpsBot.BotFramework.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace ChatOpsBot.BotFramework.Connector;

/// <summary>
/// The Bot Connector REST API over a typed <see cref="HttpClient"/>. Every call is refused unless its service URL is
/// on <see cref="TrustedServiceUrlList"/>, so the bot's token only goes where it is meant to; ids are percent-encoded
/// into the path; 429 and 5xx are retried (see <see cref="ConnectorClientOptions"/>), but a POST, which creates an
/// activity, only when the Connector certainly did not take it (see <see cref="ShouldRetry"/>); a failure ends in a
/// <see cref="ConnectorException"/> with the Connector's status and error code and is logged with the activity and
/// conversation ids.
/// </summary>
public sealed partial class ConnectorClient : IConnectorClient
{
    /// <summary>Longest conversation or activity id accepted; Teams ids are a few hundred characters.</summary>
    public const int MaxIdLength = 1024;

    /// <summary>
    /// The service key of an <see cref="IConnectorClient"/> that makes exactly one attempt per call (no retries, no
    /// waiting): for callers with their own durable retry, such as the alert outbox, whose next attempt is scheduled
    /// rather than slept for.
    /// </summary>
    public const string SingleAttemptKey = "ChatOpsBot.BotFramework.Connector.SingleAttempt";

    private static readonly ResiliencePropertyKey<CallInfo> s_callKey = new("ChatOpsBot.ConnectorCall");
    private static readonly MediaTypeHeaderValue s_jsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _httpClient;
    private readonly IBotTokenProvider _tokenProvider;
    private readonly TrustedServiceUrlList _trustedServiceUrls;
    private readonly ConnectorClientOptions _options;
    private readonly ILogger<ConnectorClient> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline<ConnectorAttempt> _pipeline;

    public ConnectorClient(
        HttpClient httpClient,
        IBotTokenProvider tokenProvider,
        TrustedServiceUrlList trustedServiceUrls,
        IOptions<ConnectorClientOptions> options,
        ILogger<ConnectorClient> logger,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(tokenProvider);
        ArgumentNullException.ThrowIfNull(trustedServiceUrls);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _httpClient = httpClient;
        _tokenProvider = tokenProvider;
        _trustedServiceUrls = trustedServiceUrls;
        _options = options.Value;
        _logger = logger;
        _timeProvider = timeProvider;
        _pipeline = BuildPipeline();
    }

    public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        string path = $"v3/conversations/{EscapeId(conversationId)}/activities";
        return SendAsync<ResourceResponse>(new CallInfo("SendToConversation", HttpMethod.Post, serviceUrl, path, conversationId, activity.Id ?? activity.ReplyToId), activity, cancellationToken);
    }

    public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        string path = $"v3/conversations/{EscapeId(conversationId)}/activities/{EscapeId(activityId)}";
        activity.ReplyToId ??= activityId;
        return SendAsync<ResourceResponse>(new CallInfo("ReplyToActivity", HttpMethod.Post, serviceUrl, path, conversationId, activityId), activity, cancellationToken);
    }

    public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        string path = $"v3/conversations/{EscapeId(conversationId)}/activities/{EscapeId(activityId)}";
        activity.Id ??= activityId;
        return SendAsync<ResourceResponse>(new CallInfo("UpdateActivity", HttpMethod.Put, serviceUrl, path, conversationId, activityId), activity, cancellationToken);
    }

    public Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken)
    {
        string path = $"v3/conversations/{EscapeId(conversationId)}/activities/{EscapeId(activityId)}";
        return SendAsync<ResourceResponse>(new CallInfo("DeleteActivity", HttpMethod.Delete, serviceUrl, path, conversationId, activityId), body: null, cancellationToken);
    }

    public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return SendAsync<ConversationResourceResponse>(
            new CallInfo("CreateConversation", HttpMethod.Post, serviceUrl, "v3/conversations", ConversationId: null, parameters.Activity?.Id),
            parameters,
            cancellationToken);
    }

    internal static string EscapeId(string id, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(id))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, name);
        if (id.Length > MaxIdLength)
        {
            throw new ArgumentException($"The id is longer than {MaxIdLength} characters.", name);
        }

        // "." and ".." survive escaping and would be resolved as path segments, moving the call to another endpoint.
        if (id.AsSpan().Trim('.').IsEmpty)
        {
            throw new ArgumentException("The id must not be a dot segment.", name);
        }

        if (!IsWellFormedUtf16(id))
        {
            throw new ArgumentException("The id contains an unpaired surrogate.", name);
        }

        return Uri.EscapeDataString(id);
    }

    private static bool IsWellFormedUtf16(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<T> SendAsync<T>(CallInfo call, object? body, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(call.ServiceUrl, "serviceUrl");
        if (!_trustedServiceUrls.TryGetTrustedUri(call.ServiceUrl, out Uri? serviceUri))
        {
            LogUntrustedServiceUrl(_logger, call.Operation, LogText.Origin(call.ServiceUrl), LogText.Safe(call.ActivityId), LogText.Safe(call.ConversationId));
            throw new UntrustedServiceUrlException(
                $"Refused {call.Operation}: service URL {LogText.Origin(call.ServiceUrl)} is not on Bot:TrustedServiceUrls.");
        }

        Uri requestUri = BuildRequestUri(serviceUri, call.RelativePath);
        byte[]? content = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), BotJson.Options);

        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(s_callKey, call);
        ConnectorAttempt attempt;
        try
        {
            attempt = await _pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask<ConnectorAttempt>(state.Client.AttemptAsync(state.Call.Method, state.Uri, state.Content, ctx.CancellationToken)),
                context,
                (Client: this, Call: call, Uri: requestUri, Content: content)).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(_logger, call.Operation, LogText.Safe(call.ActivityId), LogText.Safe(call.ConversationId), 0, "Timeout", null);
            throw new ConnectorException(
                $"{call.Operation} timed out after {_options.RequestTimeout.TotalSeconds:0.#} s (not retried: the Connector may have delivered it).",
                statusCode: null,
                errorCode: null,
                innerException: exception);
        }
        catch (HttpRequestException exception)
        {
            LogFailed(_logger, call.Operation, LogText.Safe(call.ActivityId), LogText.Safe(call.ConversationId), 0, exception.HttpRequestError.ToString(), null);
            throw new ConnectorException(
                $"{call.Operation} could not reach {LogText.Origin(call.ServiceUrl)}: {exception.HttpRequestError}.",
                statusCode: null,
                errorCode: null,
                innerException: exception);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (!attempt.IsSuccess)
        {
            ConnectorError? error = attempt.ReadError();
            LogFailed(_logger, call.Operation, LogText.Safe(call.ActivityId), LogText.Safe(call.ConversationId), (int)attempt.Status, LogText.Safe(error?.Code), attempt.CorrelationId);
            string detail = error is null ? string.Empty : $" {LogText.Safe(error.Code)}: {LogText.Safe(error.Message)}";
            throw new ConnectorException(
                $"{call.Operation} failed: HTTP {(int)attempt.Status}{detail}",
                attempt.Status,
                error?.Code is { } code ? LogText.Safe(code, 100) : null,
                attempt.CorrelationId,
                attempt.RetryAfter);
        }

        return attempt.ReadResult<T>() ?? (T)CreateEmptyResult<T>(call, attempt);
    }

    private object CreateEmptyResult<T>(CallInfo call, ConnectorAttempt attempt)
    {
        // A 2xx means the Connector did it; an unreadable body must not make the caller retry (and post twice). A delete,
        // or a 202/204 without a body (Agents Playground acknowledges typing indicators so), has nothing to read.
        bool nothingExpected = call.Method == HttpMethod.Delete
            || (attempt.HasEmptyBody && attempt.Status is HttpStatusCode.Accepted or HttpStatusCode.NoContent);
        if (!nothingExpected)
        {
            LogUnreadableSuccess(_logger, call.Operation, LogText.Safe(call.ActivityId), LogText.Safe(call.ConversationId));
        }

        return typeof(T) == typeof(ConversationResourceResponse)
            ? new ConversationResourceResponse(null, null, null)
            : new ResourceResponse(null);
    }

    private async Task<ConnectorAttempt> AttemptAsync(HttpMethod method, Uri requestUri, byte[]? content, CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = new(method, requestUri);
        if (content is not null)
        {
            request.Content = new ByteArrayContent(content);
            request.Content.Headers.ContentType = s_jsonContentType;
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        // The token is fetched per attempt: MSAL answers from its cache, and a retry after a long Retry-After gets a fresh one.
        string? token = await _tokenProvider.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        // HttpClient.Timeout stops at the headers; this bounds the whole exchange, body included.
        using CancellationTokenSource attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(_options.RequestTimeout);
        using HttpResponseMessage response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token).ConfigureAwait(false);
        byte[]? body = await ReadBoundedAsync(response.Content, _options.MaxResponseBytes, attemptTimeout.Token).ConfigureAwait(false);
        return new ConnectorAttempt(
            response.StatusCode,
            body,
            ReadRetryAfter(response.Headers.RetryAfter, _timeProvider.GetUtcNow()),
            ReadCorrelationId(response.Headers),
            token);
    }

    private static async Task<byte[]?> ReadBoundedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > maxBytes)
        {
            return null;
        }

        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            byte[] buffer = new byte[Math.Min(maxBytes + 1, 16 * 1024)];
            using MemoryStream collected = new();
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (collected.Length + read > maxBytes)
                {
                    return null;
                }

                collected.Write(buffer, 0, read);
            }

            return collected.ToArray();
        }
    }

    internal static TimeSpan? ReadRetryAfter(RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        if (retryAfter?.Delta is TimeSpan delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is DateTimeOffset date)
        {
            TimeSpan wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static string? ReadCorrelationId(HttpResponseHeaders headers)
    {
        foreach (string name in (ReadOnlySpan<string>)["MS-CV", "X-Correlating-OperationId", "x-ms-request-id"])
        {
            if (headers.TryGetValues(name, out IEnumerable<string>? values) && values.FirstOrDefault() is { } value)
            {
                return LogText.Safe(value, 100);
            }
        }

        return null;
    }

    internal static Uri BuildRequestUri(Uri serviceUri, string relativePath)
    {
        // Only scheme, authority and path: a query or fragment on a service URL has no business in Connector calls.
        string baseUrl = serviceUri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        return new Uri(new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute), relativePath);
    }

    private ResiliencePipeline<ConnectorAttempt> BuildPipeline()
    {
        ResiliencePipelineBuilder<ConnectorAttempt> builder = new() { TimeProvider = _timeProvider };
        if (_options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<ConnectorAttempt>
            {
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.BaseDelay,
                MaxDelay = _options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.Properties.GetValue(s_callKey, default).Method)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
                OnRetry = args =>
                {
                    CallInfo call = args.Context.Properties.GetValue(s_callKey, default!);
                    ConnectorAttempt? failed = args.Outcome.Result;
                    LogRetrying(
                        _logger,
                        call.Operation,
                        LogText.Safe(call.ActivityId),
                        LogText.Safe(call.ConversationId),
                        failed is null ? 0 : (int)failed.Status,
                        failed is null ? (args.Outcome.Exception as HttpRequestException)?.HttpRequestError.ToString() : LogText.Safe(failed.ReadError()?.Code),
                        failed?.CorrelationId,
                        args.AttemptNumber + 1,
                        args.RetryDelay);
                    return default;
                },
            });
        }

        return builder.Build();
    }

    /// <summary>
    /// Whether an attempt is repeated. A request that never left (connection refused, name not resolved) always is.
    /// A timeout or a connection that broke after the request was sent never is: the Connector may have acted on it.
    /// 429 and 503 say the Connector did not take the request, so any method is repeated; 500, 502 and 504 can come
    /// after the Connector stored the activity (a gateway giving up on a slow backend), so only the idempotent PUT and
    /// DELETE are repeated on them: repeating a POST there could post the same message twice.
    /// </summary>
    private bool ShouldRetry(Outcome<ConnectorAttempt> outcome, HttpMethod? method)
    {
        if (outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
        {
            // The request never left: safe to try again even for a POST.
            return true;
        }

        if (outcome.Result is not { } attempt)
        {
            return false;
        }

        int status = (int)attempt.Status;
        bool notTaken = status is 429 or 503;
        bool transient = notTaken || (status is >= 500 and <= 599 && method is not null && method != HttpMethod.Post);
        return transient && (attempt.RetryAfter is null || attempt.RetryAfter <= _options.MaxRetryAfter);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused Connector {Operation} for activity {ActivityId} in conversation {ConversationId}: service URL {ServiceUrl} is not on Bot:TrustedServiceUrls")]
    private static partial void LogUntrustedServiceUrl(ILogger logger, string operation, string serviceUrl, string activityId, string conversationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector {Operation} for activity {ActivityId} in conversation {ConversationId} failed with {StatusCode} {ErrorCode} (correlation {CorrelationId}); attempt {NextAttempt} in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string operation, string activityId, string conversationId, int statusCode, string? errorCode, string? correlationId, int nextAttempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connector {Operation} for activity {ActivityId} in conversation {ConversationId} failed with {StatusCode} {ErrorCode} (correlation {CorrelationId})")]
    private static partial void LogFailed(ILogger logger, string operation, string activityId, string conversationId, int statusCode, string? errorCode, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector {Operation} for activity {ActivityId} in conversation {ConversationId} succeeded but its response could not be read")]
    private static partial void LogUnreadableSuccess(ILogger logger, string operation, string activityId, string conversationId);

    private readonly record struct CallInfo(string Operation, HttpMethod Method, string ServiceUrl, string RelativePath, string? ConversationId, string? ActivityId);

    /// <summary>One HTTP exchange, read and disposed, so retries never hold a response open.</summary>
    private sealed class ConnectorAttempt(HttpStatusCode status, byte[]? body, TimeSpan? retryAfter, string? correlationId, string? token)
    {
        public HttpStatusCode Status => status;

        public TimeSpan? RetryAfter => retryAfter;

        public string? CorrelationId => correlationId;

        public bool IsSuccess => (int)status is >= 200 and <= 299;

        public bool HasEmptyBody => body is null || body.Length == 0;

        public T? ReadResult<T>()
            where T : class
        {
            if (body is null || body.Length == 0)
            {
                return null;
            }

            try
            {
                return JsonSerializer.Deserialize<T>(body, BotJson.Options);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        public ConnectorError? ReadError()
        {
            ConnectorError? error = ReadResult<ErrorResponse>()?.Error;
            if (error is null || string.IsNullOrEmpty(token))
            {
                return error;
            }

            // A service that echoes the request back must not get the token into our logs or exceptions.
            return error with
            {
                Code = error.Code?.Replace(token, "[redacted]", StringComparison.Ordinal),
                Message = error.Message?.Replace(token, "[redacted]", StringComparison.Ordinal),
            };
        }
    }
}
