using System.Text;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Mail;
using ChatOpsBot.TestSupport;
using Xunit.Abstractions;

namespace ChatOpsBot.Mail.Tests.Outlook;

/// <summary>
/// The same message as .eml and as .msg gives the same EmailReport. Every field that may differ is listed with its
/// reason in <see cref="Explained"/>; any other difference fails.
/// </summary>
public class MsgEmlEquivalenceTests(ITestOutputHelper output)
{
    private const string Phish =
        "Received: from mail.evil.example (mail.evil.example [203.0.113.9]) by mx.corp.example with ESMTPS id abc; Tue, 1 Apr 2025 09:59:58 +0000\r\n" +
        "Received: from [10.0.0.5] by mail.evil.example; Tue, 1 Apr 2025 09:59:50 +0000\r\n" +
        "Authentication-Results: mx.corp.example; spf=fail smtp.mailfrom=evil.example; dkim=none; dmarc=fail header.from=paypa1.example\r\n" +
        "From: \"PayPal Security\" <security@paypa1.example>\r\n" +
        "Reply-To: collect@evil.example\r\n" +
        "To: \"Alice\" <alice@corp.example>, bob@corp.example\r\n" +
        "Cc: carol@corp.example\r\n" +
        "Subject: =?utf-8?q?Ihr_Konto_wurde_eingeschr=C3=A4nkt?=\r\n" +
        "Date: Tue, 1 Apr 2025 09:59:40 +0000\r\n" +
        "Message-ID: <phish-1@evil.example>\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n" +
        "--outer\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n" +
        "--alt\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
        "Best=C3=A4tigen Sie: https://paypa1.example/verify?id=7\r\n" +
        "--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
        "<p>Best\u00e4tigen Sie <a href=\"https://evil.example/x\">https://www.paypal.com/verify</a></p>\r\n" +
        "--alt--\r\n" +
        "--outer\r\nContent-Type: application/pdf; name=\"Rechnung.pdf\"\r\nContent-Disposition: attachment; filename=\"Rechnung.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
        "JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoKdHJhaWxlcgo8PC9Sb290IDEgMCBSPj4KJSVFT0YK\r\n" +
        "--outer\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=utf-8''%D0%A0%D0%B0%D1%85%D1%83%D0%BD%D0%BE%D0%BA.html\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
        "PGZvcm0gYWN0aW9uPSJodHRwczovL2V2aWwuZXhhbXBsZS9zdGVhbCI+PGlucHV0IHR5cGU9InBhc3N3b3JkIj48L2Zvcm0+\r\n" +
        "--outer--\r\n";

    private static string Forward(string original) =>
        "From: Alice <alice@corp.example>\r\nTo: soc@corp.example\r\nSubject: FW: suspicious\r\nDate: Tue, 1 Apr 2025 10:05:00 +0000\r\n" +
        "Message-ID: <fw-1@corp.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"fw\"\r\n\r\n" +
        "--fw\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nPlease check the attached mail.\r\n" +
        "--fw\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"suspicious.eml\"\r\n\r\n" +
        original + "\r\n--fw--\r\n";

    /// <summary>Fields that may differ between the two, and why.</summary>
    private static readonly Dictionary<string, string> s_explained = new(StringComparer.Ordinal)
    {
        ["attachment hash of message/rfc822"] =
            "an embedded message is hashed as bytes; the .msg holds the message's properties, not its original MIME bytes, so the reader writes new MIME",
        ["verdict or score, by mime structure defects"] = "the findings of those MIME defects counted in the .eml's score",
        ["raw_headers"] = "the original Content-Type (and Content-Transfer-Encoding) is replaced in place by the reader's multipart/mixed one (7bit); MIME-Version is added when missing",
        ["mime structure defects"] =
            "defects of the original MIME structure (boundaries, encodings) do not survive Outlook's storage: Outlook already parsed the MIME; with them go their findings and so possibly the score and verdict",
    };

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    public void APhishAsMsgGivesTheSameReportAsAsEml(int sectorSize)
    {
        byte[] eml = Encoding.UTF8.GetBytes(Phish);

        EmailReport fromEml = EmailAnalyzer.Analyze(eml);
        EmailReport fromMsg = EmailAnalyzer.Analyze(OutlookReaderTests.Read(EmlToMsg.Convert(eml, sectorSize)));

        fromEml.Attachments.Count.ShouldBe(2);
        fromEml.Verdict.ShouldNotBe(Verdict.Clean);
        Differences(fromEml, fromMsg).ShouldBe(["raw_headers"]);
    }

    [Fact]
    public void AForwardAsMsgIsUnwrappedLikeTheEml()
    {
        byte[] eml = Encoding.UTF8.GetBytes(Forward(Phish));

        EmailReport fromEml = EmailAnalyzer.Analyze(eml);
        EmailReport fromMsg = EmailAnalyzer.Analyze(OutlookReaderTests.Read(EmlToMsg.Convert(eml)));

        fromEml.Forwarded.ShouldBeTrue();
        fromMsg.Forwarded.ShouldBeTrue();
        fromMsg.Reporter.ShouldBe(fromEml.Reporter);
        Differences(fromEml, fromMsg).ShouldBe(["raw_headers"]);
    }

