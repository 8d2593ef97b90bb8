using System.Text;
using ChatOpsBot.Commands.Files;
using ChatOpsBot.Tests.Commands.Support;

namespace ChatOpsBot.Tests.Commands.Files;

public sealed class FileSnifferTests
{
    private static FileKind Classify(string name, string content, string? contentType = null) =>
        FileSniffer.Classify(name, contentType, Encoding.UTF8.GetBytes(content));

    [Theory]
    [InlineData("phish.eml", null)]
    [InlineData("message.txt", null)]
    [InlineData("noname", null)]
    [InlineData("attachment", "message/rfc822")]
    public void MailIsRecognisedByItsHeadersWhateverItsName(string name, string? contentType) =>
        FileSniffer.Classify(name, contentType, Samples.Bytes("phish.eml")).ShouldBe(FileKind.Mail);

    [Fact]
    public void AnMboxFromLineDoesNotHideTheMessage() =>
        Classify("x", "From alice@corp.test Mon Jan  8 09:00:00 2024\nFrom: a@b.test\nSubject: hi\n\nbody").ShouldBe(FileKind.Mail);

    [Fact]
    public void AnEmlExtensionDoesNotMakeAPdfMail() => Classify("invoice.eml", "%PDF-1.7\n...").ShouldBe(FileKind.Pdf);

    [Fact]
    public void AnOutlookMsgUnderAnotherNameIsToldByItsStreamNames()
    {
        byte[] msg = new ChatOpsBot.Mail.Tests.Outlook.MsgBuilder().Text(0x0037, "s").Build();
        byte[] document = ChatOpsBot.Mail.Tests.Outlook.CfbWriter.Build(ChatOpsBot.Mail.Tests.Outlook.CfbNode.Storage("Root Entry", ChatOpsBot.Mail.Tests.Outlook.CfbNode.Stream("WordDocument", new byte[100])));

        FileSniffer.Classify("scan.dat", null, msg).ShouldBe(FileKind.OutlookMsg);
        FileSniffer.Classify("scan.doc", null, document).ShouldBe(FileKind.OfficeDocument);
    }

    [Fact]
    public void AnOutlookMsgIsNamedAsSuch() =>
        FileSniffer.Classify("mail.msg", null, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).ShouldBe(FileKind.OutlookMsg);

    [Theory]
    [InlineData("config.json", "{\"url_protect\": {\"enabled\": true}}", FileKind.Json)]
    [InlineData("notes.txt", "Dear team,\nplease find attached", FileKind.Text)]
    [InlineData("page.html", "<html><body>hi</body></html>", FileKind.Html)]
    [InlineData("empty.eml", "", FileKind.Empty)]
    [InlineData("one-header.txt", "Subject: just one line", FileKind.Text)]
    public void OtherFilesAreNamedForTheExplanation(string name, string content, FileKind expected) =>
        Classify(name, content).ShouldBe(expected);

    [Fact]
    public void ASingleHeaderLineCountsAsMailWhenTheNameSaysSo() =>
        Classify("short.eml", "Subject: just one line").ShouldBe(FileKind.Mail);
}
