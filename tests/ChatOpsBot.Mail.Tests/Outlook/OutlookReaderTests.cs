using System.Security.Cryptography;
using System.Text;
using ChatOpsBot.Mail;

namespace ChatOpsBot.Mail.Tests.Outlook;

public class OutlookReaderTests
{
    private const ushort Subject = 0x0037;
    private const ushort SubmitTime = 0x0039;
    private const ushort RepresentingName = 0x0042;
    private const ushort RepresentingSmtp = 0x5D02;
    private const ushort SenderName = 0x0C1A;
    private const ushort SenderAddressType = 0x0C1E;
    private const ushort SenderEmail = 0x0C1F;
    private const ushort SenderSmtp = 0x5D01;
    private const ushort TransportHeaders = 0x007D;
    private const ushort Body = 0x1000;
    private const ushort Rtf = 0x1009;
    private const ushort Html = 0x1013;
    private const ushort MessageId = 0x1035;
    private const ushort InReplyTo = 0x1042;
    private const ushort MessageCodePage = 0x3FFD;
    private const ushort InternetCodePage = 0x3FDE;
    private const ushort MessageClass = 0x001A;

    internal static MimeMessage Read(byte[] msg, OutlookReaderOptions? options = null)
    {
        OutlookReadResult result = OutlookMessageReader.Read(msg, options);
        result.Problem.ShouldBeNull();
        return result.Message.ShouldNotBeNull();
    }

