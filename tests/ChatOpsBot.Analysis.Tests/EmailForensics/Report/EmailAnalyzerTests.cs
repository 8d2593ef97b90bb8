using System.Text;
using System.Text.Json;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Mail.Tests.Outlook;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Report;

public class EmailAnalyzerTests
{
    // Published test vectors for the five bytes "hello".
    private const string HelloSha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    private static EmailReport Analyze(string eml) => EmailAnalyzer.Analyze(EmlFixtures.Bytes(eml));

    [Fact]
    public void RawHeadersDecodeEachHeaderOnItsOwnEvenWhenAByteSequenceIsCutAtALineBreak()
    {
        // "caf\xC3" ends its header mid-sequence, and the next header starts with a continuation-like byte run.
        byte[] eml = [.. "Subject: caf"u8, 0xC3, .. "\r\nX-Tag: "u8, 0xA9, 0xE2, 0x82, .. "\r\nFrom: a@b.example\r\n\r\nbody\r\n"u8];

        EmailReport report = EmailAnalyzer.Analyze(eml);

        report.RawHeaders.ShouldBe("Subject: caf\uFFFD\r\nX-Tag: \uFFFD\uFFFD\r\nFrom: a@b.example\r\n");
    }

    [Fact]
    public void AuthenticatedNewsletterIsCleanWithALowScore()
    {
        EmailReport report = Analyze(EmlFixtures.Newsletter);

        report.Verdict.ShouldBe(Verdict.Clean);
        report.Score.ShouldBeLessThan(VerdictScorer.SuspiciousThreshold);
        report.Forwarded.ShouldBeFalse();
        report.Reporter.ShouldBeNull();
        report.From.ShouldBe(new EmailAddressInfo("Shop News", "news@shop.example"));
        report.AuthResults.Dmarc!.Result.ShouldBe("pass");
        report.Urls.Select(u => u.Url).ShouldContain("https://www.shop.example/unsubscribe");
    }

    [Fact]
    public void CredentialPhishWithFailingDmarcAndAnchorMismatchIsMalicious()
    {
        EmailReport report = Analyze(EmlFixtures.CredentialPhish);

        report.Verdict.ShouldBe(Verdict.Malicious);
        report.Score.ShouldBeGreaterThanOrEqualTo(VerdictScorer.MaliciousThreshold);
        report.Findings.Select(f => f.Code).ShouldContain("dmarc_fail");
        report.Findings.Select(f => f.Code).ShouldContain("reply_to_mismatch");
        report.Findings.Select(f => f.Code).ShouldContain("url.anchor-mismatch");
    }

    [Fact]
    public void ForgedLowerAuthenticationResultsDoNotMakeThePhishPass()
    {
        EmailReport report = Analyze(EmlFixtures.CredentialPhish);

        report.AuthResults.Dmarc!.Result.ShouldBe("fail");
        report.AuthResults.Ignored.Count.ShouldBe(1);
        report.Findings.Select(f => f.Code).ShouldContain("auth_results_conflict");
    }

    [Fact]
    public void HeaderSummaryHopsAndIpsDescribeTheMessage()
    {
        EmailReport report = Analyze(EmlFixtures.CredentialPhish);

        report.Subject.ShouldBe("Your password expires today");
        report.ReplyTo.ShouldHaveSingleItem().Address.ShouldBe("helpdesk@evil.test");
        report.ReturnPath.ShouldBe("<x@evil.test>");
        report.MessageId.ShouldBe("p1@evil.test");
        report.Date.ShouldBe(new DateTimeOffset(2024, 1, 9, 10, 0, 0, TimeSpan.Zero));
        report.ReceivedHops.Select(h => h.FromIp).ShouldBe(["192.168.1.20", "203.0.113.66"]);
        report.ReceivedHops[1].DelaySeconds.ShouldBe(5);
        report.Ips.Select(ip => ip.Address).ShouldBe(["203.0.113.66", "192.168.1.20"], ignoreOrder: true);
        report.RawHeaders.ShouldStartWith("Received: from relay.evil.test");
        report.RawHeaders.ShouldContain("Subject: Your password expires today\r\n");
    }

