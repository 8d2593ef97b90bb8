using ChatOpsBot.Analysis.Common;
namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>
/// Turns findings into a score (0-100) and a verdict. Each finding code counts once, at its highest severity,
/// so fifty links with the same problem do not outweigh one failed DMARC check:
/// Info 0, Low 10, Medium 25, High 45, Critical 80 points; the score is the capped sum.
/// Verdict: malicious at 70 or with any Critical finding; suspicious at 30; otherwise clean, except
/// <see cref="Verdict.Unknown"/> when the message offers too little to judge (no authentication results,
/// no URLs and no attachments), because a low score there means "nothing checked", not "checked and fine".
/// </summary>
public static class VerdictScorer
{
    public const int SuspiciousThreshold = 30;
    public const int MaliciousThreshold = 70;

    public static int Points(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Low => 10,
        FindingSeverity.Medium => 25,
        FindingSeverity.High => 45,
        FindingSeverity.Critical => 80,
        _ => 0,
    };

    public static (Verdict Verdict, int Score) Score(IEnumerable<Finding> findings, bool enoughEvidence)
    {
        ArgumentNullException.ThrowIfNull(findings);
        // The worst severity per code, as grouping by code would give, without the groups.
        var worstPerCode = new Dictionary<string, FindingSeverity>(StringComparer.Ordinal);
        FindingSeverity? worstWithoutCode = null;
        foreach (Finding finding in findings)
        {
            if (finding.Code is null)
            {
                worstWithoutCode = worstWithoutCode is { } worst && worst >= finding.Severity ? worst : finding.Severity;
            }
            else if (!worstPerCode.TryGetValue(finding.Code, out FindingSeverity worst) || finding.Severity > worst)
            {
                worstPerCode[finding.Code] = finding.Severity;
            }
        }

        int sum = worstWithoutCode is { } uncoded ? Points(uncoded) : 0;
        bool critical = worstWithoutCode == FindingSeverity.Critical;
        foreach (FindingSeverity worst in worstPerCode.Values)
        {
            sum += Points(worst);
            critical |= worst == FindingSeverity.Critical;
        }

        int score = Math.Min(100, sum);
        Verdict verdict = critical || score >= MaliciousThreshold
            ? Verdict.Malicious
            : score >= SuspiciousThreshold
                ? Verdict.Suspicious
                : enoughEvidence ? Verdict.Clean : Verdict.Unknown;
        return (verdict, score);
    }
}
