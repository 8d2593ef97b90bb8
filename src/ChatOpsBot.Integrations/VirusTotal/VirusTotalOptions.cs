namespace ChatOpsBot.Integrations.VirusTotal;

/// <summary>The <c>VirusTotal</c> configuration section (API v3; lookups only, never uploads).</summary>
public sealed class VirusTotalOptions
{
    public const string SectionName = "VirusTotal";

    /// <summary>The API key, sent as <c>x-apikey</c>. Empty means VirusTotal is not configured: every lookup answers
    /// Unavailable ("not configured") without going out. The public API's terms forbid use in commercial products or
    /// business workflows; a team deploying the bot decides which key it may use.</summary>
    public string ApiKey { get; set; } = "";

    public string BaseUrl { get; set; } = "https://www.virustotal.com/api/v3/";

    /// <summary>Lets <see cref="BaseUrl"/> be plain http on a loopback address, for fakes in tests and local runs.</summary>
    public bool AllowHttpOnLoopbackForTesting { get; set; }

    /// <summary>Requests per rolling minute for the whole process (the public API allows 4).</summary>
    public int RequestsPerMinute { get; set; } = 4;

    /// <summary>Requests per UTC day for the whole process (the public API allows 500; VirusTotal resets at 00:00 UTC).</summary>
    public int DailyLimit { get; set; } = 500;

    /// <summary>How long an answer is reused before asking again.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long "unknown to VirusTotal" is reused: shorter, since a new sample can appear any time.</summary>
    public TimeSpan UnknownCacheTtl { get; set; } = TimeSpan.FromHours(4);

    /// <summary>How long every lookup pauses after VirusTotal answers 429 (quota exceeded).</summary>
    public TimeSpan QuotaBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time allowed for one request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Indicators sent to VirusTotal per <see cref="ReputationService.LookupAsync(IReadOnlyList{ReputationQuery}, TimeSpan, CancellationToken)"/>
    /// call (cached answers do not count): one mail with hundreds of links must not spend the day's budget.</summary>
    public int MaxLookupsPerCall { get; set; } = 20;

    /// <summary>Resolutions asked for per IP (VirusTotal's <c>limit</c>).</summary>
    public int MaxResolutions { get; set; } = 40;

    /// <summary>Largest response body accepted.</summary>
    public long MaxResponseBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>False turns reputation lookups of analysed mail off, in the bot and in <c>chatops analyze-email</c>,
    /// while the key stays configured (e.g. to stop spending a shared quota).</summary>
    public bool LookupsEnabled { get; set; } = true;

    /// <summary>How long one mail analysis waits for its reputation lookups; whatever has no answer by then is shown
    /// as unavailable, so a slow or rationed API never holds the verdict card. Keep it well under
    /// <c>Commands:CommandTimeout</c>.</summary>
    public TimeSpan AnalysisDeadline { get; set; } = TimeSpan.FromSeconds(20);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey);
}