    [Fact]
    public void UrlsInAttachmentsNameTheAttachmentTheyCameFrom()
    {
        const string eml = """
            From: Billing <billing@shop.example>
            To: alice@corp.test
            Subject: Your invoice
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/plain

            See the attached invoice.
            --b
            Content-Type: text/html; name="invoice.html"
            Content-Disposition: attachment; filename="invoice.html"

            <html><body><a href="https://pay.evil.test/a">Pay</a> <a href="https://pay.evil.test/b">Now</a></body></html>
            --b
            Content-Type: text/html
            Content-Disposition: attachment

            <html><body><a href="https://unnamed.evil.test/">Open</a></body></html>
            --b--
            """;

        EmailReport report = Analyze(eml);

        report.Urls.Where(u => u.Attachment is not null).Select(u => (u.Url, u.Attachment)).ShouldBe(
        [
            ("https://pay.evil.test/a", "attachment:invoice.html"),
            ("https://pay.evil.test/b", "attachment:invoice.html"),
            ("https://unnamed.evil.test/", "attachment:(no name)"),
        ]);
    }

    [Fact]
    public void TheFirstForwardedMessageIsTheOriginalAndOnlyMailCountsAmongTheOthers()
    {
        string eml = $"""
            From: Alice <alice@corp.test>
            To: soc@corp.test
            Subject: Fwd: three attachments
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"

            --outer
            Content-Type: application/octet-stream; name="notes.eml"
            Content-Disposition: attachment; filename="notes.eml"

            just some notes, no header lines at all
            --outer
            Content-Type: message/rfc822

            {EmlFixtures.Newsletter}
            --outer
            Content-Type: application/octet-stream; name="phish.eml"
            Content-Disposition: attachment; filename="phish.eml"

            {EmlFixtures.CredentialPhish}
            --outer--
            """;

        EmailReport report = Analyze(eml);

        report.Forward!.Kind.ShouldBe("attachment");
        report.Subject.ShouldBe("Our winter sale starts today");
        report.Forward.OtherCandidates.ShouldBe(1);
        report.Reporter!.Address.ShouldBe("alice@corp.test");
    }

    [Theory]
    [InlineData("7bit", "message/rfc822", "phish.eml")]
    [InlineData("base64", "message/rfc822", "phish.eml")]
    [InlineData("base64", "application/octet-stream", "phish.eml")]
    public void ForwardAsAttachmentIsAnalysedAsTheOriginalWithTheForwarderAsReporter(string encoding, string contentType, string fileName)
    {
        EmailReport report = Analyze(EmlFixtures.ForwardAsAttachment(EmlFixtures.CredentialPhish, encoding, contentType, fileName));

        report.Forwarded.ShouldBeTrue();
        report.Forward!.Kind.ShouldBe("attachment");
        report.Reporter.ShouldBe(new EmailAddressInfo("Alice", "alice@corp.test"));
        report.Subject.ShouldBe("Your password expires today");
        report.From!.Address.ShouldBe("helpdesk@corp.test");
        report.AuthResults.Dmarc!.Result.ShouldBe("fail");
        report.ReceivedHops.Count.ShouldBe(2);
        report.Verdict.ShouldBe(Verdict.Malicious);
    }

