using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Slack.WebApi;

/// <summary>
/// The one way this library talks to Slack over HTTP: one attempt at a time, each bounded by
/// <see cref="SlackOptions.RequestTimeout"/>, and only a 429 tried again, after the <c>Retry-After</c> Slack asked for
/// (posting is not idempotent: a 5xx after Slack stored the message must not post it twice).
/// </summary>
internal static partial class SlackHttp
{
    /// <summary>The most of a Web API answer read (files.info of an email forward carries its text).</summary>
    public const int MaxResponseBytes = 2 * 1024 * 1024;

    /// <summary>Slack sends Retry-After in seconds; without one, a short wait.</summary>
    private static readonly TimeSpan s_defaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>Sends a request made by <paramref name="createRequest"/> (once per attempt) and returns the response body of a non-429 answer.</summary>
    public static async Task<(HttpStatusCode Status, byte[] Body, string? MediaType)> SendAsync(
        HttpClient client,
        Func<HttpRequestMessage> createRequest,
        string method,
        SlackOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        CancellationToken cancellationToken)
    {
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
                throw new SlackApiException(method, "timeout", innerException: ex);
            }
            catch (HttpRequestException ex)
            {
                throw new SlackApiException(method, "unreachable", innerException: ex);
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    TimeSpan wait = RetryAfter(response.Headers.RetryAfter, timeProvider) ?? s_defaultRetryAfter;
                    if (attempt >= options.MaxRateLimitRetries || wait > options.MaxRateLimitWait)
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
                    throw new SlackApiException(method, "timeout", response.StatusCode, innerException: ex);
                }
                catch (HttpRequestException ex)
                {
                    throw new SlackApiException(method, "unreachable", response.StatusCode, innerException: ex);
                }
            }
        }
    }

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
