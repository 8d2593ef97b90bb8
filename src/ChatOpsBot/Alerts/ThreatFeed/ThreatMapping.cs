using ChatOpsBot.Analysis.TtpMetrics;
using ChatOpsBot.Integrations.Mimecast;

namespace ChatOpsBot.Alerts.ThreatFeed;

/// <summary>An alert type of seed 002 and the ATT&amp;CK technique it maps to.</summary>
internal sealed record ThreatClassification(string AlertType, AttackTechnique Technique);

/// <summary>
/// Seed 002's mapping rule. Attachments are "Unsafe Email Attachment", impersonations "Impersonation Attempt"; a URL
/// click is its <c>creationMethod</c> when <c>ttpDefinition</c> is empty and its <c>reason</c> otherwise. Click logs carry
/// no <c>reason</c> (only SIEM url-protect events do), so the <c>ttpDefinition</c> stands in for it: its default value
/// "Default Inbound URL Protect Definition" is one of seed 002's rows. A type the table does not know keeps its name
/// and is filed under the category's default technique (URL Protection's T1598.003 for clicks).
/// </summary>
internal static class ThreatMapping
{
    public const int MaxAlertTypeLength = 120;

    public static ThreatClassification Attachment() => Known(MimecastAttackMapping.UnsafeEmailAttachment);

    public static ThreatClassification Impersonation() => Known(MimecastAttackMapping.ImpersonationAttempt);

    public static ThreatClassification Click(MimecastClickLog click)
    {
        ArgumentNullException.ThrowIfNull(click);
        return Click(click.TtpDefinition, click.CreationMethod);
    }

    public static ThreatClassification Click(string? ttpDefinition, string? creationMethod)
    {
        string? type = string.IsNullOrWhiteSpace(ttpDefinition) ? creationMethod : ttpDefinition;
        type = string.IsNullOrWhiteSpace(type) ? MimecastAttackMapping.UrlProtection : type.Trim();
        if (type.Length > MaxAlertTypeLength)
        {
            type = type[..MaxAlertTypeLength];
        }

        return MimecastAttackMapping.TryGetTechnique(type, out AttackTechnique? technique)
            ? new ThreatClassification(type, technique)
            : new ThreatClassification(type, Known(MimecastAttackMapping.UrlProtection).Technique);
    }

    private static ThreatClassification Known(string alertType) =>
        MimecastAttackMapping.TryGetTechnique(alertType, out AttackTechnique? technique)
            ? new ThreatClassification(alertType, technique)
            : throw new InvalidOperationException($"Seed 002 has no row for '{alertType}'.");
}
