using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsBot.BotFramework.Authentication;

/// <summary>
/// The signing keys behind one OpenID metadata document, fetched on first use and cached. The key set is refreshed
/// when it is older than <see cref="AutomaticRefreshInterval"/> (the doc asks for at least daily) and when a token
/// names a <c>kid</c> we do not know (key rollover), but never more often than <see cref="MinimumRefreshInterval"/>:
/// a stream of forged tokens with random kids must not turn into a stream of requests to the identity provider.
/// A failed refresh keeps the keys we have. Reads are lock-free; one refresh runs at a time and concurrent callers
/// share its result.
/// </summary>
internal sealed partial class OpenIdSigningKeyCache(
    HttpClient httpClient,
    Uri metadataUrl,
    TimeProvider timeProvider,
    ILogger logger) : IDisposable
{
    public static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan AutomaticRefreshInterval = TimeSpan.FromHours(12);

    /// <summary>While no key set was ever fetched, retry this often rather than every 5 minutes: we cannot serve anyone.</summary>
    public static readonly TimeSpan RetryIntervalWithoutKeys = TimeSpan.FromSeconds(10);

    public const int MaxDocumentBytes = 512 * 1024;
    public const int MaxKeys = 64;

    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private volatile SigningKeySet? _keySet;
    private DateTimeOffset? _lastAttempt;
    private DateTimeOffset? _lastUnknownKeyRefresh;
    private long _refreshAttempts;

    public Uri MetadataUrl => metadataUrl;

    /// <summary>How many times a fetch was started (for tests and diagnostics).</summary>
    public long RefreshAttempts => Interlocked.Read(ref _refreshAttempts);

    /// <summary>The key with this <c>kid</c>, refreshing the set if that is due or the kid is unknown; null if none is to be had.</summary>
    public async ValueTask<KeyLookup> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        SigningKeySet? keySet = _keySet;
        if (keySet is null || timeProvider.GetUtcNow() - keySet.FetchedAt >= AutomaticRefreshInterval)
        {
            keySet = await RefreshIfAllowedAsync(keySet, forUnknownKey: false, cancellationToken).ConfigureAwait(false);
        }

        if (keySet is not null && keySet.Keys.TryGetValue(keyId, out SigningKey? key))
        {
            return new KeyLookup(key, HaveKeys: true);
        }

        if (keySet is not null)
        {
            // An unknown kid: a rollover we have not seen yet, or a forged token.
            keySet = await RefreshIfAllowedAsync(keySet, forUnknownKey: true, cancellationToken).ConfigureAwait(false);
        }

        if (keySet is null)
        {
            return new KeyLookup(null, HaveKeys: false);
        }

        return new KeyLookup(keySet.Keys.GetValueOrDefault(keyId), HaveKeys: true);
    }

    public void Dispose() => _refreshLock.Dispose();

    private async ValueTask<SigningKeySet?> RefreshIfAllowedAsync(SigningKeySet? seen, bool forUnknownKey, CancellationToken cancellationToken)
    {
        await _refreshLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SigningKeySet? current = _keySet;
            if (!ReferenceEquals(current, seen))
            {
                // Another caller refreshed while we waited; its result is as fresh as ours would be.
                return current;
            }

            // Unknown kids have their own budget, so a rollover right after start-up is picked up at once; a scheduled
            // refresh after a failure waits as long, and a fetch that never succeeded is retried sooner.
            DateTimeOffset now = timeProvider.GetUtcNow();
            DateTimeOffset? last = forUnknownKey ? _lastUnknownKeyRefresh : _lastAttempt;
            TimeSpan interval = current is null ? RetryIntervalWithoutKeys : MinimumRefreshInterval;
            if (last is { } previous && now - previous < interval)
            {
                return current;
            }

            _lastAttempt = now;
            if (forUnknownKey)
            {
                _lastUnknownKeyRefresh = now;
            }

            Interlocked.Increment(ref _refreshAttempts);
            try
            {
                // Not the caller's token: the fetch serves every waiting request, and HttpClient.Timeout bounds it.
                IReadOnlyDictionary<string, SigningKey> keys = await FetchAsync(CancellationToken.None).ConfigureAwait(false);
                var fetched = new SigningKeySet(keys, timeProvider.GetUtcNow());
                _keySet = fetched;
                LogKeysFetched(logger, metadataUrl, keys.Count);
                return fetched;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or ArgumentException or SigningKeyDocumentException)
            {
                if (current is null)
                {
                    LogFetchFailedNoKeys(logger, metadataUrl, ex.GetType().Name, ex.Message);
                }
                else
                {
                    LogFetchFailedKeepingKeys(logger, metadataUrl, ex.GetType().Name, ex.Message, current.FetchedAt);
                }

                return current;
            }
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private async Task<IReadOnlyDictionary<string, SigningKey>> FetchAsync(CancellationToken cancellationToken)
    {
        Uri jwksUri;
        using (JsonDocument metadata = await GetJsonAsync(metadataUrl, cancellationToken).ConfigureAwait(false))
        {
            if (metadata.RootElement.ValueKind != JsonValueKind.Object
                || !metadata.RootElement.TryGetProperty("jwks_uri", out JsonElement jwksElement)
                || jwksElement.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(jwksElement.GetString(), UriKind.Absolute, out Uri? parsed))
            {
                throw new SigningKeyDocumentException("the metadata document has no absolute jwks_uri");
            }

            if (!Authentication.MetadataUrl.IsAcceptable(parsed))
            {
                throw new SigningKeyDocumentException("the metadata document's jwks_uri is neither https nor loopback");
            }

            jwksUri = parsed;
        }

        using JsonDocument jwks = await GetJsonAsync(jwksUri, cancellationToken).ConfigureAwait(false);
        return ReadKeys(jwks.RootElement);
    }

    internal static IReadOnlyDictionary<string, SigningKey> ReadKeys(JsonElement jwks)
    {
        if (jwks.ValueKind != JsonValueKind.Object
            || !jwks.TryGetProperty("keys", out JsonElement keys)
            || keys.ValueKind != JsonValueKind.Array)
        {
            throw new SigningKeyDocumentException("the key set has no keys array");
        }

        var byKeyId = new Dictionary<string, SigningKey>(StringComparer.Ordinal);
        foreach (JsonElement element in keys.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty("kid", out JsonElement kid) || kid.ValueKind != JsonValueKind.String
                || !element.TryGetProperty("kty", out JsonElement kty) || kty.ValueKind != JsonValueKind.String
                || kty.GetString() != JsonWebAlgorithmsKeyTypes.RSA)
            {
                continue;
            }

            if (element.TryGetProperty("use", out JsonElement use) && use.ValueKind == JsonValueKind.String && use.GetString() != "sig")
            {
                continue;
            }

            if (byKeyId.Count == MaxKeys)
            {
                throw new SigningKeyDocumentException($"the key set has more than {MaxKeys} keys");
            }

            var key = new JsonWebKey(element.GetRawText());
            byKeyId[kid.GetString()!] = new SigningKey(key, ReadEndorsements(element));
        }

        if (byKeyId.Count == 0)
        {
            throw new SigningKeyDocumentException("the key set has no RSA signing keys");
        }

        return byKeyId;
    }

    private static string[]? ReadEndorsements(JsonElement key)
    {
        if (!key.TryGetProperty("endorsements", out JsonElement endorsements) || endorsements.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return endorsements.EnumerateArray()
            .Where(e => e.ValueKind == JsonValueKind.String)
            .Select(e => e.GetString()!)
            .ToArray();
    }

    private async Task<JsonDocument> GetJsonAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/json");
        using HttpResponseMessage response = await httpClient
            .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new SigningKeyDocumentException($"{url} answered HTTP {(int)response.StatusCode}");
        }

        if (response.Content.Headers.ContentLength > MaxDocumentBytes)
        {
            throw new SigningKeyDocumentException($"{url} sent more than {MaxDocumentBytes} bytes");
        }

        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            byte[] chunk = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxDocumentBytes)
                {
                    throw new SigningKeyDocumentException($"{url} sent more than {MaxDocumentBytes} bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            return JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot Framework signing keys fetched from {MetadataUrl}: {KeyCount} keys")]
    private static partial void LogKeysFetched(ILogger logger, Uri metadataUrl, int keyCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot Framework signing keys could not be fetched from {MetadataUrl} ({ErrorType}: {Error}); none are cached, so every inbound activity is refused until a fetch succeeds")]
    private static partial void LogFetchFailedNoKeys(ILogger logger, Uri metadataUrl, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot Framework signing keys could not be refreshed from {MetadataUrl} ({ErrorType}: {Error}); still using the keys fetched at {FetchedAt}")]
    private static partial void LogFetchFailedKeepingKeys(ILogger logger, Uri metadataUrl, string errorType, string error, DateTimeOffset fetchedAt);
}

internal readonly record struct KeyLookup(SigningKey? Key, bool HaveKeys);

/// <summary>A metadata or key document that is unusable (wrong status, too large, wrong shape).</summary>
internal sealed class SigningKeyDocumentException(string message) : Exception(message);
