using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ChatOpsBot.Integrations.Http;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Integrations.Mimecast;

/// <summary>
/// The OAuth 2.0 client-credentials token for the process (<c>POST /oauth/token</c>, form-encoded). Cached and
/// renewed a minute before it expires (Mimecast issues 30-minute tokens); concurrent callers share one request; a
/// token the API refused as expired is dropped so the next caller fetches a new one. The token and the secret are
/// never logged.
/// </summary>
internal sealed partial class MimecastTokenProvider(
    IHttpClientFactory httpClientFactory,
    MimecastResilience resilience,
    TimeProvider timeProvider,
    ILogger<MimecastTokenProvider> logger) : IDisposable
{
    /// <summary>Renew this long before expiry (Elastic's and Postman's clients use the same margin).</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(60);

    /// <summary>Assumed lifetime when the answer has no usable <c>expires_in</c> (Mimecast's documented 30 minutes).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan s_maxLifetime = TimeSpan.FromHours(24);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private CachedToken? _token;

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        CachedToken? current = Volatile.Read(ref _token);
        if (current is not null && timeProvider.GetUtcNow() < current.RefreshAt)
        {
            return current.Value;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = Volatile.Read(ref _token);
            if (current is not null && timeProvider.GetUtcNow() < current.RefreshAt)
            {
                return current.Value;
            }

            CachedToken fresh = await RequestTokenAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _token, fresh);
            return fresh.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops <paramref name="rejected"/> if it is still the cached token (another caller may have renewed it).</summary>
    public void Invalidate(string rejected)
    {
        CachedToken? current = Volatile.Read(ref _token);
        if (current is not null && string.Equals(current.Value, rejected, StringComparison.Ordinal))
        {
            Interlocked.CompareExchange(ref _token, null, current);
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<CachedToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        MimecastOptions options = resilience.Options;
        MimecastEndpoint endpoint = MimecastEndpoint.Token;
        HttpClient http = httpClientFactory.CreateClient(MimecastClient.HttpClientName);
        MimecastHttpResult result = await resilience.SendAsync(
            http,
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, endpoint.RelativePath)
                {
                    Content = new FormUrlEncodedContent(
                    [
                        new KeyValuePair<string, string>("client_id", options.ClientId),
                        new KeyValuePair<string, string>("client_secret", options.ClientSecret),
                        new KeyValuePair<string, string>("grant_type", "client_credentials"),
                    ]),
                };
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                return request;
            },
            endpoint,
            cancellationToken).ConfigureAwait(false);

        string suffix = result.RequestId is null ? "" : $" (request id {result.RequestId})";
        if (result.Status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // The body is not echoed: nothing documents it, and an identity provider may reflect what was sent.
            LogTokenRefused(logger, (int)result.Status, result.RequestId);
            throw new MimecastApiException(
                MimecastErrorKind.InvalidCredentials,
                $"Mimecast refused the client credentials (HTTP {(int)result.Status}){suffix}: check Mimecast:ClientId and "
                + "Mimecast:ClientSecret, and that the API 2.0 application is enabled.",
                endpoint.Display,
                (int)result.Status,
                requestId: result.RequestId);
        }

        if (result.Status != HttpStatusCode.OK)
        {
            LogTokenRefused(logger, (int)result.Status, result.RequestId);
            throw new MimecastApiException(
                result.Status == HttpStatusCode.TooManyRequests ? MimecastErrorKind.RateLimited
                    : (int)result.Status >= 500 ? MimecastErrorKind.ServerError : MimecastErrorKind.UnexpectedStatus,
                $"Mimecast's token endpoint answered HTTP {(int)result.Status}{suffix}.",
                endpoint.Display,
                (int)result.Status,
                requestId: result.RequestId);
        }

        (string? token, TimeSpan lifetime) = ReadToken(result.Body);
        if (token is null)
        {
            throw new MimecastApiException(
                MimecastErrorKind.MalformedResponse,
                $"Mimecast's token endpoint answered without a usable access_token{suffix}.",
                endpoint.Display,
                (int)result.Status,
                requestId: result.RequestId);
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        TimeSpan margin = lifetime > RefreshMargin * 2 ? RefreshMargin : lifetime / 2;
        LogTokenObtained(logger, (long)lifetime.TotalSeconds);
        return new CachedToken(token, now + lifetime - margin);
    }

    private static (string? Token, TimeSpan Lifetime) ReadToken(byte[]? body)
    {
        if (body is null)
        {
            return (null, TimeSpan.Zero);
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            var fields = new JsonFields(document.RootElement);
            string? token = fields.String("access_token");
            if (string.IsNullOrWhiteSpace(token) || token.Any(char.IsControl) || token.Contains(' ', StringComparison.Ordinal))
            {
                return (null, TimeSpan.Zero);
            }

            long? seconds = fields.Long("expires_in");
            TimeSpan lifetime = seconds is > 0 ? TimeSpan.FromSeconds(Math.Min(seconds.Value, (long)s_maxLifetime.TotalSeconds)) : DefaultLifetime;
            return (token, lifetime);
        }
        catch (JsonException)
        {
            return (null, TimeSpan.Zero);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Mimecast access token obtained; valid for {Seconds} s")]
    private static partial void LogTokenObtained(ILogger logger, long seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mimecast's token endpoint answered HTTP {Status} (request id {RequestId})")]
    private static partial void LogTokenRefused(ILogger logger, int status, string? requestId);

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt);
}
