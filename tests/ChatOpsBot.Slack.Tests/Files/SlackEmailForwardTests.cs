using System.Text;
using System.Text.Json;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Slack.Files;
using ChatOpsBot.Slack.Inbound;

namespace ChatOpsBot.Slack.Tests.Files;

public class SlackEmailForwardTests
{
    // Shaped like the email file object in slack-web's golden fixture (tests/golden/SlackWebhookEvent/email_message.json),
    // with a phish's values.
    private const string EmailFileJson = """
        {
          "id": "F0123468789", "created": 1671217113, "timestamp": 1671217110, "name": "Action required", "title": "Action required",
          "mimetype": "text/html", "filetype": "email", "pretty_type": "Email", "user": "USLACKBOT", "editable": true, "size": 6212,
          "mode": "email", "is_external": false, "display_as_bot": true, "username": "Email",
          "url_private": "https://files.slack.com/files-pri/T1-F0123468789/action_required",
          "url_private_download": "https://files.slack.com/files-pri/T1-F0123468789/download/action_required",
          "subject": "Action required: your password expires today",
          "to": [ { "address": "dana.lee@contoso.example", "name": "Dana Lee", "original": "Dana Lee <dana.lee@contoso.example>" } ],
          "from": [ { "address": "security-noreply@micros0ft-secure.example", "name": "Microsoft 365 Security", "original": "Microsoft 365 Security <security-noreply@micros0ft-secure.example>" } ],
          "cc": [],
          "attachments": [], "original_attachment_count": 0,
          "plain_text": "Your password expires today. Verify at https://login.micros0ft-secure.example/owa/verify",
          "preview": "Your password expires today.",
          "headers": { "date": "Tue, 12 May 2026 08:13:58 +0000", "in_reply_to": null, "reply_to": "helpdesk.verify@freemail.example", "message_id": "<20260512081358.4411@micros0ft-secure.example>" }
        }
        """;

    private static SlackFile EmailFile(Action<Dictionary<string, object?>>? edit = null)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, object?>>(EmailFileJson)!;
        edit?.Invoke(values);
        using JsonDocument document = JsonDocument.Parse(JsonSerializer.Serialize(values));
        return SlackJson.File(document.RootElement)!;
    }

    [Fact]
    public void TheFileObjectKeepsWhatSlackParsedOfTheMail()
    {
        SlackFile file = EmailFile();

        file.IsEmailForward.ShouldBeTrue();
        SlackEmailDetails email = file.Email.ShouldNotBeNull();
        email.Subject.ShouldBe("Action required: your password expires today");
        email.From.ShouldHaveSingleItem().Address.ShouldBe("security-noreply@micros0ft-secure.example");
        email.To.ShouldHaveSingleItem().Name.ShouldBe("Dana Lee");
        email.Headers["reply_to"].ShouldBe("helpdesk.verify@freemail.example");
        email.Headers.ContainsKey("in_reply_to").ShouldBeFalse();
    }

    [Fact]
    public void TheRebuiltMessageIsAnalysedLikeAnUploadAndSaysItWasRebuilt()
    {
        byte[] html = "<html><body><p>Verify <a href=\"https://login.micros0ft-secure.example/owa/verify\">https://login.microsoftonline.com/common/verify</a></p></body></html>"u8.ToArray();

        EmailReport report = EmailAnalyzer.Analyze(SlackEmailForward.ToRfc822(EmailFile(), html));

        report.Subject.ShouldBe("Action required: your password expires today");
        report.From!.Address.ShouldBe("security-noreply@micros0ft-secure.example");
        report.From.Name.ShouldBe("Microsoft 365 Security");
        report.ReplyTo.ShouldHaveSingleItem().Address.ShouldBe("helpdesk.verify@freemail.example");
        report.MessageId.ShouldBe("20260512081358.4411@micros0ft-secure.example");
        report.Urls.ShouldContain(u => u.Url.Contains("login.micros0ft-secure.example", StringComparison.Ordinal));
        report.RawHeaders.ShouldStartWith(SlackEmailForward.SourceHeader + ": Slack email forward F0123468789, rebuilt");
        report.Findings.ShouldContain(f => f.Reason.Contains("Replies go to", StringComparison.Ordinal));
    }

    [Fact]
    public void SenderTextCannotAddHeadersOrParts()
    {
        SlackFile file = EmailFile(values =>
        {
            values["subject"] = "Hello\r\nBcc: attacker@evil.example\r\n\r\n--boundary";
            values["from"] = new[] { new Dictionary<string, string> { ["address"] = "a@evil.example>\r\nX-Injected: 1", ["name"] = "Eve \"the\" Attacker" } };
        });

        string message = Encoding.ASCII.GetString(SlackEmailForward.ToRfc822(file, []));
        string headers = message[..message.IndexOf("\r\n\r\n", StringComparison.Ordinal)];

        headers.ShouldNotContain("\r\nBcc:");
        headers.ShouldNotContain("\r\nX-Injected:");
        EmailReport report = EmailAnalyzer.Analyze(Encoding.ASCII.GetBytes(message));
        report.Subject.ShouldBe("Hello  Bcc: attacker@evil.example    --boundary");
        report.From!.Name.ShouldBe("Eve \"the\" Attacker");
    }

    [Fact]
    public void NonAsciiHeadersAreEncodedWords()
    {
        SlackFile file = EmailFile(values => values["subject"] = "Überweisung dringend – bitte prüfen 💸");

        EmailReport report = EmailAnalyzer.Analyze(SlackEmailForward.ToRfc822(file, []));

        report.Subject.ShouldBe("Überweisung dringend – bitte prüfen 💸");
    }
}
