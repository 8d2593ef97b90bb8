namespace ChatOpsBot.Integrations.VirusTotal;

public enum ReputationIndicatorKind
{
    /// <summary>MD5, SHA-1 or SHA-256 of a file (hex). Only the hash is sent, never the file.</summary>
    FileHash,

    /// <summary>A URL (its report is looked up by id; the URL is never submitted for scanning).</summary>
    Url,

    Domain,

    /// <summary>A public IPv4 or IPv6 address; private, loopback and other special-purpose ranges are not sent.</summary>
    IpAddress,

    /// <summary>The domains VirusTotal has seen resolving to a public IP, and which of them engines flag (seed 003).</summary>
    IpResolutions,
}

/// <summary>One indicator to look up.</summary>
public sealed record ReputationQuery(ReputationIndicatorKind Kind, string Value)
{
    public static ReputationQuery FileHash(string hash) => new(ReputationIndicatorKind.FileHash, hash);

    public static ReputationQuery Url(string url) => new(ReputationIndicatorKind.Url, url);

    public static ReputationQuery Domain(string domain) => new(ReputationIndicatorKind.Domain, domain);

    public static ReputationQuery IpAddress(string address) => new(ReputationIndicatorKind.IpAddress, address);

    public static ReputationQuery IpResolutions(string address) => new(ReputationIndicatorKind.IpResolutions, address);
}

/// <summary>
/// What the card shows. Unavailable and QuotaExhausted mean "we do not know"; they must never be read as clean.
/// </summary>
public enum ReputationStatus
{
    /// <summary>At least one engine says malicious (for IP resolutions: at least one domain seen on the IP is).</summary>
    Malicious,

    /// <summary>No engine says malicious, at least one says suspicious.</summary>
    Suspicious,

    /// <summary>Engines analysed it and none flagged it.</summary>
    Harmless,

    /// <summary>VirusTotal has no record of it (404), or has one without an analysis.</summary>
    Unknown,

    /// <summary>No answer: not configured, invalid indicator, rate limited, deadline passed, or a VirusTotal error.</summary>
    Unavailable,

    /// <summary>The daily budget here, or VirusTotal's quota (429), is used up.</summary>
    QuotaExhausted,
}

/// <summary>Engine verdicts of the last analysis; <see cref="Total"/> counts engines that gave one
/// (malicious + suspicious + harmless + undetected; timeouts and unsupported types are left out).</summary>
public sealed record ReputationEngineCounts(int Malicious, int Suspicious, int Harmless, int Undetected)
{
    public int Total => Malicious + Suspicious + Harmless + Undetected;
}

/// <summary>A domain VirusTotal saw resolving to the IP, with its engines' verdicts. The host name is VirusTotal's
/// text: defang it before showing it.</summary>
public sealed record ReputationResolvedHost(string HostName, DateTimeOffset? ResolvedAt, int Malicious, int Suspicious);

/// <summary>
/// The answer for one indicator. <see cref="Summary"/> is one link-free line for a card ("7/70 engines malicious",
/// "unknown to VirusTotal", "unavailable: rate limited"): numbers and fixed words, never text from VirusTotal or
/// the indicator itself.
/// </summary>
public sealed record ReputationResult(
    ReputationQuery Query,
    ReputationStatus Status,
    string Summary,
    ReputationEngineCounts? Engines,
    DateTimeOffset? LastAnalysisDate,
    DateTimeOffset? RetrievedAt,
    bool FromCache,
    IReadOnlyList<ReputationResolvedHost> FlaggedHosts,
    int ResolutionsChecked)
{
    /// <summary>True only for Malicious and Suspicious. Unavailable, QuotaExhausted and Unknown are not "clean".</summary>
    public bool IsFlagged => Status is ReputationStatus.Malicious or ReputationStatus.Suspicious;

    internal static ReputationResult Unavailable(ReputationQuery query, string reason) =>
        new(query, ReputationStatus.Unavailable, "unavailable: " + reason, null, null, null, false, [], 0);

    internal static ReputationResult QuotaExhausted(ReputationQuery query, string reason) =>
        new(query, ReputationStatus.QuotaExhausted, "quota exhausted: " + reason, null, null, null, false, [], 0);
}
