using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Analysis.EmailForensics.Reputation;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Reputation;

public class ReputationFoldingTests
{
    private const string Hash = "4af462d0246bf4074730b2aaecb076dfd30977ff23556b60848ab0af68f6e636";

    private static readonly MailIndicator s_file = new(IndicatorKind.FileHash, Hash, "attachment invoice.pdf");
    private static readonly MailIndicator s_url = new(IndicatorKind.Url, "https://login.evil.example/o365", "URL (html_href)");
    private static readonly MailIndicator s_ip = new(IndicatorKind.IpAddress, "198.51.100.7", "sending IP of hop 1");

    [Fact]
    public void AHashMostEnginesCallMaliciousMakesTheMessageMalicious()
    {
        EmailReport report = Report(Verdict.Clean, 0);

        EmailReport folded = ReputationFolding.Apply(report, [Malicious(s_file, 41, 70)]);

        folded.Verdict.ShouldBe(Verdict.Malicious);
        folded.Score.ShouldBe(VerdictScorer.Points(FindingSeverity.Critical));
        Finding finding = folded.Findings.ShouldHaveSingleItem();
        finding.Code.ShouldBe(ReputationFolding.MaliciousAttachmentCode);
        finding.Severity.ShouldBe(FindingSeverity.Critical);
        finding.Reason.ShouldBe("The attachment invoice.pdf is known to VirusTotal as malicious (41/70 engines malicious).");
        folded.LookupsPerformed.ShouldBeTrue();
        folded.Reputation.ShouldHaveSingleItem().Verdict.ShouldBe(ReputationVerdict.Malicious);
    }

    [Fact]
    public void OneOrTwoDetectionsAreWeakerThanMany()
    {
        EmailReport folded = ReputationFolding.Apply(Report(Verdict.Clean, 0), [Malicious(s_url, 2, 90)]);

        folded.Findings.ShouldHaveSingleItem().Severity.ShouldBe(FindingSeverity.High);
        folded.Verdict.ShouldBe(Verdict.Suspicious);
        folded.Findings[0].Reason.ShouldContain("hxxps://login[.]evil[.]example/o365");
    }

    [Fact]
    public void SuspiciousIsWeakerThanMaliciousAndAnIpWeakerThanAFile()
    {
        EmailReport suspiciousFile = ReputationFolding.Apply(Report(Verdict.Clean, 0), [Answer(s_file, ReputationVerdict.Suspicious, "0/70 engines malicious, 3 suspicious")]);
        EmailReport maliciousIp = ReputationFolding.Apply(Report(Verdict.Clean, 0), [Malicious(s_ip, 9, 90)]);
        EmailReport suspiciousIp = ReputationFolding.Apply(Report(Verdict.Clean, 0), [Answer(s_ip, ReputationVerdict.Suspicious, "0/90 engines malicious, 1 suspicious")]);

        suspiciousFile.Findings.ShouldHaveSingleItem().Severity.ShouldBe(FindingSeverity.Medium);
        maliciousIp.Findings.ShouldHaveSingleItem().Severity.ShouldBe(FindingSeverity.High);
        maliciousIp.Findings[0].Reason.ShouldContain("198[.]51[.]100[.]7");
        suspiciousIp.Findings.ShouldHaveSingleItem().Severity.ShouldBe(FindingSeverity.Low);
    }

    [Theory]
    [InlineData(ReputationVerdict.Unavailable, "unavailable: no answer before the deadline", "no answer in time or an error")]
    [InlineData(ReputationVerdict.QuotaExhausted, "quota exhausted: VirusTotal answered 429 QuotaExceededError", "the lookup quota is exhausted")]
    public void UnansweredLookupsAreSaidToBeMissingAndChangeNothingElse(ReputationVerdict verdict, string summary, string why)
    {
        EmailReport report = Report(Verdict.Suspicious, 35, new Finding("dmarc_fail", FindingSeverity.Medium, "DMARC failed"), new Finding("reply_to_mismatch", FindingSeverity.Low, "Reply-To differs"));

        EmailReport folded = ReputationFolding.Apply(report, [Answer(s_file, verdict, summary), Answer(s_url, ReputationVerdict.Harmless, "0/90 engines malicious")]);

        folded.Verdict.ShouldBe(Verdict.Suspicious);
        folded.Score.ShouldBe(35);
        folded.Findings.Count.ShouldBe(3);
        Finding note = folded.Findings[^1];
        note.Code.ShouldBe(ReputationFolding.UnavailableCode);
        note.Severity.ShouldBe(FindingSeverity.Info);
        note.Reason.ShouldBe($"Reputation unavailable for 1 of 2 indicators ({why}); the verdict does not include them.");
        folded.LookupsPerformed.ShouldBeTrue();
    }

