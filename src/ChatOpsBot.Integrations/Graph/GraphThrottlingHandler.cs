using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Integrations.Graph;

/// <summary>
/// Graph's throttling answers, 429 and 503, are retried after their <c>Retry-After</c> (seconds or an HTTP date), at most
/// <see cref="GraphOptions.MaxRetries"/> times; a wait longer than <see cref="GraphOptions.MaxRetryAfter"/> is not
/// waited for: the throttled response goes back to the caller at once, which leaves the work for a later run rather
/// than holding a job for minutes. Other statuses are never retried here: a 500 after a POST (sendMail, move) may
/// have done its work, so repeating it is the caller's decision. Request bodies are buffered before the first attempt
/// so a retry sends the same bytes.
/// </summary>
public sealed partial class GraphThrottlingHandler(IOptions<GraphOptions> options, TimeProvider timeProvider, ILogger<GraphThrottlingHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        GraphOptions settings = options.Value;
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        for (int attempt = 1; ; attempt++)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || attempt > settings.MaxRetries)
            {
                return response;
            }

            TimeSpan wait = RetryAfter(response, timeProvider.GetUtcNow()) ?? Backoff(settings.RetryBaseDelay, attempt);
            if (wait > settings.MaxRetryAfter)
            {
                LogNotWaiting(logger, (int)response.StatusCode, wait, settings.MaxRetryAfter);
                return response;
            }

            LogThrottled(logger, (int)response.StatusCode, attempt, wait);
            response.Dispose();
            await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The wait a 429 or 503 asks for (RFC 9110 §10.2.3: delay-seconds or an HTTP date); null when absent or unusable.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        return retryAfter.Date is { } date ? (date > now ? date - now : TimeSpan.Zero) : null;
    }

    private static TimeSpan Backoff(TimeSpan baseDelay, int attempt) =>
        TimeSpan.FromMilliseconds(baseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 10)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Microsoft Graph answered {Status} (attempt {Attempt}); retrying after {Wait}")]
    private static partial void LogThrottled(ILogger logger, int status, int attempt, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Microsoft Graph answered {Status} and asks to wait {Wait}, more than the {Limit} this client waits; the call fails as throttled")]
    private static partial void LogNotWaiting(ILogger logger, int status, TimeSpan wait, TimeSpan limit);
}
