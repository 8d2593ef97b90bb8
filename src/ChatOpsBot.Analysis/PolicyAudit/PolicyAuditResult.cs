using ChatOpsBot.Analysis.Common;
namespace ChatOpsBot.Analysis.PolicyAudit;

/// <summary>
/// The outcome of a TTP policy audit. The first eleven members are the seed tool's <c>PolicyAudit</c> fields,
/// in its order and with its values, so serialising with <see cref="Common.SeedJson.Options"/> reproduces the
/// seed's <c>--json</c> output; the members after them are additions for cards and reports.
/// </summary>
/// <param name="UrlProtectEnabled">As read from the config; <see langword="null"/> only when it said <c>null</c>.</param>
/// <param name="AttachmentSandboxMode">As read from the config (<c>"none"</c> when absent).</param>
/// <param name="ImpersonationVipCount">Number of entries in the VIP list.</param>
/// <param name="Findings">The seed's finding sentences, in the seed's order.</param>
/// <param name="Score">Sum of the rubric's contributions, 0 to <paramref name="MaxScore"/>.</param>
/// <param name="FindingDetails">One entry per finding, same order: severity, section, remediation, points lost.</param>
/// <param name="SectionScores">Points per TTP service, in the rubric's order.</param>
public sealed record PolicyAuditResult(
    bool? UrlProtectEnabled,
    bool? UrlRewriting,
    bool? UrlPredeliveryHold,
    bool? AttachmentProtectEnabled,
    string? AttachmentSandboxMode,
    bool? ImpersonationProtectEnabled,
    int ImpersonationVipCount,
    bool? InternalEmailProtect,
    IReadOnlyList<string> Findings,
    int Score,
    int MaxScore,
    IReadOnlyList<PolicyFinding> FindingDetails,
    IReadOnlyList<SectionScore> SectionScores);

/// <summary>One shortfall against the rubric, with what a Mimecast administrator should do about it.</summary>
/// <param name="Text">The seed's sentence, unchanged.</param>
/// <param name="PointsLost">Points this shortfall costs; a result's score plus all points lost is its max score.</param>
/// <param name="ConfigPath">The config key the finding is about, e.g. <c>url_protect.rewriting</c>.</param>
/// <param name="Code">Stable identifier for the kind of finding, e.g. <c>url_rewriting_disabled</c>.</param>
public sealed record PolicyFinding(
    string Text,
    FindingSeverity Severity,
    PolicySection Section,
    string Remediation,
    int PointsLost,
    string ConfigPath,
    string Code);

/// <summary>Points earned by one TTP service.</summary>
/// <param name="Enabled">Whether the service counts as enabled (a <c>null</c> flag does not).</param>
public sealed record SectionScore(PolicySection Section, bool Enabled, int Score, int MaxScore);
