using System.Text;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Mail.Tests;

public class PooledBufferTests
{
    [Fact]
    public void MessageTextDecodedThroughPooledBuffersIsClearedBeforeTheBuffersGoBack()
    {
        // A unique marker, so nothing another test left in this thread's pool can match it.
        string marker = "pooled-secret-" + Guid.NewGuid().ToString("N");
        // Built with StringBuilder: string.Concat and interpolation of long text go through pooled buffers themselves.
        var body = new StringBuilder();
        var quotedPrintable = new StringBuilder();
        for (int i = 0; i < 40; i++)
        {
            body.Append("The wire details are ").Append(marker).Append(". ");
            quotedPrintable.Append("The wire details are ").Append(marker).Append(".=\r\n ");
        }

        string base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(body.ToString()), Base64FormattingOptions.InsertLineBreaks);
        PooledMemory.Prime();
        MimeMessage message = MimeMessage.Load(Encoding.UTF8.GetBytes(new StringBuilder()
            .Append("From: CEO <ceo@example.com>\r\nTo: soc@example.com\r\nSubject: wire\r\n")
            .Append("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n")
            .Append("--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n").Append(base64).Append("\r\n")
            .Append("--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n").Append(quotedPrintable).Append("\r\n")
            .Append("--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=a.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(base64).Append("\r\n--b--\r\n")
            .ToString()));

        var texts = message.BodyParts.OfType<TextPart>().Select(p => p.Text).ToList();
        byte[] attachment = message.Attachments.OfType<MimePart>().Single().GetContentBytes();

        // Looked at before any assertion touches the text: assertion libraries and culture-aware comparisons may pool
        // copies of it themselves.
        bool leaked = PooledMemory.HoldsText(marker);

        texts.Count.ShouldBe(2);
        texts.ShouldAllBe(t => t.Contains(marker, StringComparison.Ordinal));
        Encoding.UTF8.GetString(attachment).Contains(marker, StringComparison.Ordinal).ShouldBeTrue();
        leaked.ShouldBeFalse("a pooled buffer went back to the shared pool holding message text");
    }
}
