using System.Text;
using ChatOpsBot.Mail;

namespace ChatOpsBot.Mail.Tests;

public class MultipartTests
{
    private const string Mixed = """
        From: a@example.com
        Content-Type: multipart/mixed; boundary="outer"

        This is the preamble.
        --outer
        Content-Type: multipart/alternative; boundary=inner

        --inner
        Content-Type: text/plain; charset=utf-8

        plain body
        --inner
        Content-Type: text/html; charset=utf-8

        <p>html body</p>
        --inner--
        --outer
        Content-Type: application/pdf; name="report.pdf"
        Content-Disposition: attachment; filename="report.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --outer--
        This is the epilogue.

        """;

    [Fact]
    public void ParsesNestedMultipartsWithPreambleAndEpilogue()
    {
        MimeMessage message = Eml.Parse(Mixed);

        Multipart root = message.Body.ShouldBeOfType<Multipart>();
        root.Preamble.ShouldBe("This is the preamble.");
        root.Epilogue.ShouldBe("This is the epilogue.\r\n");
        root.Children.Count.ShouldBe(2);
        Multipart alternative = root.Children[0].ShouldBeOfType<Multipart>();
        alternative.Children.Select(c => c.ContentType.MimeType).ShouldBe(["text/plain", "text/html"]);
        message.TextBody.ShouldBe("plain body");
        message.HtmlBody.ShouldBe("<p>html body</p>");
        MimePart pdf = message.Attachments.Single().ShouldBeOfType<MimePart>();
        pdf.FileName.ShouldBe("report.pdf");
        Encoding.ASCII.GetString(pdf.GetContentBytes()).ShouldBe("%PDF-1.4\n");
        message.EnumerateAllDefects().ShouldBeEmpty();
    }

    [Fact]
    public void SiblingsAroundNestedMultipartsAndEncodedMessagesKeepTheirOwnChildrenAndNothingIsLeftOnTheThread()
    {
        // Nested multiparts (and the reader of a base64 message inside) collect children on one per-thread stack:
        // each must get exactly its own, in order, and leave the stack as it found it.
        string inner = Convert.ToBase64String(Encoding.ASCII.GetBytes(
            "Content-Type: multipart/mixed; boundary=e\r\n\r\n--e\r\n\r\ne1\r\n--e\r\n\r\ne2\r\n--e--\r\n"));
        MimeMessage message = Eml.Parse($$"""
            Content-Type: multipart/mixed; boundary=a

            --a

            a1
            --a
            Content-Type: multipart/alternative; boundary=b

            --b

            b1
            --b
            Content-Type: multipart/related; boundary=c

            --c

            c1
            --c--
            --b

            b3
            --b--
            --a
            Content-Type: message/rfc822
            Content-Transfer-Encoding: base64

            {{inner}}
            --a

            a4
            --a--

            """);

        Describe(message.Body).ShouldBe("[a1 [b1 [c1] b3] msg([e1 e2]) a4]");
        ScratchStack<MimeEntity>.Items.ShouldBeEmpty();
        ScratchStack<ReadOnlyMemory<byte>>.Items.ShouldBeEmpty();

        static string Describe(MimeEntity entity) => entity switch
        {
            Multipart multipart => $"[{string.Join(" ", multipart.Children.Select(Describe))}]",
            MessagePart part => $"msg({Describe(part.Message.Body)})",
            TextPart text => text.Text.Trim(),
            _ => "?",
        };
    }

    [Fact]
    public void OffsetsPointAtTheEntitiesInTheInput()
    {
        byte[] bytes = Eml.Bytes(Mixed);
        MimeMessage message = MimeParser.Parse(bytes);

        MimeEntity pdf = message.Attachments.Single();
        string text = Encoding.ASCII.GetString(bytes);
        pdf.Offset.ShouldBe(text.IndexOf("Content-Type: application/pdf", StringComparison.Ordinal));
        pdf.BodyOffset.ShouldBe(text.IndexOf("JVBERi0xLjQK", StringComparison.Ordinal));
        pdf.EndOffset.ShouldBe(pdf.BodyOffset + "JVBERi0xLjQK".Length);
    }

    [Fact]
    public void RoundTripsByteForByte()
    {
        byte[] bytes = Eml.Bytes(Mixed);

        Eml.RoundTrip(MimeParser.Parse(bytes)).ShouldBe(bytes);
    }

    [Fact]
    public void UnclosedMultipartKeepsItsPartsAndReportsTheMissingClose()
    {
        MimeMessage message = Eml.Parse("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n");

        Multipart root = message.Body.ShouldBeOfType<Multipart>();
        root.Children.Select(c => ((TextPart)c).Text).ShouldBe(["one", "two\r\n"]);
        root.Defects.ShouldContain(d => d.Kind == MimeDefectKind.CloseBoundaryNotFound);
    }

    [Fact]
    public void DelimiterAtTheVeryEndIsATruncatedCloseNotAnEmptyPart()
    {
        MimeMessage message = Eml.Parse("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n");

        message.Body.ShouldBeOfType<Multipart>().Children.Count.ShouldBe(1);
        message.Body.Defects.ShouldContain(d => d.Kind == MimeDefectKind.CloseBoundaryNotFound);
    }

    [Fact]
    public void NestedMultipartReusingTheSameBoundaryNests()
    {
        MimeMessage message = Eml.Parse("Content-Type: multipart/mixed; boundary=\"a\"\n\n--a\nContent-Type: multipart/mixed; boundary=\"a\"\n\n--a\nContent-Type: text/plain\n\nbody\n", crlf: false);

        Multipart outer = message.Body.ShouldBeOfType<Multipart>();
        Multipart inner = outer.Children.Single().ShouldBeOfType<Multipart>();
        inner.Children.Single().ShouldBeOfType<TextPart>().Text.ShouldBe("body\n");
        inner.Defects.ShouldContain(d => d.Kind == MimeDefectKind.BoundaryReused);
    }