    [Theory]
    [InlineData("application/vnd.ms-outlook", "phish.msg")]
    [InlineData("application/octet-stream", "Your password expires today.msg")]
    [InlineData("application/vnd.ms-outlook", "attachment.bin")]
    public void AnOutlookMsgAttachedToTheReportIsAnalysedAsTheOriginal(string contentType, string fileName)
    {
        string msg = Convert.ToBase64String(EmlToMsg.Convert(EmlFixtures.Bytes(EmlFixtures.CredentialPhish)), Base64FormattingOptions.InsertLineBreaks);
        string report = EmlFixtures.ForwardAsAttachment(msg, "7bit", contentType, fileName)
            .Replace("Content-Transfer-Encoding: 7bit", "Content-Transfer-Encoding: base64", StringComparison.Ordinal);

        EmailReport analysed = Analyze(report);

        analysed.Forwarded.ShouldBeTrue();
        analysed.Forward!.Kind.ShouldBe("attachment");
        analysed.Reporter.ShouldBe(new EmailAddressInfo("Alice", "alice@corp.test"));
        analysed.Subject.ShouldBe("Your password expires today");
        analysed.From!.Address.ShouldBe("helpdesk@corp.test");
        analysed.Verdict.ShouldBe(Verdict.Malicious);
    }

    [Fact]
    public void AFileNamedMsgThatIsNotAnOutlookMessageStaysAnAttachmentOfTheReport()
    {
        string notOutlook = Convert.ToBase64String("just some bytes, not a compound file"u8.ToArray());
        string report = EmlFixtures.ForwardAsAttachment(notOutlook, "7bit", "application/vnd.ms-outlook", "phish.msg")
            .Replace("Content-Transfer-Encoding: 7bit", "Content-Transfer-Encoding: base64", StringComparison.Ordinal);

        EmailReport analysed = Analyze(report);

        analysed.Forwarded.ShouldBeFalse();
        analysed.Subject.ShouldBe("Fwd: Your password expires today");
        analysed.Attachments.ShouldContain(a => a.Filename == "phish.msg");
    }

    [Fact]
    public void GmailInlineForwardReportsTheQuotedOriginalAndOnlyItsUrls()
    {
        EmailReport report = Analyze(EmlFixtures.GmailInlineForward);

        report.Forwarded.ShouldBeTrue();
        report.Forward!.Kind.ShouldBe("inline");
        report.Forward.Client.ShouldBe("gmail");
        report.Forward.Unrecoverable.ShouldContain("received_hops");
        report.Forward.Unrecoverable.ShouldContain("authentication_results");
        report.Reporter!.Address.ShouldBe("bob@gmail.com");
        report.From.ShouldBe(new EmailAddressInfo("DHL Express", "noreply@dhl-parcel.test"));
        report.Subject.ShouldBe("Parcel on hold");
        report.ReceivedHops.ShouldBeEmpty();
        report.AuthResults.Source.ShouldBe("none");
        report.Urls.Select(u => u.Url).ShouldBe(["https://dhl-parcel.test/fee"]);
        report.Findings.Select(f => f.Code).ShouldContain("forward_inline_unverifiable");
        report.Findings.Select(f => f.Code).ShouldContain("lookalike_sender_domain");
    }

    [Fact]
    public void InlineForwardWithNothingToCheckIsUnknown()
    {
        EmailReport report = Analyze(EmlFixtures.OutlookInlineForwardTextOnly);

        report.Forward!.Client.ShouldBe("outlook");
        report.From!.Address.ShouldBe("dave.ceo@gmail.com");
        report.Verdict.ShouldBe(Verdict.Unknown);
    }

