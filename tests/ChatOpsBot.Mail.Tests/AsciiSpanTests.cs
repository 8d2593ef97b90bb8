using ChatOpsBot.Mail;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Mail.Tests;

public class AsciiSpanTests
{
    // White space of every kind, its neighbours (8, 14, 31, 33) and 8-bit bytes, at both ends and inside.
    private static readonly Arbitrary<byte[]> s_bytes =
        Gen.Elements<byte>(9, 10, 11, 12, 13, 32, 8, 14, 31, 33, (byte)'a', (byte)'-', 0x85, 0xA0, 0).ArrayOf().ToArbitrary();

    [Fact]
    public void TrimWhiteSpaceRemovesWhatMemoryExtensionsTrimRemovesGivenTheAsciiWhiteSpace()
    {
        Prop.ForAll(s_bytes, bytes => AsciiSpan.TrimWhiteSpace(bytes).SequenceEqual(bytes.AsSpan().Trim("\t\n\v\f\r "u8)))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void TrimEndSpacesAndTabsRemovesWhatMemoryExtensionsTrimEndRemoves()
    {
        Prop.ForAll(s_bytes, bytes => AsciiSpan.TrimEndSpacesAndTabs(bytes).SequenceEqual(bytes.AsSpan().TrimEnd(" \t"u8)))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void TrimEndSpacesTabsAndLineBreaksRemovesWhatMemoryExtensionsTrimEndRemoves()
    {
        Prop.ForAll(s_bytes, bytes => AsciiSpan.TrimEndSpacesTabsAndLineBreaks(bytes).SequenceEqual(bytes.AsSpan().TrimEnd(" \t\r\n"u8)))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void HeaderValuesAreTrimmedOfAsciiWhiteSpaceOnly()
    {
        // Value is UnfoldAndTrimAscii of the raw bytes: string.Trim of the ASCII text, which keeps every other byte.
        MimeMessage message = Eml.Parse("Subject: \t\v\f x\u001f \v\t\nX-Other:\u001f y \n\n");

        message.Subject.ShouldBe("x\u001f");
        message.Headers["X-Other"].ShouldBe("\u001f y");
    }
}
