using System.Text;
using ChatOpsBot.Analysis.EmailForensics;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Report;

/// <summary>
/// A regex that times out (CPU-starved process, pathological input) costs only its analysis step: the report
/// still comes back, with a finding naming the step. The analysis patterns' 1 s timeout is lowered to one tick for
/// these tests (<see cref="AnalysisRegex.OverrideMatchTimeout"/>), and each input makes the real pattern run far
/// longer than that, so the real <see cref="System.Text.RegularExpressions.RegexMatchTimeoutException"/> is raised.
/// </summary>
public class AnalysisStepTimeoutTests
{
    private static readonly TimeSpan s_oneTick = TimeSpan.FromTicks(1);

    /// <summary>The Received parser's date-shaped-tail pattern (the only one ending in an optional comment).</summary>
    private static bool IsTrailingDatePattern(string pattern) => pattern.EndsWith(@"(?:\s*\([^)]*\))?\s*$", StringComparison.Ordinal);

    /// <summary>The date patterns the inline-forward detector runs on a quoted Date: value.</summary>
    private static bool IsQuotedDatePattern(string pattern) =>
        pattern.Contains("(?<month>", StringComparison.Ordinal) || pattern.Contains(@"\s+at\s+", StringComparison.Ordinal);

    /// <summary>
    /// "1 jan 2024 1:00 (" repeated without a closing parenthesis: the Received parser's date-shaped-tail pattern
    /// tries every repetition and scans to the end of the header from each, quadratic in the header length.
    /// </summary>
    private static string PathologicalReceived()
    {
        var builder = new StringBuilder("from evil.test by mx.corp.test with ESMTP ");
        for (int i = 0; i < 8_000; i++)
        {
            builder.Append("1 jan 2024 1:00 (");
        }

        return builder.ToString();
    }

    private static string MessageWith(string received) => $"""
        Received: {received}
        Authentication-Results: mx.corp.test; spf=fail smtp.mailfrom=evil.test; dkim=none; dmarc=fail header.from=bank.test
        From: Bank Security <security@bank.test>
        To: victim@corp.test
        Subject: Verify your account
        Date: Wed, 10 Jan 2024 08:00:00 +0000
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        Log in at https://bank-login.test/verify now.
        """;

    [Fact]
    public void ReceivedHopsTimingOutYieldsAFindingAndTheRestOfTheReport()
    {
        byte[] eml = EmlFixtures.Bytes(MessageWith(PathologicalReceived()));

        EmailReport report;
        using (AnalysisRegex.OverrideMatchTimeout(s_oneTick, IsTrailingDatePattern))
        {
            report = EmailAnalyzer.Analyze(eml);
        }

        Finding timedOut = report.Findings.Where(f => f.Code == AnalysisSteps.TimedOutCode && f.Reason.Contains("received_hops", StringComparison.Ordinal)).ShouldHaveSingleItem();
        timedOut.Reason.ShouldBe("Analysis step received_hops timed out; results may be incomplete.");
        report.ReceivedHops.ShouldBeEmpty();
        report.Subject.ShouldBe("Verify your account");
        report.From!.Address.ShouldBe("security@bank.test");
        report.AuthResults.Dmarc.ShouldNotBeNull();
        report.Urls.ShouldContain(u => u.Url == "https://bank-login.test/verify");
        report.Findings.ShouldContain(f => f.Code == "dmarc_fail", string.Join(", ", report.Findings.Select(f => f.Reason)));
        EmailReportJson.Serialize(report).ShouldContain(AnalysisSteps.TimedOutCode);
    }

    [Fact]
    public void AMessageThatWouldBeCleanIsUnknownWhenAStepTimedOut()
    {
        string eml = $"""
            Received: {PathologicalReceived()}
            Authentication-Results: mx.corp.test; spf=pass smtp.mailfrom=partner.test; dkim=pass header.d=partner.test; dmarc=pass header.from=partner.test
            From: Partner <news@partner.test>
            To: victim@corp.test
            Subject: Monthly newsletter
            Date: Wed, 10 Jan 2024 08:00:00 +0000
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            Read it at https://partner.test/news
            """;

        EmailReport report;
        using (AnalysisRegex.OverrideMatchTimeout(s_oneTick, IsTrailingDatePattern))
        {
            report = EmailAnalyzer.Analyze(EmlFixtures.Bytes(eml));
        }

        report.Findings.ShouldContain(f => f.Code == AnalysisSteps.TimedOutCode);
        report.Verdict.ShouldBe(Verdict.Unknown);
    }

    [Fact]
    public void InlineForwardDetectionTimingOutFallsBackToTheOuterMessage()
    {
        // A quoted Date: value of many spaces: the date patterns scan it from every position.
        string date = "Tue, Jan 9, 2024" + new string(' ', 40_000) + "x";
        string eml = EmlFixtures.GmailInlineForward.Replace("Date: Tue, Jan 9, 2024 at 4:12 PM", "Date: " + date, StringComparison.Ordinal);
        eml.ShouldContain(date);

        EmailReport report;
        using (AnalysisRegex.OverrideMatchTimeout(s_oneTick, IsQuotedDatePattern))
        {
            report = EmailAnalyzer.Analyze(EmlFixtures.Bytes(eml));
        }

        report.Findings.ShouldContain(f => f.Code == AnalysisSteps.TimedOutCode && f.Reason.Contains("inline_forward_detection", StringComparison.Ordinal));
        report.Forwarded.ShouldBeFalse();
        report.From!.Address.ShouldBe("bob@gmail.com");
        report.Urls.ShouldContain(u => u.Url == "https://dhl-parcel.test/fee");
    }
}
