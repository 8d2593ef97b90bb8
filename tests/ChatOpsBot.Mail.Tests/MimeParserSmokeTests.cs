using System.Text;
using ChatOpsBot.Mail;

namespace ChatOpsBot.Mail.Tests;

public class MimeParserSmokeTests
{
    [Fact]
    public void ParsesSimpleMessageHeadersAndBody()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("From: Alice <alice@example.com>\r\nSubject: hi\r\n\r\nbody\r\n");

        MimeMessage message = MimeParser.Parse(bytes);

        message.Subject.ShouldBe("hi");
        message.From.Mailboxes.Single().Address.ShouldBe("alice@example.com");
        message.TextBody.ShouldBe("body\r\n");
    }
}
