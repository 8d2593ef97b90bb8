using System.Text;
using System.Text.Json;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Analysis.Tests.EmailForensics.Report;
using ChatOpsBot.Mail;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Headers;

/// <summary>
/// The header steps read a parsed message's headers in place (a value decoded only when its name calls for it) and must
/// answer exactly as they do over the name/value pairs the public entry points take.
/// </summary>
public class HeaderFieldsTests
{
    private const string Message = """
        Received: from mx.corp.test (mx.corp.test [10.0.0.5]) by mailbox.corp.test with ESMTPS id 77; Mon, 8 Jan 2024 09:00:03 +0000
        ARC-Authentication-Results: i=1; mx.corp.test; spf=pass smtp.mailfrom=shop.example
        Authentication-Results: mx.corp.test;
          spf=fail smtp.mailfrom=bounce.shop.example;
          dkim=pass header.d=shop.example; dmarc=pass header.from=shop.example
        DKIM-Signature: v=1; a=rsa-sha256; d=shop.example; b=192.0.2.1
         abc 198.51.100.200 def
        X-Microsoft-Antispam-Message-Info: =?utf-8?B?MjAzLjAuMTEzLjk=?= 203.0.113.9
        Received: from out.shop.example (out.shop.example [198.51.100.20]) by mx.corp.test with ESMTPS id 42; Mon, 8 Jan 2024 09:00:01 +0000
        Authentication-Results: other.test; spf=pass smtp.mailfrom=shop.example
        Received-SPF: pass (mx.corp.test: domain of shop.example designates 198.51.100.20 as permitted sender) client-ip=198.51.100.20; envelope-from=<a@shop.example>
        X-Originating-IP: [2001:db8::25]
        X-Note: caf=C3=A9 =?utf-8?Q?caf=C3=A9?= from 192.0.2.77
        X-Relay: =?utf-8?B?cmVsYXkgMTkyLjAuMi41NQ==?=
        this line has no colon 192.0.2.88
        From: Shop News <news@shop.example>
        Subject: Sale 203.0.113.10
        Message-ID: <1.2.3.4@shop.example>
        Content-Type: text/plain

        body
        """;

    [Theory]
    [InlineData(null)]
    [InlineData("other.test")]
    [InlineData("mx.corp.test")]
    public void HandWrittenHeadersGiveTheSameResultsInPlaceAsAsPairs(string? trusted) =>
        AssertSameResults(EmlFixtures.Bytes(Message), trusted is null ? null : [trusted]);

    [Fact]
    public void EightBitHeaderValuesGiveTheSameResultsInPlaceAsAsPairs()
    {
        byte[] latin1 = Encoding.Latin1.GetBytes("Received: from h\u00e9te (h [192.0.2.9]) by x; Mon, 8 Jan 2024 09:00:03 +0000\r\nX-Info: na\u00efve 192.0.2.10\r\nSubject: x\r\n\r\nbody\r\n");
        AssertSameResults(latin1, null);
    }

    [SharedFolderFact]
    public void CorpusMessagesGiveTheSameResultsInPlaceAsAsPairs()
    {
        int compared = 0;
        foreach (string corpus in (string[])["sublime", "eml_analyzer", "mimekit", "stalwart"])
        {
            foreach (string file in EmailCorpusTests.MessageFiles(corpus))
            {
                AssertSameResults(File.ReadAllBytes(file), null);
                compared++;
            }
        }

        compared.ShouldBeGreaterThan(150);
    }

    private static void AssertSameResults(byte[] bytes, IReadOnlyCollection<string>? trusted)
    {
        // Each side gets its own parse, so the pairs' reading every value cannot prepare anything for the in-place side.
        MimeMessage message = MimeMessage.Load(bytes);
        List<KeyValuePair<string, string>> pairs = [.. MimeMessage.Load(bytes).Headers.Select(h => new KeyValuePair<string, string>(h.Field, h.Value))];

        Json(AuthenticationEvaluator.Evaluate(new MimeHeaderFields(message.Headers), trusted))
            .ShouldBe(Json(AuthenticationEvaluator.Evaluate(pairs, trusted)));
        Json(HeaderIpScanner.Scan(new MimeHeaderFields(message.Headers)))
            .ShouldBe(Json(HeaderIpScanner.Scan(pairs)));
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