    [Fact]
    public void OnlyUnansweredLookupsMeanNoLookupWasPerformed()
    {
        EmailReport folded = ReputationFolding.Apply(Report(Verdict.Clean, 0), [Answer(s_file, ReputationVerdict.Unavailable, "unavailable: VirusTotal is not configured")]);

        folded.LookupsPerformed.ShouldBeFalse();
        folded.Verdict.ShouldBe(Verdict.Clean);
        folded.Reputation.Count.ShouldBe(1);
    }

    [Fact]
    public void HarmlessAnswersNeverTurnTooLittleEvidenceIntoClean()
    {
        EmailReport folded = ReputationFolding.Apply(Report(Verdict.Unknown, 10, new Finding("auth_results_missing", FindingSeverity.Low, "none")), [Answer(s_ip, ReputationVerdict.Harmless, "0/90 engines malicious")]);

        folded.Verdict.ShouldBe(Verdict.Unknown);
    }

    [Fact]
    public void SeveralFlaggedIndicatorsOfAKindAreOneFindingAtTheWorst()
    {
        var second = new MailIndicator(IndicatorKind.Url, "https://other.evil.example/", "URL (plain_text)");

        EmailReport folded = ReputationFolding.Apply(Report(Verdict.Clean, 0), [Malicious(s_url, 1, 90), Malicious(second, 12, 90)]);

        Finding finding = folded.Findings.ShouldHaveSingleItem();
        finding.Severity.ShouldBe(FindingSeverity.Critical);
        finding.Reason.ShouldContain("other[.]evil[.]example");
        finding.Reason.ShouldEndWith("(and 1 more)");
    }

    [Fact]
    public void FoldingTwiceIsRefused()
    {
        EmailReport folded = ReputationFolding.Apply(Report(Verdict.Clean, 0), [Malicious(s_file, 41, 70)]);

        Should.Throw<ArgumentException>(() => ReputationFolding.Apply(folded, [Malicious(s_file, 41, 70)]));
    }

    [Fact]
    public void ReputationNeverLowersTheScoreOrTheVerdict()
    {
        Gen<Verdict> verdicts = Gen.Elements(Verdict.Unknown, Verdict.Clean, Verdict.Suspicious, Verdict.Malicious);
        Gen<IndicatorReputation> answers =
            from kind in Gen.Elements(IndicatorKind.FileHash, IndicatorKind.Url, IndicatorKind.IpAddress)
            from verdict in Gen.Elements(Enum.GetValues<ReputationVerdict>())
            from malicious in Gen.Choose(0, 80)
            select new IndicatorReputation(kind == IndicatorKind.FileHash ? s_file : kind == IndicatorKind.Url ? s_url : s_ip, verdict, "n/m engines")
            {
                MaliciousEngines = verdict == ReputationVerdict.Malicious ? Math.Max(1, malicious) : 0,
                TotalEngines = 90,
            };
        Gen<(Verdict Verdict, int Score, IndicatorReputation[] Answers)> cases =
            from verdict in verdicts
            from score in Gen.Choose(0, 100)
            from list in Gen.ArrayOf(answers, 4)
            select (verdict, score, list);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            EmailReport folded = ReputationFolding.Apply(Report(c.Verdict, c.Score), c.Answers);
            bool anyFlagged = c.Answers.Any(a => a.IsFlagged);
            return folded.Score >= c.Score
                && Rank(folded.Verdict) >= Rank(c.Verdict)
                && (anyFlagged || (folded.Verdict == c.Verdict && folded.Score == c.Score));
        }).QuickCheckThrowOnFailure();
    }

    private static int Rank(Verdict verdict) => verdict switch
    {
        Verdict.Malicious => 3,
        Verdict.Suspicious => 2,
        Verdict.Clean => 1,
        _ => 0,
    };

    private static IndicatorReputation Malicious(MailIndicator indicator, int engines, int total) =>
        new(indicator, ReputationVerdict.Malicious, $"{engines}/{total} engines malicious") { MaliciousEngines = engines, TotalEngines = total };

    private static IndicatorReputation Answer(MailIndicator indicator, ReputationVerdict verdict, string summary) => new(indicator, verdict, summary);

    private static EmailReport Report(Verdict verdict, int score, params Finding[] findings) => new()
    {
        Verdict = verdict,
        Score = score,
        Findings = findings,
        AuthResults = new AuthenticationSummary { Source = "none" },
    };
}
