using System.Text;
using ChatOpsBot.Intake;
using ChatOpsBot.Integrations.Graph;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Tests.Intake;

public sealed class RawMailTests
{
    [Theory]
    [InlineData("From: a@b.example\r\n\r\nbody")]
    [InlineData("from: a@b.example\nSubject: lf only\n\nbody")]
    [InlineData("Received: from x\r\n\tby y; Sun, 22 Nov 2026 09:00:00 +0000\r\nFrom: a@b.example\r\n\r\n")]
    [InlineData("From a@b.example Sun Nov 22 09:00:00 2026\nFrom: a@b.example\n\nmbox separator first")]
    [InlineData("From: a@b.example\r\nSubject: headers only, no body")]
    [InlineData("From: \"Jörg\" <jörg@b.example>\r\n\r\nUTF-8 header (RFC 6532)")]
    public void MailIsAccepted(string text) => RawMail.Problem(Encoding.UTF8.GetBytes(text)).ShouldBeNull();

    [Theory]
    [InlineData("", "empty")]
    [InlineData("hello world\r\nFrom: a@b.example\r\n\r\n", "does not start with a header field")]
    [InlineData(" continued\r\nFrom: a@b.example\r\n\r\n", "continuation")]
    [InlineData("Subject: x\r\nTo: y@b.example\r\n\r\nno from", "no From field")]
    [InlineData("From: a@b.example\r\nSubject: bell\u0007\r\n\r\n", "control or binary")]
    [InlineData("From: a@b.example\r\nnot a header line\r\n\r\n", "not a header field")]
    [InlineData("Bad Name: x\r\nFrom: a@b.example\r\n\r\n", "does not start with a header field")]
    public void AnythingElseIsNotMailWithAReason(string text, string reason) =>
        RawMail.Problem(Encoding.UTF8.GetBytes(text)).ShouldNotBeNull().ShouldContain(reason);

    [Fact]
    public void AHeaderBlockWithoutEndBeyondTheLimitIsRefused()
    {
        var text = new StringBuilder("From: a@b.example\r\n");
        while (text.Length <= RawMail.MaxHeaderBytes + 100)
        {
            text.Append("X-Filler: ").Append('y', 60).Append("\r\n");
        }

        RawMail.Problem(Encoding.ASCII.GetBytes(text.ToString())).ShouldNotBeNull().ShouldContain("longer than");
    }

    [Theory]
    [InlineData("From: a@b.example\r\nAuto-Submitted: auto-replied\r\n\r\nI am out of office", true)]
    [InlineData("From: a@b.example\r\nauto-submitted:\r\n auto-generated; type=ooo\r\n\r\n", true)]
    [InlineData("From: a@b.example\r\nPrecedence: bulk\r\n\r\n", true)]
    [InlineData("From: a@b.example\r\nX-Auto-Response-Suppress: DR, AutoReply\r\n\r\n", true)]
    [InlineData("From: a@b.example\r\nAuto-Submitted: no\r\n\r\n", false)]
    [InlineData("From: a@b.example\r\nSubject: FW: phish\r\n\r\nAuto-Submitted: auto-replied in the body does not count", false)]
    public void MessagesFromProgramsAreRecognised(string text, bool automatic) =>
        RawMail.IsAutomatic(Encoding.UTF8.GetBytes(text)).ShouldBe(automatic);

    [Fact]
    public void BinaryAfterTheHeaderBlockIsAllowed() =>
        RawMail.Problem([.. "From: a@b.example\r\nContent-Transfer-Encoding: binary\r\n\r\n"u8, 0x00, 0xFF, 0x01]).ShouldBeNull();
}

