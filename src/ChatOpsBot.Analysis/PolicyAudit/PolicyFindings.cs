using System.Globalization;
using static ChatOpsBot.Analysis.PolicyAudit.TtpPolicyRubric;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.PolicyAudit;

/// <summary>
/// Every finding the audit can raise. <see cref="PolicyFinding.Text"/> is the seed's sentence byte for byte
/// (scripts grep for it); severity and remediation are ours.
/// </summary>
internal static class PolicyFindings
{
    public static PolicyFinding UrlProtectDisabled { get; } = new(
        "CRITICAL: URL Protect not enabled",
        FindingSeverity.Critical,
        PolicySection.UrlProtect,
        "Apply a URL Protection policy to all inbound mail (Administration Console: Gateway | Policies > URL Protection) "
            + "whose URL Protect definition has the inbound check enabled, so links are scanned on arrival and again on click.",
        SectionMaxScore,
        "url_protect.enabled",
        "url_protect_disabled");

    public static PolicyFinding UrlRewritingDisabled { get; } = new(
        "URL rewriting not enabled - URLs not protected at click time",
        FindingSeverity.High,
        PolicySection.UrlProtect,
        "In the URL Protect definition set Rewrite Mode to Moderate or Aggressive, so every link is rewritten and re-checked "
            + "when it is clicked; this catches sites that turn malicious after the mail was delivered.",
        UrlRewriting,
        "url_protect.rewriting",
        "url_rewriting_disabled");

    public static PolicyFinding UrlPredeliveryHoldDisabled { get; } = new(
        "URL Pre-Delivery Hold not enabled - Mimecast recommends Hold setting (default since Nov 2025)",
        FindingSeverity.Medium,
        PolicySection.UrlProtect,
        "In the URL Protect definition set the URL pre-delivery action to Hold, so mail whose links are found malicious "
            + "during the pre-delivery scan is held instead of delivered and left to click-time protection.",
        UrlPredeliveryHold,
        "url_protect.predelivery_hold",
        "url_predelivery_hold_disabled");

    public static PolicyFinding AttachmentProtectDisabled { get; } = new(
        "CRITICAL: Attachment Protect not enabled",
        FindingSeverity.Critical,
        PolicySection.AttachmentProtect,
        "Apply an Attachment Protection policy to all inbound mail (Administration Console: Gateway | Policies > Attachment Protection) "
            + "with a definition that sandboxes attachments, preferably Dynamic Configuration.",
        SectionMaxScore,
        "attachment_protect.enabled",
        "attachment_protect_disabled");

    public static PolicyFinding AttachmentSafeFileOnly { get; } = new(
        "Attachment Protect in Safe File mode - consider Dynamic for full sandbox",
        FindingSeverity.Low,
        PolicySection.AttachmentProtect,
        "Safe File hands users a transcribed copy and never sandboxes the original. Switch the Attachment Protection definition "
            + "to Dynamic Configuration so originals are sandboxed before delivery and users can still request them.",
        DynamicSandbox - SafeFileSandbox,
        "attachment_protect.sandbox_mode",
        "attachment_sandbox_safe_file");

    public static PolicyFinding ImpersonationProtectDisabled { get; } = new(
        "CRITICAL: Impersonation Protect not enabled",
        FindingSeverity.Critical,
        PolicySection.ImpersonationProtect,
        "Apply an Impersonation Protection policy to mail from external senders to all internal recipients "
            + "(Administration Console: Gateway | Policies > Impersonation Protection), with a definition that checks "
            + "display names against your VIPs and holds messages that reach the hit threshold.",
        SectionMaxScore,
        "impersonation_protect.enabled",
        "impersonation_protect_disabled");

    public static PolicyFinding NoVips { get; } = new(
        "No VIPs configured for Impersonation Protect",
        FindingSeverity.High,
        PolicySection.ImpersonationProtect,
        "Impersonation Protect knows no VIPs, so mail that borrows an executive's display name is not recognised. "
            + $"Add your executives and finance leadership to its VIP list (at least {RecommendedVipCount}).",
        EnoughVips,
        "impersonation_protect.vip_list",
        "impersonation_no_vips");

    public static PolicyFinding InternalEmailProtectDisabled { get; } = new(
        "Internal Email Protect not enabled - lateral phishing from compromised accounts undetected",
        FindingSeverity.High,
        PolicySection.InternalEmailProtect,
        "Enable Internal Email Protect (it needs journaling from Exchange or Microsoft 365 to Mimecast) and apply its policies "
            + "to internal and outbound mail, so phishing sent from a compromised internal account is detected and can be removed from mailboxes.",
        InternalEmailProtectEnabled,
        "internal_email_protect.enabled",
        "internal_email_protect_disabled");

    private const string SandboxNotConfiguredAdvice =
        "Choose a delivery option in the Attachment Protection definition: Dynamic Configuration (recommended) sandboxes "
        + "attachments before delivery, Safe File at least strips active content. Record it as sandbox_mode \"dynamic\" or \"safe_file\".";

    public static PolicyFinding SandboxNotConfigured(string? sandboxMode)
    {
        string remediation = SandboxNotConfiguredAdvice;
        if (RecognisedSpelling(sandboxMode) is { } intended)
        {
            // Parity: the seed compares exactly, so "Dynamic" scores as unconfigured. Say so instead of silently differing.
            remediation = $"sandbox_mode is \"{sandboxMode}\", but the audit accepts only the exact value \"{intended}\": "
                + $"write it as \"{intended}\" in the export. {SandboxNotConfiguredAdvice}";
        }

        return new PolicyFinding(
            "Attachment sandbox mode not configured",
            FindingSeverity.High,
            PolicySection.AttachmentProtect,
            remediation,
            DynamicSandbox,
            "attachment_protect.sandbox_mode",
            "attachment_sandbox_not_configured");
    }

    public static PolicyFinding TooFewVips(int vipCount) => new(
        string.Create(CultureInfo.InvariantCulture, $"Only {vipCount} VIPs configured - recommend adding all executives and finance leadership"),
        FindingSeverity.Medium,
        PolicySection.ImpersonationProtect,
        string.Create(
            CultureInfo.InvariantCulture,
            $"Add every executive, finance and HR leader and anyone who approves payments to the Impersonation Protect VIP list: "
                + $"{vipCount} configured, at least {RecommendedVipCount} recommended."),
        EnoughVips - SomeVips,
        "impersonation_protect.vip_list",
        "impersonation_vips_below_recommended");

    /// <summary>The rubric value <paramref name="sandboxMode"/> was evidently meant to be, if it is not already exact.</summary>
    private static string? RecognisedSpelling(string? sandboxMode)
    {
        if (sandboxMode is null)
        {
            return null;
        }

        string normalised = sandboxMode.Trim().Replace('-', '_').Replace(' ', '_');
        foreach (string known in (ReadOnlySpan<string>)[SandboxModes.Dynamic, SandboxModes.SafeFile])
        {
            if (string.Equals(normalised, known, StringComparison.OrdinalIgnoreCase) && sandboxMode != known)
            {
                return known;
            }
        }

        return null;
    }
}