    [Fact]
    public void AttachmentsAreHashedIncludingThoseInsideNestedMessages()
    {
        const string inner = """
            From: a@b.test
            Subject: inner
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="in"

            --in
            Content-Type: text/plain

            see file
            --in
            Content-Type: text/plain; name="note.txt"
            Content-Disposition: attachment; filename="note.txt"

            hello
            --in--
            """;
        string outer = $"""
            From: c@d.test
            Subject: outer
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="out"

            --out
            Content-Type: text/plain

            body
            --out
            Content-Type: application/octet-stream; name="data.bin"
            Content-Disposition: attachment; filename="data.bin"
            Content-Transfer-Encoding: base64

            {Convert.ToBase64String("hello"u8)}
            --out--
            """;

        EmailReport report = Analyze(outer);
        AttachmentSummary data = report.Attachments.ShouldHaveSingleItem();
        data.Filename.ShouldBe("data.bin");
        data.Size.ShouldBe(5);
        data.Md5.ShouldBe("5d41402abc4b2a76b9719d911017c592");
        data.Sha1.ShouldBe("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
        data.Sha256.ShouldBe(HelloSha256);

        // A forward of a message that itself carries a message: the nested one's file is hashed too.
        string doubleNested = EmlFixtures.ForwardAsAttachment(EmlFixtures.ForwardAsAttachment(inner).Replace("From: Alice <alice@corp.test>", "From: Mallory <m@evil.test>", StringComparison.Ordinal));
        EmailReport nested = Analyze(doubleNested);
        nested.Attachments.ShouldContain(a => a.Filename == "phish.eml" && a.Location == "message");
        AttachmentSummary note = nested.Attachments.Single(a => a.Filename == "note.txt");
        note.Location.ShouldBe("message/rfc822 depth 1");
        note.Size.ShouldBe(5);
        note.Sha256.ShouldBe(HelloSha256);
    }

    [Theory]
    [InlineData("")]
    [InlineData("just some words\nno headers here\n")]
    [InlineData("{\"json\": true}")]
    public void InputThatIsNotMailIsRejectedWithOneSentence(string content)
    {
        InvalidInputException error = Should.Throw<InvalidInputException>(() => EmailAnalyzer.Analyze(Encoding.UTF8.GetBytes(content)));

        error.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void OutlookMsgFileIsRejectedWithAnExplanation()
    {
        byte[] msg = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];

        Should.Throw<InvalidInputException>(() => EmailAnalyzer.Analyze(msg)).Message.ShouldContain(".msg");
    }

    [Fact]
    public void OversizedInputIsRejected()
    {
        using var stream = new MemoryStream(new byte[2048]);

        Should.Throw<InvalidInputException>(() => EmailAnalyzer.Analyze(stream, new EmailAnalysisOptions { MaxMessageBytes = 1024 }));
    }

    [Fact]
    public void JsonUsesTheAgreedSnakeCaseFields()
    {
        EmailReport report = Analyze(EmlFixtures.ForwardAsAttachment(EmlFixtures.CredentialPhish));

        using JsonDocument json = JsonDocument.Parse(EmailReportJson.Serialize(report));
        JsonElement root = json.RootElement;
        foreach (string field in new[] { "subject", "from", "reply_to", "return_path", "to", "cc", "date", "message_id", "received_hops", "auth_results", "ips", "urls", "attachments", "forwarded", "reporter", "findings", "verdict", "score", "defects" })
        {
            root.TryGetProperty(field, out _).ShouldBeTrue(field);
        }

        root.GetProperty("verdict").GetString().ShouldBe("malicious");
        root.GetProperty("from").GetProperty("address").GetString().ShouldBe("helpdesk@corp.test");
        root.GetProperty("from").GetProperty("name").GetString().ShouldBe("IT Helpdesk");
        root.GetProperty("date").GetString().ShouldBe("2024-01-09T10:00:00+00:00");
        root.GetProperty("reporter").GetProperty("address").GetString().ShouldBe("alice@corp.test");
        root.GetProperty("findings")[0].GetProperty("severity").ValueKind.ShouldBe(JsonValueKind.String);
        JsonElement url = root.GetProperty("urls")[0];
        url.GetProperty("url").GetString().ShouldBe("https://login.evil.test/o365");
        url.GetProperty("source").GetString().ShouldBe("html_href");
        url.GetProperty("display_text").GetString().ShouldBe("https://login.microsoftonline.com/");
        JsonElement attachment = root.GetProperty("attachments").EnumerateArray().FirstOrDefault();
        attachment.ValueKind.ShouldBe(JsonValueKind.Undefined);
        root.GetProperty("received_hops")[1].GetProperty("delay_seconds").GetInt64().ShouldBe(5);
    }
}