    [Fact]
    public void BoundaryLineWithTransportPaddingIsADelimiter()
    {
        MimeMessage message = Eml.Parse("Content-Type: multipart/mixed; boundary=b\n\n--b  \t\n\none\n--b-- \n");

        message.Body.ShouldBeOfType<Multipart>().Children.Single().ShouldBeOfType<TextPart>().Text.ShouldBe("one");
        message.EnumerateAllDefects().ShouldBeEmpty();
    }

    [Fact]
    public void DelimiterWithTrailingTextIsHonouredAndFlagged()
    {
        MimeMessage message = Eml.Parse("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--bogus\n\ntwo\n--b--\n");

        Multipart root = message.Body.ShouldBeOfType<Multipart>();
        root.Children.Count.ShouldBe(2);
        root.Defects.ShouldContain(d => d.Kind == MimeDefectKind.BoundaryWithTrailingText);
    }

    [Fact]
    public void EnclosingDelimiterInsideAnUnclosedInnerMultipartIsFlagged()
    {
        MimeMessage message = Eml.Parse("Content-Type: multipart/mixed; boundary=outer\n\n--outer\nContent-Type: multipart/mixed; boundary=inner\n\n--inner\n\none\n--outer\n\nhidden\n--outer--\n");

        Multipart inner = message.Body.ShouldBeOfType<Multipart>().Children.Single().ShouldBeOfType<Multipart>();
        inner.Defects.ShouldContain(d => d.Kind == MimeDefectKind.EnclosingBoundaryInPart);
    }

    [Fact]
    public void MultipartWithoutBoundaryParameterIsReadAsText()
    {
        MimeMessage message = Eml.Parse("Content-Type: multipart/mixed\n\nsome text\n");

        message.Body.ShouldBeOfType<TextPart>().Text.ShouldBe("some text\r\n");
        message.Body.Defects.ShouldContain(d => d.Kind == MimeDefectKind.MissingBoundary);
        message.TextBody.ShouldBe("some text\r\n");
    }

    [Fact]
    public void MultipartWhoseBoundaryNeverAppearsIsReadAsText()
    {
        MimeMessage message = Eml.Parse("Content-Type: multipart/mixed; boundary=\"ab\"\n\nbody\n");

        message.Body.ShouldBeOfType<TextPart>().Text.ShouldBe("body\r\n");
        message.Body.Defects.ShouldContain(d => d.Kind == MimeDefectKind.StartBoundaryNotFound);
    }

    [Fact]
    public void PartWithoutHeadersDefaultsToTextPlainAndDigestToMessage()
    {
        MimeMessage message = Eml.Parse("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nplain\n--b--\n");
        message.Body.ShouldBeOfType<Multipart>().Children.Single().ContentType.MimeType.ShouldBe("text/plain");

        MimeMessage digest = Eml.Parse("Content-Type: multipart/digest; boundary=b\n\n--b\n\nSubject: inner\n\ntext\n--b--\n");
        digest.Body.ShouldBeOfType<Multipart>().Children.Single().ShouldBeOfType<MessagePart>().Message.Subject.ShouldBe("inner");
    }

    [Fact]
    public void PartWhoseHeadersRunIntoTheNextDelimiterHasAnEmptyBody()
    {
        MimeMessage message = Eml.Parse("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/mixed; boundary=c\n--b\n\ntwo\n--b--\n");

        Multipart root = message.Body.ShouldBeOfType<Multipart>();
        root.Children.Count.ShouldBe(2);
        root.Children[0].ShouldBeOfType<TextPart>().Text.ShouldBe(string.Empty);
    }

    [Fact]
    public void TransferEncodingOnMultipartIsIgnoredAndFlagged()
    {
        MimeMessage message = Eml.Parse("Content-Type: multipart/mixed; boundary=b\nContent-Transfer-Encoding: base64\n\n--b\n\none\n--b--\n");

        message.Body.ShouldBeOfType<Multipart>().Children.Count.ShouldBe(1);
        message.Body.Defects.ShouldContain(d => d.Kind == MimeDefectKind.EncodedMultipart);
    }

    [Fact]
    public void EmptyMultipartHasNoChildren()
    {
        MimeMessage message = Eml.Parse("Content-Type: multipart/mixed; boundary=b\n\n--b--\n");

        message.Body.ShouldBeOfType<Multipart>().Children.ShouldBeEmpty();
    }

    [Fact]
    public void InnerMultipartWithoutItsBoundaryEndsAtTheEnclosingDelimiter()
    {
        MimeMessage message = Eml.Parse("Content-Type: multipart/mixed; boundary=outer\n\n--outer\nContent-Type: multipart/alternative; boundary=missing\n\nlost text\n--outer\nContent-Type: text/plain\n\nsecond\n--outer--\n");

        Multipart root = message.Body.ShouldBeOfType<Multipart>();
        root.Children.Count.ShouldBe(2);
        TextPart first = root.Children[0].ShouldBeOfType<TextPart>();
        first.Text.ShouldBe("lost text");
        first.Defects.Select(d => d.Kind).ShouldBe([MimeDefectKind.StartBoundaryNotFound]);
        root.Children[1].ShouldBeOfType<TextPart>().Text.ShouldBe("second");
    }
}
