using System.Text;
using ChatOpsBot.Mail;

namespace ChatOpsBot.Mail.Tests;

public class MessagePartTests
{
    private const string Inner = "From: Original Sender <orig@bank.example>\r\nSubject: Verify your account\r\nContent-Type: text/plain\r\n\r\nClick here\r\n";

    [Fact]
    public void EmbeddedMessageIsParsedWithItsOwnHeadersAndBody()
    {
        MimeMessage message = Eml.Parse($"Subject: Fwd\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nsee attached\n--b\nContent-Type: message/rfc822\n\n{Inner}\n--b--\n");

        MessagePart part = message.Attachments.Single().ShouldBeOfType<MessagePart>();
        part.IsDecoded.ShouldBeFalse();
        part.Message.Subject.ShouldBe("Verify your account");
        part.Message.From.Mailboxes.Single().Address.ShouldBe("orig@bank.example");
        part.Message.TextBody.ShouldBe("Click here\r\n");
    }

    [Theory]
    [InlineData("base64")]
    [InlineData("quoted-printable")]
    public void EncodedEmbeddedMessageIsDecodedThenParsedAndRoundTripsEncoded(string encoding)
    {
        string encoded = encoding == "base64"
            ? Convert.ToBase64String(Encoding.ASCII.GetBytes(Inner), Base64FormattingOptions.InsertLineBreaks)
            : Inner.Replace("\r\n", "=0D=0A=\r\n", StringComparison.Ordinal);
        byte[] bytes = Eml.Bytes($"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\nContent-Transfer-Encoding: {encoding}\n\n{encoded}\n--b--\n");

        MimeMessage message = MimeParser.Parse(bytes);

        MessagePart part = message.Attachments.Single().ShouldBeOfType<MessagePart>();
        part.IsDecoded.ShouldBeTrue();
        part.Message.Subject.ShouldBe("Verify your account");
        part.Message.TextBody.ShouldBe("Click here\r\n");
        part.Defects.ShouldContain(d => d.Kind == MimeDefectKind.EncodedMessagePart);
        Eml.RoundTrip(message).ShouldBe(bytes);
    }

    [Fact]
    public void EmbeddedMessageThatIsNotAMessageIsKeptAsText()
    {
        MimeMessage message = Eml.Parse("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\nthis attachment is not a valid eml, sorry!\n--b--\n");

        TextPart part = message.Body.ShouldBeOfType<Multipart>().Children.Single().ShouldBeOfType<TextPart>();
        part.Text.ShouldBe("this attachment is not a valid eml, sorry!");
        part.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidEmbeddedMessage);
    }

    [Fact]
    public void ForwardOfAForwardNestsTwice()
    {
        string level2 = $"Subject: level2\r\nContent-Type: message/rfc822\r\n\r\n{Inner}";
        MimeMessage message = Eml.Parse($"Subject: level1\nContent-Type: message/rfc822\n\n{level2}");

        MimeMessage second = message.Body.ShouldBeOfType<MessagePart>().Message;
        second.Subject.ShouldBe("level2");
        second.Body.ShouldBeOfType<MessagePart>().Message.Subject.ShouldBe("Verify your account");
    }

    [Fact]
    public void InlineMessagePartIsNotAnAttachmentButStillAMessage()
    {
        MimeMessage message = Eml.Parse($"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\nContent-Disposition: inline\n\n{Inner}\n--b--\n");

        message.Attachments.ShouldBeEmpty();
        message.BodyParts.Single().ShouldBeOfType<MessagePart>().Message.Subject.ShouldBe("Verify your account");
    }

    [Fact]
    public void EmbeddedMessageExportedWithAnMboxFromLineIsStillAMessage()
    {
        MimeMessage message = Eml.Parse($"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822; name=\"Fwd.eml\"\n\nFrom orig@bank.example Tue May 10 11:28:07 2005\n{Inner}\n--b--\n");

        MessagePart part = message.Attachments.Single().ShouldBeOfType<MessagePart>();
        part.FileName.ShouldBe("Fwd.eml");
        part.Message.Subject.ShouldBe("Verify your account");
        part.Message.RawPrologue.Length.ShouldBeGreaterThan(0);
    }
}