    [SharedFolderFact]
    public void CorpusMessagesAsMsgGiveTheSameReportsExceptForExplainedFields()
    {
        string root = SharedFolder.PathTo("corpus/mail/eml_analyzer");
        List<string> files = Directory.EnumerateFiles(root, "*.eml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var unexplained = new List<string>();
        var tally = new Dictionary<string, int>(StringComparer.Ordinal);
        int compared = 0;
        foreach (string file in files)
        {
            byte[] eml = File.ReadAllBytes(file);
            EmailReport fromEml;
            try
            {
                fromEml = EmailAnalyzer.Analyze(eml);
            }
            catch (ChatOpsBot.Analysis.Common.InvalidInputException)
            {
                continue; // not mail at all: nothing to compare
            }

            EmailReport fromMsg = EmailAnalyzer.Analyze(OutlookReaderTests.Read(EmlToMsg.Convert(eml)));
            compared++;
            foreach (string difference in Differences(fromEml, fromMsg))
            {
                tally[difference] = tally.GetValueOrDefault(difference) + 1;
                if (!s_explained.ContainsKey(difference))
                {
                    unexplained.Add($"{Path.GetRelativePath(root, file)}: {difference}");
                }
            }
        }

        output.WriteLine($"{compared} messages compared");
        foreach ((string field, int count) in tally.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{field}: {count} message(s); {s_explained.GetValueOrDefault(field, "UNEXPLAINED")}");
        }

        unexplained.ShouldBeEmpty();
        compared.ShouldBeGreaterThan(50);
    }

    /// <summary>Names of the report fields that differ.</summary>
    internal static List<string> Differences(EmailReport eml, EmailReport msg)
    {
        var differences = new List<string>();
        void Check(string name, bool same)
        {
            if (!same)
            {
                differences.Add(name);
            }
        }

        bool mimeDefects = eml.Findings.Any(f => f.Code.StartsWith("mime_", StringComparison.Ordinal));
        Check("subject", eml.Subject == msg.Subject);
        Check("from", eml.From == msg.From);
        Check("sender", eml.Sender == msg.Sender);
        Check("reply_to", eml.ReplyTo.SequenceEqual(msg.ReplyTo));
        Check("return_path", eml.ReturnPath == msg.ReturnPath);
        Check("to", eml.To.SequenceEqual(msg.To));
        Check("cc", eml.Cc.SequenceEqual(msg.Cc));
        Check("date", eml.Date == msg.Date);
        Check("message_id", eml.MessageId == msg.MessageId);
        Check("received_hops", eml.ReceivedHops.Count == msg.ReceivedHops.Count);
        Check("auth_results", eml.AuthResults.Spf == msg.AuthResults.Spf && eml.AuthResults.Dkim.SequenceEqual(msg.AuthResults.Dkim) && eml.AuthResults.Dmarc == msg.AuthResults.Dmarc);
        Check("ips", eml.Ips.Select(i => (i.Address, i.Scope, string.Join(",", i.SeenIn))).SequenceEqual(msg.Ips.Select(i => (i.Address, i.Scope, string.Join(",", i.SeenIn)))));
        Check("urls", eml.Urls.Select(u => (u.Url, u.Source, u.DisplayText)).SequenceEqual(msg.Urls.Select(u => (u.Url, u.Source, u.DisplayText))));
        Check("forwarded", eml.Forwarded == msg.Forwarded && eml.Reporter == msg.Reporter);
        Check("attachments", eml.Attachments.Select(a => (a.Filename, a.ContentType, a.Location)).SequenceEqual(msg.Attachments.Select(a => (a.Filename, a.ContentType, a.Location))));
        bool filesSame = eml.Attachments.Count == msg.Attachments.Count && eml.Attachments.Zip(msg.Attachments).All(p =>
            p.First.ContentType is "message/rfc822" or "message/global" || (p.First.Sha256 == p.Second.Sha256 && p.First.Size == p.Second.Size && p.First.Md5 == p.Second.Md5));
        Check("attachment hashes", filesSame);
        if (eml.Attachments.Count == msg.Attachments.Count && eml.Attachments.Zip(msg.Attachments).Any(p => p.First.ContentType is "message/rfc822" && p.First.Sha256 != p.Second.Sha256))
        {
            differences.Add("attachment hash of message/rfc822");
        }

        static IEnumerable<string> Codes(EmailReport r, bool withMime) =>
            r.Findings.Select(f => $"{f.Code}/{f.Severity}").Where(c => withMime || !c.StartsWith("mime_", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

        bool findingsSame = Codes(eml, withMime: false).SequenceEqual(Codes(msg, withMime: false));
        bool mimeFindingsSame = Codes(eml, withMime: true).SequenceEqual(Codes(msg, withMime: true));
        bool verdictSame = eml.Verdict == msg.Verdict && eml.Score == msg.Score;
        Check("findings", findingsSame);
        if (!mimeFindingsSame && findingsSame && mimeDefects)
        {
            differences.Add("mime structure defects");
            if (!verdictSame)
            {
                differences.Add("verdict or score, by mime structure defects");
            }
        }
        else if (!verdictSame || !mimeFindingsSame)
        {
            Check("verdict", verdictSame);
            Check("mime findings", mimeFindingsSame);
        }

        Check("raw_headers", eml.RawHeaders == msg.RawHeaders);
        return differences;
    }
}
