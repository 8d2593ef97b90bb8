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

    [Fact]
    public void ParsesTheSameWhereverTheBytesLie()
    {
        // The reader takes a span over the array under the memory when there is one: a slice in the middle of a larger
        // array and memory with no array at all must read exactly what the bytes alone say.
        byte[] message = Eml.Bytes("""
            From: "A" <a@example.test>
            Subject: =?utf-8?q?caf=C3=A9?=
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain; charset=utf-8

            hello
            --b
            Content-Type: application/octet-stream; name=x.bin
            Content-Transfer-Encoding: base64

            AAEC
            --b--
            """);
        byte[] prefix = [.. "--b\r\nFrom: junk\r\n\r\n"u8];
        byte[] padded = [.. prefix, .. message, .. "\r\n--b\r\nX: y\r\n"u8];
        ReadOnlyMemory<byte> slice = padded.AsMemory(prefix.Length, message.Length);
        slice.Span.SequenceEqual(message).ShouldBeTrue();

        string expected = Describe(MimeMessage.Load(message));
        Describe(MimeMessage.Load(slice)).ShouldBe(expected);
        Describe(MimeMessage.Load(new ArraylessMemory(message).Memory)).ShouldBe(expected);
        expected.ShouldContain("x.bin");
    }

    private static string Describe(MimeMessage message)
    {
        IEnumerable<string> entities = MimeTree.AllEntities(message).Select(e =>
            $"{e.Offset}-{e.BodyOffset}-{e.EndOffset} {e.ContentType.MimeType} [{string.Join("|", e.Headers.Select(h => $"{h.Field}={h.Value}@{h.Offset}"))}] "
            + (e is MimePart part ? $"{part.FileName} {Convert.ToHexString(part.GetContentBytes())}" : string.Empty));
        return $"{string.Join("\n", entities)}\n{message.Subject} {message.TextBody} {string.Join(",", message.EnumerateAllDefects().Select(d => d.Kind))}";
    }

    /// <summary>Memory over bytes that does not expose an array (as memory from native or pooled storage would not).</summary>
    private sealed class ArraylessMemory(byte[] bytes) : System.Buffers.MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => bytes;

        public override System.Buffers.MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
