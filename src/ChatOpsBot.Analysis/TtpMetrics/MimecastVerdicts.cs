using System.Text;

namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>
/// Maps Mimecast API 2.0 TTP log records to the seed's categories (docs/analyze-logs.md has the table and the reasons).
/// Values compare ASCII-case-insensitively; a missing value is an empty span.
/// </summary>
internal static class MimecastVerdicts
{
    /// <summary>
    /// A click is a threat when the scan said <c>malicious</c> (or <c>suspicious</c>) and the click was not allowed;
    /// a malicious click that was allowed still targeted the user but was not blocked, so it is not a threat.
    /// </summary>
    public static ThreatCategory ClassifyClick(ReadOnlySpan<byte> scanResult, ReadOnlySpan<byte> action, ReadOnlySpan<byte> route)
    {
        if (Ascii.EqualsIgnoreCase(scanResult, "clean"u8))
        {
            return ThreatCategory.Clean;
        }

        bool flagged = Ascii.EqualsIgnoreCase(scanResult, "malicious"u8) || Ascii.EqualsIgnoreCase(scanResult, "suspicious"u8);
        if (!flagged || Ascii.EqualsIgnoreCase(action, "allow"u8))
        {
            return ThreatCategory.Other;
        }

        return IsInternal(route) ? ThreatCategory.InternalThreat : ThreatCategory.UrlThreat;
    }

    /// <summary>
    /// <c>safe</c> is clean, <c>malicious</c> and <c>unsafe</c> are threats; <c>timeout</c> and <c>error</c> are no verdict,
    /// so neither clean nor a threat.
    /// </summary>
    public static ThreatCategory ClassifyAttachment(ReadOnlySpan<byte> result, ReadOnlySpan<byte> route)
    {
        if (Ascii.EqualsIgnoreCase(result, "safe"u8))
        {
            return ThreatCategory.Clean;
        }

        if (Ascii.EqualsIgnoreCase(result, "malicious"u8) || Ascii.EqualsIgnoreCase(result, "unsafe"u8))
        {
            return IsInternal(route) ? ThreatCategory.InternalThreat : ThreatCategory.AttachmentThreat;
        }

        return ThreatCategory.Other;
    }

    /// <summary>
    /// An impersonation log is a detection when at least one indicator hit (or <c>hits</c> is absent) and the policy
    /// acted on it: tagged it malicious, or took an action other than <c>none</c>. Otherwise the message went through
    /// untouched, which is clean.
    /// </summary>
    public static ThreatCategory ClassifyImpersonation(long? hits, bool? taggedMalicious, ReadOnlySpan<byte> action, ReadOnlySpan<byte> route)
    {
        bool actedOn = taggedMalicious == true || (!action.IsEmpty && !Ascii.EqualsIgnoreCase(action, "none"u8));
        if (hits == 0 || !actedOn)
        {
            return ThreatCategory.Clean;
        }

        return IsInternal(route) ? ThreatCategory.InternalThreat : ThreatCategory.Impersonation;
    }

    private static bool IsInternal(ReadOnlySpan<byte> route) => Ascii.EqualsIgnoreCase(route, "internal"u8);
}
