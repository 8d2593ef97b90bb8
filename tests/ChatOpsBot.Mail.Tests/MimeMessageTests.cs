using System.Text;
using ChatOpsBot.Mail;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Mail.Tests;

public class MimeMessageTests
{
    private const string Related = """
        Content-Type: multipart/mixed; boundary=m

        --m
        Content-Type: multipart/related; boundary=r

        --r
        Content-Type: text/html

        <img src="cid:logo">
        --r
        Content-Type: image/png; name=logo.png
        Content-Disposition: inline; filename=logo.png
        Content-ID: <logo>

        PNG
        --r--
        --m
        Content-Type: text/plain; name=notes.txt

        attached notes
        --m
        Content-Type: application/octet-stream
        Content-Disposition: attachment

        blob
        --m--
        """;

    [Fact]
    public void AttachmentsAreDispositionAttachmentOrNamedNonInlineParts()
    {
        MimeMessage message = Eml.Parse(Related);

        message.BodyParts.Select(p => p.ContentType.MimeType).ShouldBe(["text/html", "image/png", "text/plain", "application/octet-stream"]);
        message.Attachments.Select(p => p.ContentType.MimeType).ShouldBe(["text/plain", "application/octet-stream"]);
        message.BodyParts.OfType<MimePart>().Single(p => p.ContentId == "logo").FileName.ShouldBe("logo.png");
    }

    [Fact]
    public void NamedTextAttachmentIsNotTheTextBody()
    {
        MimeMessage message = Eml.Parse(Related);

        message.TextBody.ShouldBeNull();
        message.HtmlBody.ShouldBe("<img src=\"cid:logo\">");
    }

    [Fact]
    public void AllDefectsIncludeNestedMessages()
    {
        MimeMessage message = Eml.Parse("Content-Type: message/rfc822\n\nDate: garbage\nContent-Type: text/plain; charset=nope\n\nx");

        message.DefectKinds().ShouldBe([MimeDefectKind.InvalidDate, MimeDefectKind.UnknownCharset], ignoreOrder: true);
    }

    [Fact]
    public void LoadReadsFromAStreamLikeParse()
    {
        using MemoryStream stream = new(Eml.Bytes("Subject: via load\n\nbody"));

        MimeMessage.Load(stream).Subject.ShouldBe("via load");
    }

    [Fact]
    public void AnyBytesParseWithoutExceptionAndRoundTripExactly()
    {
        Prop.ForAll(
            Gen.Elements("Content-Type: multipart/mixed; boundary=b\r\n|--b\r\n|--b--\r\n|\r\n|\n|Subject: =?utf-8?q?x?=\r\n|Content-Transfer-Encoding: base64\r\n|Content-Type: message/rfc822\r\n|From: \"a\" <b@c>\r\n|text|==|\r|\u00e9|begin 644 x\n|: \r\n".Split('|'))
                .ArrayOf()
                .Select(pieces => Encoding.UTF8.GetBytes(string.Concat(pieces)))
                .ToArbitrary(),
            bytes =>
            {
                MimeMessage message = MimeParser.Parse(bytes);
                _ = message.TextBody;
                _ = message.HtmlBody;
                foreach (MimeEntity entity in MimeTree.AllEntities(message))
                {
                    if (entity is MimePart part)
                    {
                        _ = part.GetContentBytes();
                        _ = part.FileName;
                    }
                }

                return Eml.RoundTrip(message).AsSpan().SequenceEqual(bytes);
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }
}
