using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.PolicyAudit;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>TTP policy audit: the score coloured by band, each service's points, findings by severity with remediation.</summary>
public static class AuditCard
{
    /// <summary>At or above: "good" (green).</summary>
    public const int GoodScore = 90;

    /// <summary>At or above (and below <see cref="GoodScore"/>): "needs work" (amber); below: "at risk" (red).</summary>
    public const int FairScore = 70;

    public static AdaptiveCard Build(PolicyAuditResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return CardLimits.Fit(limits => Build(result, limits));
    }

    private static AdaptiveCard Build(PolicyAuditResult result, CardLimits limits)
    {
        (AdaptiveContainerStyle style, AdaptiveTextColor color, string band) = result.Score >= GoodScore
            ? (AdaptiveContainerStyle.Good, AdaptiveTextColor.Good, "Good")
            : result.Score >= FairScore
                ? (AdaptiveContainerStyle.Warning, AdaptiveTextColor.Warning, "Needs work")
                : (AdaptiveContainerStyle.Attention, AdaptiveTextColor.Attention, "At risk");
        string findingsLine = result.FindingDetails.Count switch
        {
            0 => "No findings: every TTP service is configured as recommended.",
            1 => "1 finding to fix.",
            int n => $"{n} findings to fix.",
        };
        var body = new List<AdaptiveElement>
        {
            CardParts.Banner(style, $"TTP policy score: {result.Score}/{result.MaxScore} · {band}", color, findingsLine),
            CardParts.Section("Services"),
            CardParts.Facts(result.SectionScores.Select(s => (SectionName(s.Section), (string?)$"{s.Score}/{s.MaxScore} · {(s.Enabled ? "enabled" : "**disabled**")}"))),
            CardParts.Facts(
                ("Sandbox mode", CardText.Escape(result.AttachmentSandboxMode, limits.TextChars)),
                ("VIPs protected", CardParts.Count(result.ImpersonationVipCount))),
        };

        int shown = 0;
        foreach (IGrouping<FindingSeverity, PolicyFinding> group in result.FindingDetails.GroupBy(f => f.Severity).OrderByDescending(g => g.Key))
        {
            if (shown >= limits.ListItems)
            {
                break;
            }

            body.Add(CardParts.Section($"{CardParts.SeverityLabel(group.Key)} ({group.Count()})"));
            foreach (PolicyFinding finding in group.Take(limits.ListItems - shown))
            {
                shown++;
                body.Add(CardParts.Labelled(
                    $"-{finding.PointsLost} pts",
                    CardParts.SeverityColor(finding.Severity),
                    [
                        CardParts.Text(CardText.Escape(finding.Text, limits.TextChars)),
                        CardParts.Subtle($"**Fix:** {CardText.Escape(finding.Remediation, limits.LongTextChars)}"),
                    ]));
            }
        }

        body.AddRange(CardParts.More(result.FindingDetails.Count, shown, "findings"));
        return CardParts.Card(
            CardText.Plain($"TTP policy score {result.Score}/{result.MaxScore} ({band}), {result.FindingDetails.Count} findings", 200),
            body);
    }

    private static string SectionName(PolicySection section) => section switch
    {
        PolicySection.UrlProtect => "URL Protect",
        PolicySection.AttachmentProtect => "Attachment Protect",
        PolicySection.ImpersonationProtect => "Impersonation Protect",
        PolicySection.InternalEmailProtect => "Internal Email Protect",
        _ => section.ToString(),
    };
}
