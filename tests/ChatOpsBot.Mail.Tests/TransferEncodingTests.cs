using System.Text;
using ChatOpsBot.Mail;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Mail.Tests;

public class TransferEncodingTests
{
    private static MimePart Leaf(string encoding, string content) =>
        (MimePart)Eml.Parse($"Content-Type: application/octet-stream\nContent-Transfer-Encoding: {encoding}\n\n{content}").Body;

    private static string Decoded(MimePart part) => Encoding.Latin1.GetString(part.GetContentBytes());

    [Theory]
    [InlineData("SGVsbG8gd29ybGQ=", "Hello world")]
    [InlineData("SGVs\nbG8g\r\nd29y bGQ=\n", "Hello world")]
    [InlineData("SGVsbG8gd29ybGQ", "Hello world")]
    [InlineData("SGVsbG8gd29ybA", "Hello worl")]
    [InlineData("SGVs!bG8*gd29ybGQ=", "Hello world")]
    [InlineData("SGk=SGk=", "HiHi")]
    public void Base64ToleratesWhitespaceJunkMissingAndInternalPadding(string content, string expected)
    {
        Decoded(Leaf("base64", content)).ShouldBe(expected);
    }

    [Theory]
    [InlineData("SGk=SGk=", MimeDefectKind.Base64InternalPadding)]
    [InlineData("SGVs!bG8=", MimeDefectKind.InvalidBase64)]
    [InlineData("SGVsbG8gd29ybA", MimeDefectKind.Base64MissingPadding)]
    public void Base64AnomaliesAreReportedAsContentDefects(string content, MimeDefectKind expected)
    {
        Leaf("base64", content).ContentDefects.Select(d => d.Kind).ShouldContain(expected);
    }

    [Fact]
    public void TransferEncodingIsReadFromTheDecodedValueWhateverItsSpelling()
    {
        // The parser reads plain one-line ASCII values from their bytes; every value must name the encoding (or the
        // defect) that the rule on the decoded value gives: the first token, quotes trimmed, case ignored.
        string[] pieces = ["base64", "BASE64", "Base64", "7bit", "8BIT", "binary", "quoted-printable", "x-uuencode", "\"", " ", "\t", ";", "(c)", "\r\n ", "\r", "x", "=?utf-8?q?base64?=", "\u00e9"];
        Prop.ForAll(
            Gen.Elements(pieces).ArrayOf().Select(string.Concat).ToArbitrary(),
            value =>
            {
                MimeMessage message = MimeParser.Parse(Encoding.UTF8.GetBytes($"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding:{value}\r\n\r\nSGk=\r\n"));
                Header header = message.Headers.Find("Content-Transfer-Encoding")!;
                string expected = string.Concat(ByTheRule(header.Value));
                string actual = message.Body.ContentTransferEncoding + string.Concat(message.Body.Defects.Where(d => d.Kind == MimeDefectKind.UnknownTransferEncoding).Select(d => d.Message));
                actual.ShouldBe(expected, value);
                return true;
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));

        static IEnumerable<string> ByTheRule(string decoded)
        {
            string value = decoded.Trim();
            int end = value.AsSpan().IndexOfAny(" \t;(");
            string token = (end >= 0 ? value[..end] : value).Trim('"').ToLowerInvariant();
            ContentEncoding encoding = token switch
            {
                "7bit" => ContentEncoding.SevenBit,
                "8bit" => ContentEncoding.EightBit,
                "binary" => ContentEncoding.Binary,
                "base64" => ContentEncoding.Base64,
                "quoted-printable" => ContentEncoding.QuotedPrintable,
                "x-uuencode" or "uuencode" or "x-uue" or "uue" => ContentEncoding.UuEncode,
                "" => ContentEncoding.Default,
                _ => ContentEncoding.Unknown,
            };
            yield return encoding.ToString();
            if (encoding == ContentEncoding.Unknown)
            {
                yield return $"Content-Transfer-Encoding '{ParameterParser.Shorten(value)}' is unknown; content kept as is";
            }
        }
    }

