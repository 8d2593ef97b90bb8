namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>A MITRE ATT&amp;CK technique (or tactic) as seed 002 names it.</summary>
public sealed record AttackTechnique(string ThreatId, string ThreatName);

/// <summary>
/// Seed 002's table from Mimecast alert type to ATT&amp;CK technique, kept verbatim because it is the contract
/// (docs/analyze-logs.md notes the entries that ATT&amp;CK itself would file differently).
/// </summary>
public static class MimecastAttackMapping
{
    public const string ImpersonationAttempt = "Impersonation Attempt";
    public const string UnsafeEmailAttachment = "Unsafe Email Attachment";
    public const string UrlProtection = "URL Protection";

    /// <summary>
    /// Not in seed 002: the alert type we give a seed export's <c>internal_threat</c> entries, whose origin (URL or
    /// attachment) the export does not say. Mapped to T1534 Internal Spearphishing, lateral phishing from a compromised
    /// internal account, which is what Internal Email Protect exists to catch.
    /// </summary>
    public const string InternalEmailProtect = "Internal Email Protect";

    private static readonly OrderedDictionary<string, AttackTechnique> s_byAlertType = new(StringComparer.Ordinal)
    {
        [ImpersonationAttempt] = new("T1598.003", "Spearphishing Link"),
        [UnsafeEmailAttachment] = new("T1598.002", "Spearphishing Attachment"),
        [UrlProtection] = new("T1598.003", "Spearphishing Link"),
        ["Default URL Protection"] = new("T1598.003", "Spearphishing Link"),
        ["IP Temporarily Blacklisted"] = new("TA0001", "Initial Access"),
        ["Submitter failed to authenticate"] = new("T1078", "Valid Accounts"),
        ["Anti-Spoofing policy - Inbound not allowed"] = new("T1598.003", "Spearphishing Link"),
        ["Invalid Recipient"] = new("TA0005", "Defense Evasion"),
        ["Exceeding outbound thread limit"] = new("T1041", "Exfiltration Over C2 Channel"),
        ["Message bounced due to Content Examination Policy"] = new("T1598", "Phishing for Information"),
        ["Default Inbound URL Protect Definition"] = new("T1598.003", "Spearphishing Link"),
    };

    private static readonly AttackTechnique s_internalSpearphishing = new("T1534", "Internal Spearphishing");

    /// <summary>Seed 002's rows, in its order.</summary>
    public static IReadOnlyDictionary<string, AttackTechnique> Seed002Table => s_byAlertType;

    /// <summary>The technique for <paramref name="alertType"/>: seed 002's, or ours for <see cref="InternalEmailProtect"/>.</summary>
    public static bool TryGetTechnique(string alertType, out AttackTechnique technique)
    {
        ArgumentNullException.ThrowIfNull(alertType);
        if (alertType == InternalEmailProtect)
        {
            technique = s_internalSpearphishing;
            return true;
        }

        return s_byAlertType.TryGetValue(alertType, out technique!);
    }
}
