using System.Text;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Report;

public class EmailAnalyzerRobustnessTests
{
    private static readonly byte[][] s_seeds =
    [
        EmlFixtures.Bytes(EmlFixtures.Newsletter),
        EmlFixtures.Bytes(EmlFixtures.CredentialPhish),
        EmlFixtures.Bytes(EmlFixtures.ForwardAsAttachment(EmlFixtures.CredentialPhish, "base64")),
        EmlFixtures.Bytes(EmlFixtures.GmailInlineForward),
    ];

    /// <summary>Either a report that serialises, or the one documented refusal; never another exception.</summary>
    private static bool AnalysesOrRefuses(byte[] bytes)
    {
        try
        {
            EmailReport report = EmailAnalyzer.Analyze(bytes);
            return EmailReportJson.Serialize(report).Length > 0 && report.Score is >= 0 and <= 100;
        }
        catch (InvalidInputException)
        {
            return true;
        }
    }

    [Fact]
    public void MutatedMessagesNeverThrowAnythingButInvalidInput()
    {
        Prop.ForAll(
            Gen.Elements(s_seeds).Zip(Gen.ArrayOf(Gen.Choose(0, int.MaxValue).Zip(Gen.Choose(0, 255))).Resize(12)).ToArbitrary(),
            sample =>
            {
                (byte[] seed, (int Position, int Value)[] edits) = sample;
                byte[] bytes = (byte[])seed.Clone();
                foreach ((int position, int value) in edits)
                {
                    bytes[position % bytes.Length] = (byte)value;
                }

                return AnalysesOrRefuses(bytes);
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TruncatedMessagesNeverThrowAnythingButInvalidInput()
    {
        foreach (byte[] seed in s_seeds)
        {
            for (int length = 0; length <= seed.Length; length += 7)
            {
                AnalysesOrRefuses(seed[..length]).ShouldBeTrue($"truncated at {length}");
            }
        }
    }

    [Fact]
    public void ArbitraryTextNeverThrowsAnythingButInvalidInput() =>
        Prop.ForAll<string>(text => AnalysesOrRefuses(Encoding.UTF8.GetBytes("From: a@b.test\r\nSubject: x\r\n\r\n" + text)))
            .QuickCheckThrowOnFailure();

    [Fact]
    public void HtmlOnlyOutlookForwardIsRecognisedFromItsRenderedText()
    {
        const string eml = """
            From: Carol <carol@corp.test>
            To: soc@corp.test
            Subject: FW: Invoice overdue
            MIME-Version: 1.0
            Content-Type: text/html; charset=utf-8

            <html><body><p>Please check</p><div><a href="https://carol.example/sig">my site</a></div>
            <hr><div><b>From:</b> Billing &lt;billing@paypa1.com&gt;<br><b>Sent:</b> Tuesday, January 9, 2024 4:12 PM<br>
            <b>To:</b> Carol &lt;carol@corp.test&gt;<br><b>Subject:</b> Invoice overdue</div>
            <p>Pay now: <a href="https://pay.evil.test/x">PayPal</a></p></body></html>
            """;

        EmailReport report = EmailAnalyzer.Analyze(EmlFixtures.Bytes(eml));

        report.Forward!.Kind.ShouldBe("inline");
        report.From!.Address.ShouldBe("billing@paypa1.com");
        report.Subject.ShouldBe("Invoice overdue");
        report.Reporter!.Address.ShouldBe("carol@corp.test");
        report.Findings.Select(f => f.Code).ShouldContain("lookalike_sender_domain");
        report.Urls.Select(u => u.Url).ShouldContain("https://pay.evil.test/x");
    }
}
