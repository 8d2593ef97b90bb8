using System.Globalization;
using System.Net;
using ChatOpsBot.Integrations.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ChatOpsBot.Integrations.Mimecast;

/// <summary>One HTTP exchange with Mimecast, body read (bounded) inside the attempt so a slow body counts against the
/// attempt's timeout. <see cref="Body"/> is null when the body exceeded <c>Mimecast:MaxResponseBytes</c>.</summary>
internal sealed record MimecastHttpResult(HttpStatusCode Status, byte[]? Body, string? RequestId, TimeSpan? RateLimitReset);

/// <summary>
/// The retry policy for every Mimecast request, shared by the process: 5xx, timeouts and failed connections are
/// retried with jittered exponential backoff; a 429 waits what <c>X-RateLimit-Reset</c> says (milliseconds), when
/// that is within <c>Mimecast:MaxRateLimitWait</c>. Each attempt has its own timeout.
/// </summary>
internal sealed partial class MimecastResilience
{
    public const string RequestIdHeader = "x-request-id";
    public const string RateLimitResetHeader = "X-RateLimit-Reset";

    public MimecastResilience(IOptions<MimecastOptions> options, TimeProvider timeProvider, ILogger<MimecastResilience> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        MimecastOptions settings = options.Value;
        var builder = new ResiliencePipelineBuilder<MimecastHttpResult> { TimeProvider = timeProvider };
        if (settings.MaxRetries > 0)
        {
            TimeSpan maxWait = settings.MaxRateLimitWait;
            builder.AddRetry(new RetryStrategyOptions<MimecastHttpResult>
            {
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => true,
                    { Result.Status: HttpStatusCode.TooManyRequests } r => r.Result.RateLimitReset is not TimeSpan reset || reset <= maxWait,
                    { Result.Status: >= HttpStatusCode.InternalServerError } => true,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { Status: HttpStatusCode.TooManyRequests, RateLimitReset: TimeSpan reset }
                        ? (TimeSpan?)reset
                        : null),
                OnRetry = args =>
                {
                    LogRetry(
                        logger,
                        args.Context.OperationKey ?? "?",
                        args.Outcome.Result is { } result ? ((int)result.Status).ToString(CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name ?? "?",
                        args.Outcome.Result?.RequestId,
                        args.AttemptNumber + 1,
                        (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        builder.AddTimeout(settings.RequestTimeout);
        Pipeline = builder.Build();
        Options = settings;
    }

    public ResiliencePipeline<MimecastHttpResult> Pipeline { get; }

    public MimecastOptions Options { get; }

    /// <summary>Sends the request <paramref name="createRequest"/> builds (once per attempt), with the retry policy;
    /// failures to reach Mimecast become <see cref="MimecastApiException"/> of kind Unavailable.</summary>
    public async Task<MimecastHttpResult> SendAsync(
        HttpClient http, Func<HttpRequestMessage> createRequest, MimecastEndpoint endpoint, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(endpoint.Display, cancellationToken);
        try
        {
            Outcome<MimecastHttpResult> outcome = await Pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        MimecastHttpResult result = await state.Self.SendOnceAsync(state.Http, state.CreateRequest, ctx.CancellationToken).ConfigureAwait(false);
                        return Outcome.FromResult(result);
                    }
                    catch (HttpRequestException ex)
                    {
                        return Outcome.FromException<MimecastHttpResult>(ex);
                    }
                    catch (IOException ex)
                    {
                        // The connection dropped while the body was being read.
                        return Outcome.FromException<MimecastHttpResult>(new HttpRequestException(HttpRequestError.ResponseEnded, ex.Message, ex));
                    }
                    catch (OperationCanceledException ex)
                    {
                        // The attempt's timeout or the caller; the timeout strategy tells which.
                        return Outcome.FromException<MimecastHttpResult>(ex);
                    }
                },
                context,
                (Self: this, Http: http, CreateRequest: createRequest)).ConfigureAwait(false);

            if (outcome.Exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            return outcome.Exception switch
            {
                null => outcome.Result!,
                TimeoutRejectedException => throw new MimecastApiException(
                    MimecastErrorKind.Unavailable,
                    $"Mimecast did not answer {endpoint.Display} within {Options.RequestTimeout.TotalSeconds:0.#} s.",
                    endpoint.Display,
                    innerException: outcome.Exception),
                HttpRequestException request => throw new MimecastApiException(
                    MimecastErrorKind.Unavailable,
                    $"Could not reach Mimecast for {endpoint.Display} ({request.HttpRequestError}).",
                    endpoint.Display,
                    innerException: request),
                _ => throw outcome.Exception,
            };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<MimecastHttpResult> SendOnceAsync(HttpClient http, Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = createRequest();
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        byte[]? body = await BoundedContent.ReadAsync(response.Content, Options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        return new MimecastHttpResult(
            response.StatusCode,
            body,
            RemoteText.RequestId(response, RequestIdHeader),
            RateLimitReset(response));
    }

    private static TimeSpan? RateLimitReset(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues(RateLimitResetHeader, out IEnumerable<string>? values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out long milliseconds))
        {
            // Milliseconds until at least one call is allowed again (Mimecast's rate-limiting page).
            return TimeSpan.FromMilliseconds(Math.Min(milliseconds, (long)TimeSpan.FromDays(1).TotalMilliseconds));
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mimecast {Path} answered {Outcome} (request id {RequestId}); retry {Attempt} in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string path, string outcome, string? requestId, int attempt, long delayMs);
}
