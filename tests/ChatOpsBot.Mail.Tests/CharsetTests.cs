using System.Text;
using ChatOpsBot.Mail;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Mail.Tests;

public class CharsetTests
{
    private static TextPart Text(string charset, byte[] content)
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes($"Content-Type: text/plain; charset={charset}\r\n\r\n"), .. content];
        return MimeParser.Parse(bytes).Body.ShouldBeOfType<TextPart>();
    }

    [Fact]
    public void FrequentLabelsResolveAsTheUncachedRuleDoesInAnyCaseAndPadding()
    {
        // The frequent labels are found by an ASCII comparison before the cache; any spelling must give what the
        // rule itself gives the trimmed label (the long s folds to 'S' under OrdinalIgnoreCase, not under ASCII).
        string[] pieces = ["utf-8", "UTF-8", "Utf-8", "us-ascii", "US-ASCII", "iso-8859-1", "ISO-8859-1", "windows-1252", "Windows-1252",
            "u", "s", "\u017F", "-", "8", "utf", " ", "\t", "\"", "'", "latin1", "koi8-r"];
        Prop.ForAll(
            Gen.Elements(pieces).ListOf().Select(string.Concat).ToArbitrary(),
            label =>
            {
                Charset? expected = string.IsNullOrWhiteSpace(label) ? null : Charsets.Resolve(label.Trim().Trim('"', '\'').Trim());
                Charset? actual = Charsets.GetCharsetOrNull(label);
                return actual?.Encoding.CodePage == expected?.Encoding.CodePage && actual?.AsciiCompatible == expected?.AsciiCompatible;
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Theory]
    [InlineData("windows-1252")]
    [InlineData("iso-8859-1")]
    [InlineData("windows-1251")]
    [InlineData("koi8-r")]
    [InlineData("iso-8859-2")]
    [InlineData("iso-8859-15")]
    [InlineData("windows-1250")]
    [InlineData("x-mac-roman")]
    public void SingleByteCharsetsDecodeByTableExactlyAsTheirEncodingDoes(string label)
    {
        // The table is the fast path; the encoding's own decoder is the reference, over every byte in runs of
        // ASCII and 8-bit bytes of any length (the table path widens ASCII runs in bulk).
        Charset charset = Charsets.GetCharsetOrNull(label).ShouldNotBeNull();
        charset.DecodesByTable.ShouldBeTrue();
        Gen<byte[]> run = Gen.OneOf(Gen.Choose(0, 0x7F), Gen.Choose(0x80, 0xFF)).Select(b => (byte)b).ArrayOf();
        Prop.ForAll(
            run.ArrayOf().Select(runs => runs.SelectMany(r => r).ToArray()).ToArbitrary(),
            bytes => charset.GetString(bytes) == charset.Encoding.GetString(bytes))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(500));
        byte[] every = [.. Enumerable.Range(0, 256).Select(b => (byte)b)];
        charset.GetString(every).ShouldBe(charset.Encoding.GetString(every));
    }

    [Theory]
    [InlineData("utf8", new byte[] { 0xC3, 0xA9 }, "é")]
    [InlineData("\"UTF-8\"", new byte[] { 0xC3, 0xA9 }, "é")]
    [InlineData("latin1", new byte[] { 0xE9 }, "é")]
    [InlineData("iso-8859-1", new byte[] { 0xE9, 0x92 }, "é’")]
    [InlineData("windows-1251", new byte[] { 0xCF, 0xF0, 0xE8 }, "При")]
    [InlineData("koi8-r", new byte[] { 0xF0, 0xD2, 0xC9 }, "При")]
    [InlineData("ks_c_5601-1987", new byte[] { 0xC7, 0xD1, 0xB1, 0xB9 }, "한국")]
    [InlineData("gb2312", new byte[] { 0xD6, 0xD0, 0xCE, 0xC4 }, "中文")]
    [InlineData("shift_jis", new byte[] { 0x93, 0xFA, 0x96, 0x7B }, "日本")]
    [InlineData("iso-2022-jp", new byte[] { 0x1B, 0x24, 0x42, 0x46, 0x7C, 0x4B, 0x5C, 0x1B, 0x28, 0x42 }, "日本")]
    [InlineData("us-ascii", new byte[] { 0xC3, 0xA9 }, "é")]
    [InlineData("utf-7", new byte[] { 0x2B, 0x41, 0x47, 0x45, 0x41, 0x59, 0x51, 0x2D }, "aa")]
    public void DecodesLegacyCharsetsAndAliases(string charset, byte[] content, string expected)
    {
        TextPart part = Text(charset, content);

        part.Text.ShouldBe(expected);
        part.Defects.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("x-unknown")]
    [InlineData("no-such-charset")]
    public void UnknownCharsetFallsBackToUtf8OrWindows1252WithDefect(string charset)
    {
        Text(charset, [0xC3, 0xA9]).Text.ShouldBe("é");
        TextPart latin = Text(charset, [0xE9]);
        latin.Text.ShouldBe("é");
        latin.Defects.Single().Kind.ShouldBe(MimeDefectKind.UnknownCharset);
    }

    [Fact]
    public void MissingCharsetUsesUtf8WhenValid()
    {
        byte[] bytes = [.. "Content-Type: text/plain\r\n\r\n"u8, 0xC3, 0xA9];

        MimeParser.Parse(bytes).TextBody.ShouldBe("é");
    }

    [Fact]
    public void AsciiCompatibilityIsDecidedByTheDecoderItself()
    {
        _ = Charsets.Windows1252;
        int compatible = 0;
        foreach (EncodingInfo info in Encoding.GetEncodings().Concat(CodePagesEncodingProvider.Instance.GetEncodings()))
        {
            Encoding encoding = info.GetEncoding();
            if (!Charsets.IsAsciiCompatible(encoding))
            {
                continue;
            }

            compatible++;
            byte[] ascii = [.. Enumerable.Range(0, 128).Select(b => (byte)b), .. "Dear customer, verify at https://example.test/?a=1&b=~x\r\n"u8];
            encoding.GetString(ascii).ShouldBe(Encoding.Latin1.GetString(ascii), $"code page {encoding.CodePage} ({encoding.WebName})");
        }

        compatible.ShouldBeGreaterThan(20);
        Charsets.IsAsciiCompatible(Encoding.GetEncoding("iso-2022-jp")).ShouldBeFalse();
        Charsets.IsAsciiCompatible(Encoding.GetEncoding("IBM037")).ShouldBeFalse();
        Charsets.IsAsciiCompatible(Encoding.Unicode).ShouldBeFalse();
        Charsets.IsAsciiCompatible(Encoding.UTF32).ShouldBeFalse();
        Charsets.IsAsciiCompatible(Encoding.GetEncoding("windows-1252")).ShouldBeTrue();
        Charsets.IsAsciiCompatible(Encoding.GetEncoding("shift_jis")).ShouldBeTrue();
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("iso-8859-1")]
    [InlineData("windows-1251")]
    [InlineData("koi8-r")]
    [InlineData("gb2312")]
    [InlineData("shift_jis")]
    [InlineData("ks_c_5601-1987")]
    [InlineData("big5")]
    [InlineData("iso-2022-jp")]
    [InlineData("utf-7")]
    [InlineData("utf-16")]
    [InlineData("IBM037")]
    [InlineData("x-unknown")]
    public void AsciiTextDecodesAsTheLabelledDecoderWould(string charset)
    {
        // ASCII bytes through the fast path and through the charset's own decoder (or the fallback) give the same text,
        // ISO-2022 escapes, UTF-7 shifts and EBCDIC letters included.
        var random = new Random(charset.Length);
        for (int round = 0; round < 50; round++)
        {
            byte[] content = new byte[random.Next(0, 300)];
            for (int i = 0; i < content.Length; i++)
            {
                content[i] = (byte)(round % 2 == 0 ? random.Next(0, 128) : "ab+-=~\\\x1B$B(J \r\n"[random.Next(0, 15)]);
            }

            Encoding? encoding = Charsets.GetEncodingOrNull(charset);
            string expected = encoding is null ? Encoding.ASCII.GetString(content) : encoding.GetString(content);
            Charsets.DecodeText(content, charset).ShouldBe(expected);
        }
    }
}