    [Fact]
    public void CleanBase64HasNoContentDefects()
    {
        Leaf("BASE64", "SGVsbG8gd29ybGQ=").ContentDefects.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("caf=C3=A9", "café")]
    [InlineData("caf=c3=a9", "café")]
    [InlineData("soft=\nbreak", "softbreak")]
    [InlineData("soft=  \nbreak", "softbreak")]
    [InlineData("a = b", "a = b")]
    [InlineData("trailing   \nnext", "trailing\r\nnext")]
    [InlineData("ends with =", "ends with ")]
    [InlineData("=4", "=4")]
    public void QuotedPrintableToleratesSoftBreaksLowercaseHexAndBareEquals(string content, string expected)
    {
        Encoding.UTF8.GetString(Leaf("quoted-printable", content).GetContentBytes()).ShouldBe(expected);
    }

    [Fact]
    public void QuotedPrintableKeepsLongWhitespaceRunsExactlyAndDropsThemOnlyBeforeALineBreak()
    {
        string mixed = string.Concat(Enumerable.Repeat(" \t", 25));
        string content = $"a{new string(' ', 40)}b{new string(' ', 5)}c{mixed}d{mixed}\ne{new string('\t', 3)}\n"
            + $"soft={new string(' ', 40)}\nbreak{new string(' ', 1100)}x{new string(' ', 1100)}\nend";

        string decoded = Encoding.UTF8.GetString(Leaf("quoted-printable", content).GetContentBytes());

        decoded.ShouldBe($"a{new string(' ', 40)}b{new string(' ', 5)}c{mixed}d\r\ne\r\nsoftbreak{new string(' ', 1100)}x{new string(' ', 1024)}\r\nend");
    }

    [Fact]
    public void BareEqualsIsReportedAsContentDefect()
    {
        Leaf("quoted-printable", "a = b").ContentDefects.Single().Kind.ShouldBe(MimeDefectKind.InvalidQuotedPrintable);
    }

    [Theory]
    [InlineData("x-uuencode")]
    [InlineData("uuencode")]
    [InlineData("x-uue")]
    public void UuencodedContentIsDecodedAndNamedFromItsBeginLine(string encoding)
    {
        MimePart part = Leaf(encoding, "begin 644 cat.txt\n#0V%T\n`\nend\n");

        Decoded(part).ShouldBe("Cat");
        part.FileName.ShouldBe("cat.txt");
        part.IsAttachment.ShouldBeTrue();
    }

    [Fact]
    public void UuencodeLengthByteCannotMakeOutputLargerThanInput()
    {
        MimePart part = Leaf("x-uuencode", "begin 644 x\n" + string.Concat(Enumerable.Repeat("M\n", 1000)) + "end\n");

        part.GetContentBytes().Length.ShouldBeLessThanOrEqualTo(part.RawContent.Length);
        part.ContentDefects.Select(d => d.Kind).ShouldContain(MimeDefectKind.InvalidUuencode);
    }

