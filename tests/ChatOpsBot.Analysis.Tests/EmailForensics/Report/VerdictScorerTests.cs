using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Report;

public class VerdictScorerTests
{
    [Fact]
    public void NoFindingsWithEvidenceIsCleanAtZero() =>
        VerdictScorer.Score([], enoughEvidence: true).ShouldBe((Verdict.Clean, 0));

    [Fact]
    public void NoFindingsWithoutEvidenceIsUnknown() =>
        VerdictScorer.Score([new Finding("auth_results_missing", FindingSeverity.Info, "x")], enoughEvidence: false).ShouldBe((Verdict.Unknown, 0));

    [Fact]
    public void RepeatedCodeCountsOnceAtItsWorstSeverity()
    {
        Finding[] findings =
        [
            new("anchor_mismatch", FindingSeverity.Low, "a"),
            new("anchor_mismatch", FindingSeverity.Medium, "b"),
            new("anchor_mismatch", FindingSeverity.Medium, "c"),
        ];

        VerdictScorer.Score(findings, enoughEvidence: true).ShouldBe((Verdict.Clean, 25));
    }

    [Fact]
    public void HighPlusMediumReachesMalicious() =>
        VerdictScorer.Score([new("dmarc_fail", FindingSeverity.High, "a"), new("reply_to_mismatch", FindingSeverity.Medium, "b")], true)
            .ShouldBe((Verdict.Malicious, 70));

    [Fact]
    public void SingleHighIsSuspicious() =>
        VerdictScorer.Score([new("dmarc_fail", FindingSeverity.High, "a")], true).ShouldBe((Verdict.Suspicious, 45));

    [Fact]
    public void CriticalIsMaliciousAndScoreIsCapped() =>
        VerdictScorer.Score([new("executable_attachment", FindingSeverity.Critical, "a"), new("dmarc_fail", FindingSeverity.High, "b")], false)
            .ShouldBe((Verdict.Malicious, 100));
}
