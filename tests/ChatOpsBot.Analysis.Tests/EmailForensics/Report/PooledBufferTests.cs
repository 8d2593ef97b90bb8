using System.Text;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Report;

public class PooledBufferTests
{
    [Fact]
    public void AnalysisClearsThePooledBuffersThatHeldMessageText()
    {
        // A unique marker, so nothing another test left in this thread's pool can match it. It sits where the analysis
        // works in pooled buffers: a folded Received header, a text attachment's sniffed sample, a zip member, the body.
        string marker = "pooledsecret" + Guid.NewGuid().ToString("N");
        // Built with StringBuilder: string.Concat and interpolation of long text go through pooled buffers themselves.
        var text = new StringBuilder();
        for (int i = 0; i < 60; i++)
        {
            text.Append("Invoice reference ").Append(marker).Append(" attached. ");
        }

        string attachment = Convert.ToBase64String(Encoding.UTF8.GetBytes(text.ToString()), Base64FormattingOptions.InsertLineBreaks);
        string zip = Convert.ToBase64String(Zip("notes.txt", text.ToString()), Base64FormattingOptions.InsertLineBreaks);
        string eml = new StringBuilder()
            .Append("Received: from mail.example.net (mail.example.net [203.0.113.9])\r\n\tby mx.example.com with ESMTPS id ").Append(marker)
            .Append(";\r\n\tMon, 2 Nov 2026 09:00:00 +0000\r\n")
            .Append("From: Sender <sender@example.net>\r\nTo: soc@example.com\r\nSubject: invoice\r\nDate: Mon, 2 Nov 2026 09:00:01 +0000\r\n")
            .Append("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n")
            .Append("--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n").Append(attachment).Append("\r\n")
            .Append("--b\r\nContent-Type: text/plain; name=notes.txt\r\nContent-Disposition: attachment; filename=notes.txt\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(attachment).Append("\r\n")
            .Append("--b\r\nContent-Type: application/zip; name=notes.zip\r\nContent-Disposition: attachment; filename=notes.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(zip).Append("\r\n--b--\r\n")
            .ToString();

        PooledMemory.Prime();
        EmailReport report = EmailAnalyzer.Analyze(Encoding.UTF8.GetBytes(eml));

        // Looked at before any assertion runs: assertion libraries may pool copies of what they compare themselves.
        bool leaked = PooledMemory.HoldsText(marker);

        report.ReceivedHops.ShouldHaveSingleItem().FromHost.ShouldBe("mail.example.net");
        report.Attachments.Count.ShouldBe(2);
        leaked.ShouldBeFalse("a pooled buffer went back to the shared pool holding message text");
    }

    private static byte[] Zip(string name, string content)
    {
        using var stream = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using Stream entry = archive.CreateEntry(name).Open();
            entry.Write(Encoding.UTF8.GetBytes(content));
        }

        return stream.ToArray();
    }
}
