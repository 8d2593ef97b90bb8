namespace ChatOpsBot.Analysis.EmailForensics.Reputation;

public enum IndicatorKind
{
    /// <summary>The SHA-256 of an attachment, or of a file inside an attached archive.</summary>
    FileHash,

    /// <summary>A URL of the message, after offline rewriter decoding (the destination, not the Safe Links wrapper).</summary>
    Url,

    /// <summary>A public IP address from the message's transport headers.</summary>
    IpAddress,
}

/// <summary>
/// One thing of a message worth a reputation lookup. <paramref name="Value"/> is what is looked up (a lower-case
/// SHA-256, a URL, an IP); <paramref name="Context"/> says where it came from ("attachment invoice.zip", "URL in the
/// HTML body", "sending IP, hop 1"). Both are message content: escape and defang them when rendering.
/// </summary>
public sealed record MailIndicator(IndicatorKind Kind, string Value, string Context);

/// <summary>What a reputation source said about an indicator. Unavailable and QuotaExhausted mean "not known": they are
/// never read as clean and never lower a verdict.</summary>
public enum ReputationVerdict
{
    Malicious,
    Suspicious,
    Harmless,

    /// <summary>The source has no record of it.</summary>
    Unknown,

    /// <summary>No answer (not configured, rate limited, deadline passed, an error of the source).</summary>
    Unavailable,

    /// <summary>The lookup budget or the source's quota is used up.</summary>
    QuotaExhausted,
}

/// <summary>
/// The reputation of one <see cref="MailIndicator"/>. <see cref="Summary"/> is one link-free line built by the caller
/// from numbers and fixed words ("7/70 engines malicious", "unavailable: rate limited"); the engine counts, when the
/// source gave them, let the verdict weigh a detection by one engine differently from one by thirty.
/// </summary>
public sealed record IndicatorReputation(MailIndicator Indicator, ReputationVerdict Verdict, string Summary)
{
    public int? MaliciousEngines { get; init; }

    public int? SuspiciousEngines { get; init; }

    /// <summary>Engines that gave a verdict (malicious + suspicious + harmless + undetected).</summary>
    public int? TotalEngines { get; init; }

    /// <summary>The answer came from the reputation cache rather than a new request.</summary>
    public bool FromCache { get; init; }

    /// <summary>Malicious or Suspicious.</summary>
    public bool IsFlagged => Verdict is ReputationVerdict.Malicious or ReputationVerdict.Suspicious;

    /// <summary>Unavailable or QuotaExhausted: nothing is known.</summary>
    public bool IsUnavailable => Verdict is ReputationVerdict.Unavailable or ReputationVerdict.QuotaExhausted;
}
