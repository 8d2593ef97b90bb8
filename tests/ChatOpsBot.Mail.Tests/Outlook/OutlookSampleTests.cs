using System.Text;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Mail;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Mail.Tests.Outlook;

/// <summary>The .msg files of ../shared/corpus/mail/eml_analyzer, written by Outlook (no .eml twin exists for them).</summary>
public class OutlookSampleTests
{
    private static byte[] Sample(string name) => File.ReadAllBytes(SharedFolder.PathTo($"corpus/mail/eml_analyzer/{name}"));

    [SharedFolderFact]
    public void OtherMsgIsABounceCarryingTheOriginalWithItsPdf()
    {
        OutlookReadResult result = OutlookMessageReader.Read(Sample("other.msg"));

        result.MessageClass.ShouldBe("IPM.Note");
        MimeMessage message = result.Message.ShouldNotBeNull();
        message.Subject.ShouldBe("投递状态通知 (Failure Notice)");
        message.From.Mailboxes.Single().Address.ShouldBe("mailer-daemon@tjdpf.org.cn");
        message.Headers.FindAll("Received").Count().ShouldBe(2);
        message.TextBody.ShouldNotBeNull().ShouldContain("The recipients is locked");
        message.HtmlBody.ShouldNotBeNull().ShouldContain("<font color=\"red\">");

        MimeMessage original = message.Attachments.OfType<MessagePart>().Single().Message;
        original.Subject.ShouldBe("回复：转发：反馈·北京 2017年12月02-03日 销售");
        original.From.Mailboxes.Single().Address.ShouldBe("yosipnps@model.com");
        MimePart pdf = original.Attachments.OfType<MimePart>().Single();
        pdf.FileName.ShouldBe("北京 2017年12月02-03日 销售主管 确认n.pdf");
        byte[] content = pdf.GetContentBytes();
        content.Length.ShouldBe(144_702);
        Encoding.ASCII.GetString(content, 0, 5).ShouldBe("%PDF-");
        message.EnumerateAllDefects().ShouldBeEmpty();
    }

    [SharedFolderFact]
    public void OuterMsgHoldsAnEmbeddedMessageWithBodiesFromRtfOrHtml()
    {
        MimeMessage message = OutlookMessageReader.Read(Sample("outer.msg")).Message.ShouldNotBeNull();

        message.Subject.ShouldBe("outer subject");
        message.To.Mailboxes.Single().Address.ShouldBe("outer@foo.bar");
        message.TextBody.ShouldNotBeNull().Trim().ShouldBe("Outer body");
        MessagePart inner = message.Attachments.OfType<MessagePart>().Single();
        inner.Message.Subject.ShouldBe("test");
        inner.Message.To.Mailboxes.Single().Address.ShouldBe("test@foobar.com");
        message.EnumerateAllDefects().ShouldBeEmpty();
    }

    [SharedFolderFact]
    public void TheAnalyzerUnwrapsTheSamplesLikeForwards()
    {
        EmailReport other = EmailAnalyzer.Analyze(OutlookMessageReader.Read(Sample("other.msg")).Message!);

        other.Forwarded.ShouldBeTrue();
        other.Reporter.ShouldNotBeNull().Address.ShouldBe("mailer-daemon@tjdpf.org.cn");
        other.Subject.ShouldBe("回复：转发：反馈·北京 2017年12月02-03日 销售");
        AttachmentSummary pdf = other.Attachments.Single();
        pdf.Filename.ShouldBe("北京 2017年12月02-03日 销售主管 确认n.pdf");
        pdf.SniffedContentType.ShouldContain("pdf");
        pdf.Size.ShouldBe(144_702);
    }

    [SharedFolderFact]
    public void EveryMsgInTheCorpusReadsWithoutDefects()
    {
        string root = SharedFolder.PathTo("corpus/mail");
        List<string> files = Directory.EnumerateFiles(root, "*.msg", SearchOption.AllDirectories).ToList();

        files.Count.ShouldBeGreaterThanOrEqualTo(2);
        foreach (string file in files)
        {
            OutlookReadResult result = OutlookMessageReader.Read(File.ReadAllBytes(file));
            result.Problem.ShouldBeNull(file);
            result.Message.ShouldNotBeNull().EnumerateAllDefects().ShouldBeEmpty(file);
        }
    }
}