public sealed class IntakeApiKeyTests
{
    private const string Key = "intake-key-0123456789abcdefghijklmnopqrstuvwxyz";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("i")]
    [InlineData("intake-key-0123456789abcdefghijklmnopqrstuvwxy")]
    [InlineData("intake-key-0123456789abcdefghijklmnopqrstuvwxyz ")]
    [InlineData("INTAKE-KEY-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")]
    public void OnlyTheExactKeyMatchesWhateverItsLength(string? presented) => new IntakeApiKey(Key).Matches(presented).ShouldBeFalse();

    [Fact]
    public void TheExactKeyMatches() => new IntakeApiKey(Key).Matches(Key).ShouldBeTrue();

    [Fact]
    public void OnlyADigestOfTheKeyIsKept()
    {
        // The comparison runs over two SHA-256 digests of the same length with a fixed-time compare; the key itself is
        // not held, so there is nothing of variable length to compare early-out against.
        System.Reflection.FieldInfo[] fields = typeof(IntakeApiKey).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
        fields.ShouldHaveSingleItem().FieldType.ShouldBe(typeof(byte[]));
        ((byte[])fields[0].GetValue(new IntakeApiKey(Key))!).Length.ShouldBe(32);
    }
}

public sealed class IntakeOptionsTests
{
    [Theory]
    [InlineData("short-key", "Intake:ApiKey must be 32 to 512")]
    [InlineData("a key with spaces in it 0123456789abcdef", "Intake:ApiKey must be 32 to 512")]
    public void AWeakKeyIsRefused(string key, string message)
    {
        ValidateOptionsResult result = new IntakeOptionsValidator().Validate(null, new IntakeOptions { ApiKey = key });
        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldNotBeNull().ShouldContain(message);
        result.FailureMessage.ShouldNotBeNull().ShouldNotContain(key);
    }

    [Fact]
    public void NoKeyMeansOff() => new IntakeOptionsValidator().Validate(null, new IntakeOptions()).Succeeded.ShouldBeTrue();

    private static ValidateOptionsResult ValidateMailbox(ReportMailboxOptions options, bool graphConfigured = true) =>
        new ReportMailboxOptionsValidator(Options.Create(new GraphOptions { ClientId = graphConfigured ? "client" : "" })).Validate(null, options);

    [Fact]
    public void AnEnabledMailboxNeedsItsAddressAndGraph()
    {
        ValidateOptionsResult result = ValidateMailbox(new ReportMailboxOptions { Enabled = true }, graphConfigured: false);

        result.FailureMessage.ShouldNotBeNull().ShouldContain("ReportMailbox:Mailbox must be");
        result.FailureMessage.ShouldNotBeNull().ShouldContain("ReportMailbox:Graph:ClientId");
    }

    [Fact]
    public void AnUnknownTemplatePlaceholderIsRefusedNamingTheTemplate()
    {
        var options = new ReportMailboxOptions();
        options.Templates.Clean = "Thanks {name}, {subject} is clean";

        ValidateMailbox(options).FailureMessage.ShouldNotBeNull().ShouldContain("ReportMailbox:Templates:Clean uses the unknown placeholder {name}");
    }

    [Theory]
    [InlineData("Schedule", "every minute", "ReportMailbox:Schedule")]
    [InlineData("MaxMessagesPerRun", "0", "ReportMailbox:MaxMessagesPerRun")]
    [InlineData("MaxMessageBytes", "10", "ReportMailbox:MaxMessageBytes")]
    public void BadLimitsAreRefused(string property, string value, string message)
    {
        var options = new ReportMailboxOptions();
        System.Reflection.PropertyInfo info = typeof(ReportMailboxOptions).GetProperty(property)!;
        info.SetValue(options, Convert.ChangeType(value, info.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        ValidateMailbox(options).FailureMessage.ShouldNotBeNull().ShouldContain(message);
    }

    [Fact]
    public void RepliesGoByDefaultOnlyToTheMailboxDomain()
    {
        new ReportMailboxOptions { Mailbox = "Phish@Contoso.example" }.EffectiveReplyDomains.ShouldBe(["contoso.example"]);
        var listed = new ReportMailboxOptions { Mailbox = "phish@contoso.example" };
        listed.ReplyDomains.Add("Fabrikam.example");
        listed.EffectiveReplyDomains.ShouldBe(["fabrikam.example"]);
    }

    [Fact]
    public void TemplatesFillEachPlaceholderOnceSoValuesAreNotReinterpreted()
    {
        string text = ReporterReplies.Render("{subject} / {reportId} / {unknown}", new Dictionary<string, string>
        {
            ["subject"] = "{reportId}",
            ["reportId"] = "rpt-1",
        });

        text.ShouldBe("{reportId} / rpt-1 / {unknown}");
    }
}
