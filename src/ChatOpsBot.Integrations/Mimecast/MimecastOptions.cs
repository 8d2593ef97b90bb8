namespace ChatOpsBot.Integrations.Mimecast;

/// <summary>The <c>Mimecast</c> configuration section (Mimecast API 2.0, OAuth 2.0 client credentials).</summary>
public sealed class MimecastOptions
{
    public const string SectionName = "Mimecast";

    /// <summary>The API 2.0 host: <c>https://api.services.mimecast.com/</c> (global, fails over between regions),
    /// <c>https://uk-api.services.mimecast.com/</c> or <c>https://us-api.services.mimecast.com/</c> (data stays in region).</summary>
    public string BaseUrl { get; set; } = "https://api.services.mimecast.com/";

    /// <summary>The API 2.0 application's client id. Empty means Mimecast is not configured: every call reports that
    /// instead of going out.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The API 2.0 application's client secret. Never logged, never put in an exception message.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>Lets <see cref="BaseUrl"/> be plain http on a loopback address, for fakes in tests and local runs.</summary>
    public bool AllowHttpOnLoopbackForTesting { get; set; }

    /// <summary>Records asked for per log page (Mimecast documents no maximum; 500 is used in production by others).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Pages read per log query before stopping; the result then says it is truncated.</summary>
    public int MaxPages { get; set; } = 1000;

    /// <summary>Retries after a 5xx, a 429, a timeout or a connection failure (0 turns retries off).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay after a 5xx or a failed connection; grows exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait this client accepts from a 429's <c>X-RateLimit-Reset</c>; a longer one is reported
    /// as "rate limited" at once instead of holding the caller.</summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time allowed for one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest response body accepted.</summary>
    public long MaxResponseBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>The profile group that the tenant's blocked-senders policy applies to (Mimecast's default name).</summary>
    public string BlockedSendersGroup { get; set; } = "Blocked Senders";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId);
}