    internal static byte[] Pseudorandom(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void TransportHeadersAreTheMessageHeadersAndTheirMimeStructureIsReplacedByOurs()
    {
        const string headers =
            "Received: from mx.evil.example ([203.0.113.7]) by mx.corp.example; Tue, 1 Apr 2025 10:00:00 +0000\r\n" +
            "From: \"Payroll\" <payroll@evil.example>\r\n" +
            "To: alice@corp.example\r\n" +
            "Subject: =?utf-8?b?R2VoYWx0IMOcYmVyd2Vpc3VuZw==?=\r\n" +
            "Message-ID: <abc@evil.example>\r\n" +
            "MIME-Version: 1.0\r\n" +
            "Content-Type: multipart/alternative;\r\n\tboundary=\"original\"\r\n" +
            "Date: Tue, 1 Apr 2025 10:00:00 +0000\r\n\r\n";
        byte[] msg = new MsgBuilder()
            .Text(MessageClass, "IPM.Note")
            .Text(TransportHeaders, headers)
            .Text(Subject, "Gehalt Überweisung")
            .Text(Body, "Please see https://evil.example/pay")
            .Build();

        OutlookReadResult result = OutlookMessageReader.Read(msg);
        MimeMessage message = result.Message.ShouldNotBeNull();

        result.MessageClass.ShouldBe("IPM.Note");
        message.Subject.ShouldBe("Gehalt Überweisung");
        message.From.Mailboxes.Single().Address.ShouldBe("payroll@evil.example");
        message.MessageId.ShouldBe("abc@evil.example");
        message.Headers.FindAll("Received").Count().ShouldBe(1);
        message.Headers.FindAll("Content-Type").Count().ShouldBe(1);
        message.Body.ContentType.MimeType.ShouldBe("multipart/mixed");
        message.Headers.Any(h => h.RawValue.Contains("original", StringComparison.Ordinal)).ShouldBeFalse();
        message.TextBody.ShouldBe("Please see https://evil.example/pay");
        message.EnumerateAllDefects().ShouldBeEmpty();
    }

    [Fact]
    public void WithoutTransportHeadersTheHeadersAreBuiltFromTheProperties()
    {
        var sent = new DateTimeOffset(2025, 4, 1, 8, 30, 15, TimeSpan.Zero);
        byte[] msg = new MsgBuilder()
            .Text(Subject, "Rechnung 💶 Nr. 5")
            .Text(RepresentingName, "Boss, The")
            .Text(RepresentingSmtp, "ceo@corp.example")
            .Text(SenderName, "Assistant")
            .Text(SenderSmtp, "assistant@corp.example")
            .Time(SubmitTime, sent)
            .Text(MessageId, "<id-1@corp.example>")
            .Text(InReplyTo, "<id-0@corp.example>")
            .Recipient(1, "Alice Ä", "alice@corp.example")
            .Recipient(1, null, "bob@corp.example")
            .Recipient(2, "Carol", "carol@corp.example")
            .Recipient(3, "Dave", "dave@corp.example")
            .Build();

        MimeMessage message = Read(msg);

        message.Subject.ShouldBe("Rechnung 💶 Nr. 5");
        MailboxAddress from = message.From.Mailboxes.Single();
        from.Name.ShouldBe("Boss, The");
        from.Address.ShouldBe("ceo@corp.example");
        message.Sender.ShouldNotBeNull().Address.ShouldBe("assistant@corp.example");
        message.To.Mailboxes.Select(m => (m.Name, m.Address)).ShouldBe([("Alice Ä", "alice@corp.example"), (null, "bob@corp.example")]);
        message.Cc.Mailboxes.Single().Address.ShouldBe("carol@corp.example");
        message.Bcc.Mailboxes.Single().Address.ShouldBe("dave@corp.example");
        message.Date.ShouldBe(sent);
        message.MessageId.ShouldBe("id-1@corp.example");
        message.Headers["In-Reply-To"].ShouldBe("<id-0@corp.example>");
        message.EnumerateAllDefects().ShouldBeEmpty();
    }

    [Fact]
    public void WithoutRecipientRowsTheDisplayListsAreKeptAsEvidenceNotAsAddresses()
    {
        byte[] msg = new MsgBuilder()
            .Text(Subject, "x")
            .Text(0x0E04, "Alice Example; Bob Example")
            .Text(0x0E03, "Carol")
            .Build();

        MimeMessage message = Read(msg);

        message.To.Mailboxes.ShouldBeEmpty();
        message.Headers["X-Outlook-Display-To"].ShouldBe("Alice Example; Bob Example");
        message.Headers["X-Outlook-Display-Cc"].ShouldBe("Carol");
    }

    [Fact]
    public void AnExchangeSenderWithoutSmtpAddressKeepsItsNameAndNoAddressIsInvented()
    {
        byte[] msg = new MsgBuilder()
            .Text(Subject, "x")
            .Text(SenderName, "Mallory")
            .Text(SenderAddressType, "EX")
            .Text(SenderEmail, "/O=CORP/OU=EXCHANGE/CN=RECIPIENTS/CN=MALLORY")
            .Build();

        MimeMessage message = Read(msg);

        message.From.Mailboxes.ShouldBeEmpty();
        message.Headers["From"].ShouldNotBeNull().ShouldContain("Mallory");
    }

    [Fact]
    public void EightBitStringsAreDecodedWithTheMessageCodePage()
    {
        var builder = new MsgBuilder { EightBit = CodePagesEncoding(1251) };
        byte[] msg = builder
            .Int(MessageCodePage, 1251)
            .Text8(Subject, "Счёт на оплату")
            .Text8(Body, "Оплатите по ссылке https://pay.example/р")
            .Text8(RepresentingName, "Бухгалтерия")
            .Text8(RepresentingSmtp, "buh@corp.example")
            .Recipient(1, null, "alice@corp.example")
            .Attach(null, "application/pdf", [1], more: a =>
            {
                a.EightBit = CodePagesEncoding(1251);
                a.Text8(0x3707, "Счёт №5.pdf");
            })
            .Build();

        MimeMessage message = Read(msg);

        ((MimePart)message.Attachments.Single()).FileName.ShouldBe("Счёт №5.pdf");
        message.Subject.ShouldBe("Счёт на оплату");
        message.TextBody.ShouldBe("Оплатите по ссылке https://pay.example/р");
        message.From.Mailboxes.Single().Name.ShouldBe("Бухгалтерия");
    }

    [Fact]
    public void UnicodeStringsWinOverEightBitOnesAndStopAtTheFirstNul()
    {
        byte[] msg = new MsgBuilder()
            .Text8(Subject, "eight-bit")
            .Text(Subject, "unicode\0hidden")
            .Build();

        Read(msg).Subject.ShouldBe("unicode");
    }

    [Fact]
    public void HtmlBodyKeepsItsBytesAndInternetCodePage()
    {
        byte[] html = CodePagesEncoding(1252).GetBytes("<p>Café <a href=\"https://evil.example/x\">log in</a></p>");
        byte[] msg = new MsgBuilder()
            .Int(InternetCodePage, 1252)
            .Bytes(Html, html)
            .Text(Body, "Café log in")
            .Build();

        MimeMessage message = Read(msg);

        message.HtmlBody.ShouldBe("<p>Café <a href=\"https://evil.example/x\">log in</a></p>");
        message.TextBody.ShouldBe("Café log in");
        message.BodyParts.OfType<TextPart>().Single(p => p.IsHtml).ContentType.Charset.ShouldBe("windows-1252");
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    public void AttachmentsOnBothSidesOfTheMiniStreamCutoffReadBackExactly(int sectorSize)
    {
        int[] sizes = [0, 1, 63, 64, 65, 4095, 4096, 4097, 100_000];
        var builder = new MsgBuilder().Text(Subject, "sizes");
        for (int i = 0; i < sizes.Length; i++)
        {
            builder.Attach($"file{i}.bin", "application/octet-stream", Pseudorandom(sizes[i], i));
        }

        MimeMessage message = Read(builder.Build(sectorSize));

        var parts = message.Attachments.Cast<MimePart>().ToList();
        parts.Select(p => p.FileName).ShouldBe(sizes.Select((_, i) => $"file{i}.bin"));
        for (int i = 0; i < sizes.Length; i++)
        {
            SHA256.HashData(parts[i].GetContentBytes()).ShouldBe(SHA256.HashData(Pseudorandom(sizes[i], i)), $"attachment of {sizes[i]} bytes");
        }

        message.EnumerateAllDefects().ShouldBeEmpty();
    }

    [Fact]
    public void AFileWhoseFatNeedsDifatSectorsReadsBackExactly()
    {
        // 109 FAT sectors of 512 bytes cover 13,952 sectors (about 6.8 MiB); 8 MiB needs the DIFAT chain.
        byte[] big = Pseudorandom(8 * 1024 * 1024, 7);
        byte[] msg = new MsgBuilder().Text(Subject, "big").Attach("big.bin", null, big).Build();

        MimeMessage message = Read(msg);

        ((MimePart)message.Attachments.Single()).GetContentBytes().AsSpan().SequenceEqual(big).ShouldBeTrue();
        message.EnumerateAllDefects().ShouldBeEmpty();
    }

    [Fact]
    public void AttachmentNamesPreferTheLongNameThenTheShortThenTheDisplayName()
    {
        byte[] msg = new MsgBuilder()
            .Attach("Quarterly report 2025.xlsm", "application/vnd.ms-excel.sheet.macroEnabled.12", [1], shortName: "QUARTE~1.XLS")
            .Attach(null, "application/pdf", [2], shortName: "INVOICE.PDF")
            .Attach(null, null, [3], more: a => a.Text(0x3001, "display only.txt"))
            .Attach("Рахунок №5 \"final\".pdf.exe", "application/x-msdownload", [4])
            .Attach("weird-type.bin", "text/html; x=\"\r\nX-Injected: 1", [5])
            .Build();

        MimeMessage message = Read(msg);

        var parts = message.Attachments.Cast<MimePart>().ToList();
        parts.Select(p => p.FileName).ShouldBe(["Quarterly report 2025.xlsm", "INVOICE.PDF", "display only.txt", "Рахунок №5 \"final\".pdf.exe", "weird-type.bin"]);
        parts.Select(p => p.ContentType.MimeType).ShouldBe(["application/vnd.ms-excel.sheet.macroenabled.12", "application/pdf", "application/octet-stream", "application/x-msdownload", "application/octet-stream"]);
        parts.SelectMany(p => p.Headers).ShouldNotContain(h => h.Field == "X-Injected");
    }

    [Fact]
    public void InlineAttachmentsKeepTheirContentId()
    {
        byte[] msg = new MsgBuilder()
            .Attach("logo.png", "image/png", [0x89, 0x50, 0x4E, 0x47], more: a => a.Text(0x3712, "logo@01D2").Bool(0x7FFE, true))
            .Build();

        MimePart part = Read(msg).BodyParts.OfType<MimePart>().Single();

        part.ContentId.ShouldBe("logo@01D2");
        part.ContentDisposition.ShouldNotBeNull().Disposition.ShouldBe("inline");
    }

    [Fact]
    public void CompressedRtfSpecExampleOneDecompresses()
    {
        // MS-OXRTFCP 4.1.1, "Example 1: Simple Compressed RTF".
        byte[] compressed =
        [
            0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5, 0xc7, 0xa7,
            0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20,
            0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f, 0xa0,
        ];
        var defects = new List<MimeDefect>();

        byte[]? rtf = CompressedRtf.Decompress(compressed, 1 << 20, defects);

        Encoding.ASCII.GetString(rtf.ShouldNotBeNull()).ShouldBe("{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n");
        defects.ShouldBeEmpty();
    }

    [Fact]
    public void CompressedRtfSpecExampleTwoReadsAcrossTheWritePosition()
    {
        // MS-OXRTFCP 4.1.2, "Example 2: Reading a Token from the Dictionary that Crosses WritePosition".
        byte[] compressed =
        [
            0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xe2, 0xd4, 0x4b, 0x51,
            0x41, 0x00, 0x04, 0x20, 0x57, 0x58, 0x59, 0x5a, 0x0d, 0x6e, 0x7d, 0x01, 0x0e, 0xb0,
        ];
        var defects = new List<MimeDefect>();

        byte[]? rtf = CompressedRtf.Decompress(compressed, 1 << 20, defects);

        Encoding.ASCII.GetString(rtf.ShouldNotBeNull()).ShouldBe("{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}");
        defects.ShouldBeEmpty();
    }

    [Fact]
    public void ACorruptedCompressedRtfIsADefectNotAnException()
    {
        byte[] compressed = RtfFixtures.CompressLiterals("{\\rtf1\\ansi hello}");
        compressed[20] ^= 0x40;
        var defects = new List<MimeDefect>();

        CompressedRtf.Decompress(compressed, 1 << 20, defects);

        defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidCompressedRtf && d.Message.Contains("CRC", StringComparison.Ordinal));
    }

    internal const string EncapsulatedHtml =
        "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\r\n" +
        "{\\*\\htmltag19 <html>}{\\*\\htmltag50 <body>}\\htmlrtf {\\htmlrtf0 \r\n" +
        "{\\*\\htmltag64 <p>}Dear customer, caf\\'e9 \\u8364? total\\htmlrtf\\par\\htmlrtf0 \r\n" +
        "{\\*\\htmltag84 <a href=\"https://evil.example/login?a=1&amp;b=2\">}\\htmlrtf {\\field{\\*\\fldinst HYPERLINK \"https://evil.example/login\"}{\\fldrslt\\htmlrtf0 sign in\\htmlrtf }}\\htmlrtf0 {\\*\\htmltag92 </a>}" +
        "{\\*\\htmltag72 </p>}\\htmlrtf }\\htmlrtf0 {\\*\\htmltag58 </body>}{\\*\\htmltag27 </html>}}";

    [Fact]
    public void HtmlIsDeencapsulatedFromCompressedRtfWhenItIsTheOnlyHtml()
    {
        byte[] msg = new MsgBuilder()
            .Text(Subject, "rtf only")
            .Bytes(Rtf, RtfFixtures.CompressLiterals(EncapsulatedHtml))
            .Build();

        MimeMessage message = Read(msg);

        message.HtmlBody.ShouldBe("<html><body><p>Dear customer, café € totalsign in</a></p></body></html>".Replace("sign in</a>", "<a href=\"https://evil.example/login?a=1&amp;b=2\">sign in</a>", StringComparison.Ordinal));
        message.TextBody.ShouldBeNull();
        message.EnumerateAllDefects().ShouldBeEmpty();
    }

    [Fact]
    public void NativeRtfBecomesTextWithItsHyperlinkTargets()
    {
        const string rtf = "{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red0\\green0\\blue0;}\\pard Click {\\field{\\*\\fldinst HYPERLINK \"https://evil.example/a\"}{\\fldrslt here}}\\par Thanks\\tab bye}";
        byte[] msg = new MsgBuilder().Bytes(Rtf, RtfFixtures.Stored(rtf)).Build();

        string text = Read(msg).TextBody.ShouldNotBeNull();

        text.ShouldBe("Click HYPERLINK \"https://evil.example/a\"here\r\nThanks\tbye");
    }

    [Fact]
    public void RtfEscapesAreDecodedWithTheDocumentCodePage()
    {
        const string rtf = "{\\rtf1\\ansi\\ansicpg1251\\fromhtml1 {\\*\\htmltag64 <p>}\\'d1\\'f7\\'b8\\'f2 {\\*\\htmltag72 </p>}}";
        byte[] msg = new MsgBuilder().Bytes(Rtf, RtfFixtures.CompressLiterals(rtf)).Build();

        Read(msg).HtmlBody.ShouldBe("<p>Счёт </p>");
    }

    [Fact]
    public void EncapsulatedPlainTextBecomesTheTextBody()
    {
        const string rtf = "{\\rtf1\\ansi\\fromtext \\deff0{\\fonttbl{\\f0 Courier;}}\\htmlrtf{\\htmlrtf0 Line one\\par Line two}\\htmlrtf0}";
        byte[] msg = new MsgBuilder().Bytes(Rtf, RtfFixtures.CompressLiterals(rtf)).Build();

        MimeMessage message = Read(msg);

        message.TextBody.ShouldBe("Line one\r\nLine two");
        message.HtmlBody.ShouldBeNull();
    }

    [Fact]
    public void AnRtfBodyDoesNotReplaceAnHtmlBodyThatIsPresent()
    {
        byte[] msg = new MsgBuilder()
            .Bytes(Html, Encoding.UTF8.GetBytes("<p>the real one</p>"))
            .Int(InternetCodePage, 65001)
            .Bytes(Rtf, RtfFixtures.CompressLiterals(EncapsulatedHtml))
            .Build();

        Read(msg).HtmlBody.ShouldBe("<p>the real one</p>");
    }

    [Fact]
    public void EmbeddedMessagesBecomeMessageRfc822PartsRecursively()
    {
        MsgBuilder innermost = new MsgBuilder()
            .Text(TransportHeaders, "From: attacker@evil.example\r\nSubject: innermost\r\n")
            .Text(Body, "payload")
            .Attach("dropper.js", "application/javascript", Encoding.ASCII.GetBytes("WScript.Shell"));
        MsgBuilder inner = new MsgBuilder()
            .Text(Subject, "inner")
            .Text(RepresentingName, "Victim")
            .Text(RepresentingSmtp, "victim@corp.example")
            .Embed(innermost, "FW: innermost");
        byte[] msg = new MsgBuilder().Text(Subject, "outer").Text(Body, "see attached").Embed(inner, "inner.msg").Build();

        MimeMessage message = Read(msg);

        MessagePart innerPart = message.Attachments.OfType<MessagePart>().Single();
        innerPart.FileName.ShouldBe("inner.msg");
        innerPart.Message.Subject.ShouldBe("inner");
        innerPart.Message.From.Mailboxes.Single().Address.ShouldBe("victim@corp.example");
        MimeMessage deepest = innerPart.Message.Attachments.OfType<MessagePart>().Single().Message;
        deepest.Subject.ShouldBe("innermost");
        deepest.TextBody.ShouldBe("payload");
        ((MimePart)deepest.Attachments.Single()).FileName.ShouldBe("dropper.js");
        message.EnumerateAllDefects().ShouldBeEmpty();
    }

    [Fact]
    public void DefectsOfAnEmbeddedMessageAreRecordedOnThatMessage()
    {
        MsgBuilder inner = new MsgBuilder().Text(Subject, "inner").Bytes(Rtf, [1, 2, 3]);
        byte[] msg = new MsgBuilder().Text(Subject, "outer").Embed(inner).Build();

        MimeMessage message = Read(msg);

        message.Defects.ShouldBeEmpty();
        MimeMessage innerMessage = message.Attachments.OfType<MessagePart>().Single().Message;
        innerMessage.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidCompressedRtf);
    }