    [Fact]
    public void InlineUuencodedFileInTextIsFoundAndFlagged()
    {
        MimeMessage message = Eml.Parse("Content-Type: text/plain\n\nSee the file:\nbegin 644 cat.txt\n#0V%T\n`\nend\nbye\n");

        TextPart text = message.Body.ShouldBeOfType<TextPart>();
        text.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InlineUuencode);
        UuencodedFile file = text.FindUuencodedFiles().Single();
        file.FileName.ShouldBe("cat.txt");
        file.Mode.ShouldBe("644");
        Encoding.ASCII.GetString(file.Content.Span).ShouldBe("Cat");
    }

    [Theory]
    [InlineData("7bit", "See the file:\nbegin 644 cat.txt\n#0V%T\n`\nend\nbye\n")]
    [InlineData("quoted-printable", "See the file:\n=62egin 644 cat.txt\n#0V%T\n`\nend\nbye=\n\n")]
    [InlineData("base64", "U2VlIHRoZSBmaWxlOgpiZWdpbiA2NDQgY2F0LnR4dAojMFYlVApgCmVuZApieWUK\n")]
    public void TextAndUuencodedFilesReadTheSameDecodedContentWhicheverIsReadFirst(string encoding, string body)
    {
        string eml = $"Content-Type: text/plain\nContent-Transfer-Encoding: {encoding}\n\n{body}";
        TextPart textFirst = Eml.Parse(eml).Body.ShouldBeOfType<TextPart>();
        TextPart filesFirst = Eml.Parse(eml).Body.ShouldBeOfType<TextPart>();

        string text = textFirst.Text;
        IReadOnlyList<UuencodedFile> afterText = textFirst.FindUuencodedFiles();
        IReadOnlyList<UuencodedFile> beforeText = filesFirst.FindUuencodedFiles();

        text.ReplaceLineEndings("\n").ShouldStartWith("See the file:\nbegin 644 cat.txt\n");
        filesFirst.Text.ShouldBe(text);
        foreach (IReadOnlyList<UuencodedFile> files in new[] { afterText, beforeText })
        {
            UuencodedFile file = files.ShouldHaveSingleItem();
            file.FileName.ShouldBe("cat.txt");
            Encoding.ASCII.GetString(file.Content.Span).ShouldBe("Cat");
        }

        textFirst.ContentDefects.ShouldBe(filesFirst.ContentDefects);
    }

    [Fact]
    public void EncodedTextReadFirstKeepsItsContentDefectsAndFindsNoUuencodedFileWithoutABeginLine()
    {
        TextPart part = Eml.Parse("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nGr=C3=BC=C3=9Fe =ZZ beginning=\n soon\n")
            .Body.ShouldBeOfType<TextPart>();

        part.Text.ShouldBe("Grüße =ZZ beginning soon\r\n");
        part.FindUuencodedFiles().ShouldBeEmpty();
        part.ContentDefects.ShouldHaveSingleItem().Kind.ShouldBe(MimeDefectKind.InvalidQuotedPrintable);
        Encoding.UTF8.GetString(part.GetContentBytes()).ShouldBe(part.Text);
    }

    [Fact]
    public void TextWithoutABeginLineHasNoUuencodedFiles() =>
        Eml.Parse("Content-Type: text/plain\n\nbeginning 644 is not a begin line\nend\n").Body.ShouldBeOfType<TextPart>()
            .FindUuencodedFiles().ShouldBeEmpty();

    [Theory]
    [InlineData("7bit")]
    [InlineData("8bit")]
    [InlineData("binary")]
    [InlineData("x-made-up")]
    public void IdentityEncodingsPassContentThrough(string encoding)
    {
        Decoded(Leaf(encoding, "raw = bytes")).ShouldBe("raw = bytes");
    }

    [Fact]
    public void UnknownEncodingIsReported()
    {
        Leaf("x-made-up", "x").Defects.ShouldContain(d => d.Kind == MimeDefectKind.UnknownTransferEncoding);
    }

    [Theory]
    [InlineData("base64")]
    [InlineData("quoted-printable")]
    public void ContentDefectsAreTheSameWhetherComputedAloneOrKeptFromAFullRead(string encoding)
    {
        // Content spanning several decoding chunks, with junk and padding anomalies scattered through it.
        var random = new Random(7);
        var content = new StringBuilder();
        string alphabet = encoding == "base64" ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" : "ABCDEF=3D=\t !~";
        for (int line = 0; line < 4000; line++)
        {
            for (int i = 0; i < 76; i++)
            {
                content.Append(random.Next(500) == 0 ? "!*=?"[random.Next(4)] : alphabet[random.Next(alphabet.Length)]);
            }

            content.Append('\n');
        }

        string text = content.ToString();
        IReadOnlyList<MimeDefect> alone = Leaf(encoding, text).ContentDefects;

        MimePart streamed = Leaf(encoding, text);
        using (Stream stream = streamed.OpenContentStream())
        {
            stream.CopyTo(Stream.Null);
        }

        MimePart bulk = Leaf(encoding, text);
        bulk.GetContentBytes();
        MimePart copied = Leaf(encoding, text);
        copied.CopyContentTo(Stream.Null);

        alone.ShouldNotBeEmpty();
        streamed.ContentDefects.ShouldBe(alone);
        bulk.ContentDefects.ShouldBe(alone);
        copied.ContentDefects.ShouldBe(alone);
    }

    [Fact]
    public void StreamingDecodeEqualsBulkDecodeForAnyInputAndEncoding()
    {
        Prop.ForAll(
            Gen.Elements(ContentEncoding.Base64, ContentEncoding.QuotedPrintable, ContentEncoding.UuEncode, ContentEncoding.Binary).ToArbitrary(),
            Gen.Elements("ABCDEFGHIJ=\r\n \t!begin 644 f\nM`-".ToCharArray()).ArrayOf().Select(c => Encoding.ASCII.GetBytes(c)).ToArbitrary(),
            (encoding, raw) =>
            {
                byte[] bulk = TransferDecoder.DecodeAll(TransferDecoder.Create(encoding, 0), raw);
                using Stream stream = new DecodingStream(raw, TransferDecoder.Create(encoding, 0));
                using MemoryStream copy = new();
                byte[] buffer = new byte[7];
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    copy.Write(buffer, 0, read);
                }

                return copy.ToArray().AsSpan().SequenceEqual(bulk) && bulk.Length <= raw.Length + 2;
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void QuotedPrintableDecodesLikeTheDecoderItReplacedWhereverTheInputIsSplit()
    {
        string[] pieces = ["a", "=", "3D", "=C3=A9", "=e9", "=3", "=\r", "=\r\n", "=\n", "\r\n", "\n", "\r", " ", "\t", " \t ", "=Z", "= \n", new string(' ', 40), new string(' ', 1030)];
        Prop.ForAll(
            Gen.Elements(pieces).ArrayOf().Select(p => Encoding.ASCII.GetBytes(string.Concat(p))).ToArbitrary(),
            Gen.Choose(1, 50).ToArbitrary(),
            (raw, chunk) =>
            {
                (byte[] Output, string Defects) Run(TransferDecoder decoder)
                {
                    using MemoryStream output = new();
                    byte[] buffer = new byte[TransferDecoder.MaxOutputLength(chunk)];
                    for (int offset = 0; offset < raw.Length; offset += chunk)
                    {
                        int written = decoder.Decode(raw.AsSpan(offset, Math.Min(chunk, raw.Length - offset)), buffer);
                        output.Write(buffer, 0, written);
                    }

                    output.Write(buffer, 0, decoder.Flush(buffer));
                    return (output.ToArray(), string.Join(";", decoder.Defects.Select(d => $"{d.Kind}@{d.Offset}")));
                }

                (byte[] current, string currentDefects) = Run(new QuotedPrintableDecoder(7));
                (byte[] legacy, string legacyDefects) = Run(new LegacyQuotedPrintableDecoder(7));
                return current.AsSpan().SequenceEqual(legacy) && currentDefects == legacyDefects;
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Fact]
    public void Base64DecodesWhatTheRuntimeEncodesAcrossChunkBoundaries()
    {
        Prop.ForAll(
            ArbMap.Default.ArbFor<byte[]>(),
            data =>
            {
                byte[] big = [.. Enumerable.Repeat(data, 2000).SelectMany(d => d)];
                byte[] encoded = Encoding.ASCII.GetBytes(Convert.ToBase64String(big, Base64FormattingOptions.InsertLineBreaks));
                return TransferDecoder.DecodeAll(TransferDecoder.Create(ContentEncoding.Base64, 0), encoded).AsSpan().SequenceEqual(big);
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ContentStreamAndCopyMatchGetContentBytes()
    {
        byte[] data = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 31))];
        MimePart part = Leaf("base64", Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks));

        using MemoryStream copied = new();
        part.CopyContentTo(copied).ShouldBe(data.Length);
        copied.ToArray().ShouldBe(data);
        using Stream stream = part.OpenContentStream();
        using MemoryStream streamed = new();
        stream.CopyTo(streamed);
        streamed.ToArray().ShouldBe(data);
        part.GetContentBytes().ShouldBe(data);
    }
}
