using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Slack.WebApi;

/// <summary>
/// The one way this library talks to Slack over HTTP: one attempt at a time, each bounded by
/// <see cref="SlackOptions.RequestTimeout"/>, and only a 429 tried again, after the <c>Retry-After</c> Slack asked for
/// (posting is not idempotent: a 5xx after Slack stored the message must not post it twice). Failures say how far the
/// request got: <see cref="SlackApiException.Unreachable"/> only when no connection was made (nothing was sent),
/// <see cref="SlackApiException.ConnectionLost"/> and <see cref="SlackApiException.Timeout"/> when Slack may have
/// acted on it.
/// <para>
/// The HTTP stack does not resend either: SocketsHttpHandler retries a request on a pooled connection only when the
/// connection failed before the request was written, or, for a request without a body or with
/// <c>Expect: 100-continue</c>, before its body was (dotnet/runtime#86714). Every call here is a POST with a body and
/// no <c>Expect</c>, so no POST is silently sent twice.
/// </para>
/// </summary>
internal static partial class SlackHttp
{
    /// <summary>The most of a Web API answer read (files.info of an email forward carries its text).</summary>
    public const int MaxResponseBytes = 2 * 1024 * 1024;

    /// <summary>Slack sends Retry-After in seconds; without one, a short wait.</summary>
    private static readonly TimeSpan s_defaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Sends a request made by <paramref name="createRequest"/> (once per attempt) and returns the response body of a
    /// non-429 answer. With <paramref name="waitOutRateLimits"/> false a 429 is thrown at once (with its
    /// <c>Retry-After</c>), for callers that have their own retry schedule.
    /// </summary>
    public static async Task<(HttpStatusCode Status, byte[] Body, string? MediaType)> SendAsync(
        HttpClient client,
        Func<HttpRequestMessage> createRequest,
        string method,
        SlackOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        CancellationToken cancellationToken,
        bool waitOutRateLimits = true)
    {
        int maxRetries = waitOutRateLimits ? options.MaxRateLimitRetries : 0;
        for (int attempt = 0; ; attempt++)
        {
            using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                using HttpRequestMessage request = createRequest();
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The deadline may have passed while connecting or after Slack read the request: it cannot tell which.
                throw new SlackApiException(method, SlackApiException.Timeout, innerException: ex);
            }
            catch (HttpRequestException ex)
            {
                throw new SlackApiException(method, NeverConnected(ex) ? SlackApiException.Unreachable : SlackApiException.ConnectionLost, innerException: ex);
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    TimeSpan wait = RetryAfter(response.Headers.RetryAfter, timeProvider) ?? s_defaultRetryAfter;
                    if (attempt >= maxRetries || wait > options.MaxRateLimitWait)
                    {
                        LogRateLimitGivenUp(logger, method, wait.TotalSeconds, attempt);
                        throw new SlackApiException(method, SlackApiException.RateLimited, response.StatusCode, wait);
                    }

                    LogRateLimited(logger, method, wait.TotalSeconds, attempt + 1);
                    await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    byte[] body = await ReadCappedAsync(response.Content, method, timeout.Token).ConfigureAwait(false);
                    return (response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new SlackApiException(method, SlackApiException.Timeout, response.StatusCode, innerException: ex);
                }
                catch (HttpRequestException ex)
                {
                    // Slack answered already: whatever the call does, it was done.
                    throw new SlackApiException(method, SlackApiException.ConnectionLost, response.StatusCode, innerException: ex);
                }
            }
        }
    }

    /// <summary>
    /// Failures while resolving, connecting, or negotiating TLS or a proxy tunnel: the request was never written, so
    /// Slack cannot have acted on it. Anything later (a reset, a response cut short) may come after Slack did.
    /// </summary>
    internal static bool NeverConnected(HttpRequestException exception) => exception.HttpRequestError is
        HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;

    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, TimeProvider timeProvider)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            TimeSpan until = date - timeProvider.GetUtcNow();
            return until < TimeSpan.Zero ? TimeSpan.Zero : until;
        }

        return null;
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, string method, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new SlackApiException(method, "response_too_large");
        }

        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var collected = new MemoryStream();
            byte[] buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (collected.Length + read > MaxResponseBytes)
                {
                    throw new SlackApiException(method, "response_too_large");
                }

                collected.Write(buffer, 0, read);
            }

            return collected.ToArray();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} was rate-limited (429); retry {Attempt} after {Seconds} s")]
    private static partial void LogRateLimited(ILogger logger, string method, double seconds, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} was rate-limited (429) and asks to wait {Seconds} s after {Attempts} retries; giving up")]
    private static partial void LogRateLimitGivenUp(ILogger logger, string method, double seconds, int attempts);
}