    [Fact]
    public void HostilePropertyValuesCannotAddHeaders()
    {
        byte[] msg = new MsgBuilder()
            .Text(Subject, "Hello\r\nBcc: exfil@evil.example\r\n\r\nContent-Type: text/html\r\n\r\n<script>")
            .Text(RepresentingName, "CEO\"\r\nReply-To: evil@evil.example")
            .Text(RepresentingSmtp, "ceo@corp.example>, evil@evil.example")
            .Text(MessageId, "<x@y>\r\nX-Injected: 1")
            .Text(Body, "body")
            .Build();

        MimeMessage message = Read(msg);

        message.Headers.Select(h => h.Field).ShouldNotContain("Bcc");
        message.Headers.Select(h => h.Field).ShouldNotContain("Reply-To");
        message.Headers.Select(h => h.Field).ShouldNotContain("X-Injected");
        message.Subject.ShouldNotBeNull().ShouldStartWith("Hello  Bcc: exfil@evil.example");
        message.From.Mailboxes.ShouldBeEmpty();
        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidAddress);
        message.BodyParts.OfType<TextPart>().Single().Text.ShouldBe("body");
    }

    [Fact]
    public void TransportHeadersCannotSmuggleMimePartsPastTheBoundary()
    {
        // The attacker does not know the boundary (it hashes the headers), so guesses fail; a line that is no header
        // ends the header block, the rest becomes preamble, and the blank line cuts the transport headers.
        byte[] probe = new MsgBuilder().Text(TransportHeaders, "From: a@evil.example\r\n").Text(Body, "real body").Build();
        string guessed = ((Multipart)Read(probe).Body).Boundary;
        string headers =
            $"From: a@evil.example\r\nSubject: smuggle\r\nX-Junk: --{guessed}\r\n" +
            $"not a header line\r\n--{guessed}\r\nContent-Type: text/html\r\n\r\n--{guessed}\r\n<p>fake body</p>\r\n";
        byte[] msg = new MsgBuilder().Text(TransportHeaders, headers).Text(Body, "real body").Build();

        MimeMessage message = Read(msg);

        message.TextBody.ShouldBe("real body");
        message.HtmlBody.ShouldBeNull();
        ((Multipart)message.Body).Boundary.ShouldNotBe(guessed);
        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidOutlookProperty);
    }

    [Fact]
    public void TransportHeadersBeyondTheHeaderLimitsAreCutSoTheStructureSurvives()
    {
        string headers = "From: a@evil.example\r\nSubject: many\r\n" + string.Concat(Enumerable.Range(0, 3000).Select(i => $"X-Filler-{i}: {new string('x', 500)}\r\n"));
        byte[] msg = new MsgBuilder().Text(TransportHeaders, headers).Text(Body, "real body").Attach("a.txt", "text/plain", [65]).Build();

        MimeMessage message = Read(msg);

        message.Subject.ShouldBe("many");
        message.TextBody.ShouldBe("real body");
        message.Attachments.Count().ShouldBe(1);
        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.HeaderBlockTooLarge);
    }

    [Fact]
    public void OneStrayLineInTheTransportHeadersIsKeptAsTheParserKeepsIt()
    {
        byte[] msg = new MsgBuilder()
            .Text(TransportHeaders, "From: a@evil.example\r\nthis is no header\r\nSubject: after the stray line\r\nContent-Type: text/plain\r\n")
            .Text(Body, "real body")
            .Build();

        MimeMessage message = Read(msg);

        message.Subject.ShouldBe("after the stray line");
        message.Body.ContentType.MimeType.ShouldBe("multipart/mixed");
        message.TextBody.ShouldBe("real body");
        message.EnumerateAllDefects().ShouldContain(d => d.Kind == MimeDefectKind.InvalidHeaderLine);
    }

    [Fact]
    public void TheSameFileGivesTheSameMimeEveryTime()
    {
        byte[] msg = new MsgBuilder().Text(Subject, "stable").Text(Body, "b").Attach("a.txt", "text/plain", [65]).Build();

        static byte[] Mime(byte[] file)
        {
            using var output = new MemoryStream();
            Read(file).WriteTo(output);
            return output.ToArray();
        }

        Mime(msg).ShouldBe(Mime(msg));
    }

    [Fact]
    public void ACompoundFileThatIsNotAnOutlookMessageIsAProblemNotAMessage()
    {
        byte[] document = CfbWriter.Build(CfbNode.Storage("Root Entry", CfbNode.Stream("WordDocument", Pseudorandom(5000, 1))));

        OutlookReadResult result = OutlookMessageReader.Read(document);

        result.Message.ShouldBeNull();
        result.Problem.ShouldNotBeNull().ShouldContain("not an Outlook message");
    }

    [Theory]
    [InlineData(new byte[0], "signature")]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0 }, "truncated")]
    [InlineData(new byte[] { (byte)'F', (byte)'r', (byte)'o', (byte)'m', (byte)':' }, "signature")]
    public void BytesThatAreNoCompoundFileAreAProblem(byte[] bytes, string expected)
    {
        OutlookReadResult result = OutlookMessageReader.Read(bytes);

        result.Message.ShouldBeNull();
        result.Problem.ShouldNotBeNull().ShouldContain(expected);
    }

    [Fact]
    public void ReadingFromAStreamGivesTheSameMessage()
    {
        byte[] msg = new MsgBuilder().Text(Subject, "stream").Attach("a.bin", null, Pseudorandom(10_000, 3)).Build();

        OutlookReadResult result = OutlookMessageReader.Read(new MemoryStream(msg));

        result.Message.ShouldNotBeNull().Subject.ShouldBe("stream");
        ((MimePart)result.Message.Attachments.Single()).GetContentBytes().ShouldBe(Pseudorandom(10_000, 3));
    }

    [Fact]
    public void TheSignatureCheckLooksAtTheFirstEightBytes()
    {
        OutlookMessageReader.IsCompoundFile([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00]).ShouldBeTrue();
        OutlookMessageReader.IsCompoundFile([0xD0, 0xCF, 0x11, 0xE0]).ShouldBeFalse();
        OutlookMessageReader.IsCompoundFile("From: a@b\r\n"u8).ShouldBeFalse();
    }

    internal static Encoding CodePagesEncoding(int codePage)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(codePage);
    }
}
