using System.Globalization;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.EmailForensics.Reputation;

/// <summary>
/// Folds reputation answers into an <see cref="EmailReport"/>: one finding per flagged indicator kind, then the score
/// and verdict again through <see cref="VerdictScorer"/>. Reputation only ever adds evidence: Unavailable and
/// QuotaExhausted answers add an info finding that says the verdict lacks them, Harmless and Unknown add nothing, and
/// the score and verdict are never lower than the message's own.
/// <list type="table">
/// <item><term>attachment hash, URL</term><description>malicious by at least <see cref="StrongDetections"/> engines:
/// Critical; by fewer: High; suspicious only: Medium.</description></item>
/// <item><term>sending IP</term><description>malicious by at least <see cref="StrongDetections"/> engines: High; by
/// fewer: Medium; suspicious only: Low (shared mail infrastructure is often flagged by an engine or two).</description></item>
/// </list>
/// </summary>
public static class ReputationFolding
{
    /// <summary>Engines that must call an indicator malicious for it to count as strong evidence; one or two detections
    /// are often false positives.</summary>
    public const int StrongDetections = 3;

    public const string MaliciousAttachmentCode = "reputation_malicious_attachment";
    public const string SuspiciousAttachmentCode = "reputation_suspicious_attachment";
    public const string MaliciousUrlCode = "reputation_malicious_url";
    public const string SuspiciousUrlCode = "reputation_suspicious_url";
    public const string MaliciousIpCode = "reputation_malicious_ip";
    public const string SuspiciousIpCode = "reputation_suspicious_ip";
    public const string UnavailableCode = "reputation_unavailable";

    /// <summary>
    /// <paramref name="report"/> with <see cref="EmailReport.Reputation"/>, the reputation findings, and the score and
    /// verdict recomputed. <see cref="EmailReport.LookupsPerformed"/> is true when at least one answer was not
    /// Unavailable or QuotaExhausted.
    /// </summary>
    /// <exception cref="ArgumentException">The report already carries reputation (folding twice would count it twice).</exception>
    public static EmailReport Apply(EmailReport report, IReadOnlyList<IndicatorReputation> reputation)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(reputation);
        if (report.Reputation.Count > 0)
        {
            throw new ArgumentException("The report already carries reputation results.", nameof(report));
        }

        if (reputation.Count == 0)
        {
            return report;
        }

        var added = new List<Finding>();
        foreach (IGrouping<string, (IndicatorReputation Answer, Finding Finding)> group in reputation
            .Where(r => r is not null)
            .Select(r => (Answer: r, Finding: FindingFor(r)))
            .Where(x => x.Finding is not null)
            .Select(x => (x.Answer, Finding: x.Finding!))
            .GroupBy(x => x.Finding.Code, StringComparer.Ordinal))
        {
            // One finding per code, at its worst, naming how many indicators it covers.
            (IndicatorReputation worst, Finding finding) = group.MaxBy(x => (x.Finding.Severity, x.Answer.MaliciousEngines ?? 0));
            int others = group.Count() - 1;
            added.Add(others == 0 ? finding : finding with { Reason = $"{finding.Reason} (and {others} more)" });
        }

        List<IndicatorReputation> unavailable = [.. reputation.Where(r => r is not null && r.IsUnavailable)];
        if (unavailable.Count > 0)
        {
            string why = unavailable.Any(r => r.Verdict == ReputationVerdict.QuotaExhausted) ? "the lookup quota is exhausted" : "no answer in time or an error";
            added.Add(new Finding(
                UnavailableCode,
                FindingSeverity.Info,
                string.Create(CultureInfo.InvariantCulture, $"Reputation unavailable for {unavailable.Count} of {reputation.Count} indicators ({why}); the verdict does not include them.")));
        }

        List<Finding> findings = [.. report.Findings, .. added];
        // Reputation never turns "too little to judge" into "clean": the evidence rule is the message's own.
        (Verdict verdict, int score) = VerdictScorer.Score(findings, enoughEvidence: report.Verdict != Verdict.Unknown);
        return report with
        {
            Reputation = reputation,
            Findings = findings,
            Score = Math.Max(score, report.Score),
            Verdict = Worse(verdict, report.Verdict),
            LookupsPerformed = reputation.Any(r => r is not null && !r.IsUnavailable),
        };
    }

    private static Finding? FindingFor(IndicatorReputation answer)
    {
        if (!answer.IsFlagged)
        {
            return null;
        }

        bool malicious = answer.Verdict == ReputationVerdict.Malicious;
        bool strong = malicious && (answer.MaliciousEngines ?? StrongDetections) >= StrongDetections;
        string counts = answer.Summary;
        MailIndicator indicator = answer.Indicator;
        return indicator.Kind switch
        {
            IndicatorKind.FileHash => new Finding(
                malicious ? MaliciousAttachmentCode : SuspiciousAttachmentCode,
                strong ? FindingSeverity.Critical : malicious ? FindingSeverity.High : FindingSeverity.Medium,
                $"The {indicator.Context} is known to VirusTotal as {(malicious ? "malicious" : "suspicious")} ({counts})."),
            IndicatorKind.Url => new Finding(
                malicious ? MaliciousUrlCode : SuspiciousUrlCode,
                strong ? FindingSeverity.Critical : malicious ? FindingSeverity.High : FindingSeverity.Medium,
                $"{Defang.Url(indicator.Value)} is known to VirusTotal as {(malicious ? "malicious" : "suspicious")} ({counts})."),
            _ => new Finding(
                malicious ? MaliciousIpCode : SuspiciousIpCode,
                strong ? FindingSeverity.High : malicious ? FindingSeverity.Medium : FindingSeverity.Low,
                $"{Defang.Ip(indicator.Value)} ({indicator.Context}) is flagged by VirusTotal engines as {(malicious ? "malicious" : "suspicious")} ({counts})."),
        };
    }

    private static Verdict Worse(Verdict a, Verdict b) => Rank(a) >= Rank(b) ? a : b;

    // Unknown ranks below Clean only for "never lower": Clean is a judgement, Unknown is none.
    private static int Rank(Verdict verdict) => verdict switch
    {
        Verdict.Malicious => 3,
        Verdict.Suspicious => 2,
        Verdict.Clean => 1,
        _ => 0,
    };
}
