using System.Text.Json;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.Impersonation;

namespace ChatOpsBot.Analysis.Tests.Impersonation;

public class ImpersonationInputTests
{
    [Fact]
    public void VipListReadsNamesAndDomains()
    {
        IReadOnlyList<VipEntry> vips = ParseVips("""[{"name": "Jane Doe", "domain": "corp.com"}, {"name": "Doe, John", "domain": " Corp.COM ", "title": "CFO"}]""");

        vips.ShouldBe([new VipEntry("Jane Doe", "corp.com"), new VipEntry("Doe, John", "Corp.COM")]);
    }

    [Theory]
    [InlineData("""[{"name": "Jane Doe"}]""")]
    [InlineData("""[{"name": "Jane Doe", "domain": ""}]""")]
    public void MissingOrEmptyDomainMeansNameOnlyAsInTheSeed(string json)
    {
        ParseVips(json).ShouldBe([new VipEntry("Jane Doe", string.Empty)]);
    }

    [Fact]
    public void EmptyVipListIsValid()
    {
        ParseVips("[]").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"name": "Jane Doe", "domain": "corp.com"}""", "the VIP list must be a JSON list of {\"name\", \"domain\"} objects, got an object")]
    [InlineData("\"Jane Doe\"", "the VIP list must be a JSON list of {\"name\", \"domain\"} objects, got a string")]
    [InlineData("null", "the VIP list must be a JSON list of {\"name\", \"domain\"} objects, got null")]
    [InlineData("""[{"name": "Jane Doe"}, "John Smith"]""", "VIP list entry 2 must be an object with \"name\" and \"domain\", got a string")]
    [InlineData("""[[]]""", "VIP list entry 1 must be an object with \"name\" and \"domain\", got a list")]
    [InlineData("""[{"domain": "corp.com"}]""", "VIP list entry 1 has no \"name\"")]
    [InlineData("""[{"name": 42}]""", "VIP list entry 1: \"name\" must be a string, got a number")]
    [InlineData("""[{"name": null}]""", "VIP list entry 1: \"name\" must be a string, got null")]
    [InlineData("""[{"name": ""}]""", "VIP list entry 1: \"name\" is empty")]
    [InlineData("""[{"name": "   "}]""", "VIP list entry 1: \"name\" is empty")]
    [InlineData("""[{"name": "--."}]""", "VIP list entry 1: \"name\" (\"--.\") has no letters or digits")]
    [InlineData("""[{"name": "Jane Doe", "domain": null}]""", "VIP list entry 1: \"domain\" must be a string, got null")]
    [InlineData("""[{"name": "Jane Doe", "domain": ["corp.com"]}]""", "VIP list entry 1: \"domain\" must be a string, got a list")]
    [InlineData("""[{"name": "Jane Doe", "domain": true}]""", "VIP list entry 1: \"domain\" must be a string, got a boolean")]
    [InlineData("""[{"name": "Jane Doe", "domain": "jane@corp.com"}]""", "VIP list entry 1: \"domain\" (\"jane@corp.com\") is not a valid domain name (expected e.g. \"corp.com\")")]
    [InlineData("""[{"name": "Jane Doe", "domain": "[10.0.0.1]"}]""", "VIP list entry 1: \"domain\" (\"[10.0.0.1]\") is not a valid domain name (expected e.g. \"corp.com\")")]
    public void MalformedVipListIsOneClearError(string json, string message)
    {
        Should.Throw<InvalidInputException>(() => ParseVips(json)).Message.ShouldBe(message);
    }

    [Fact]
    public void OverlongVipNameAndOverlongListAreRejected()
    {
        string longName = new('a', ImpersonationInput.MaxNameLength + 1);
        Should.Throw<InvalidInputException>(() => ParseVips($$"""[{"name": "{{longName}}"}]"""))
            .Message.ShouldBe($"VIP list entry 1: \"name\" is {ImpersonationInput.MaxNameLength + 1} characters long; at most {ImpersonationInput.MaxNameLength} are supported");

        string manyVips = "[" + string.Join(',', Enumerable.Repeat("""{"name": "x"}""", ImpersonationInput.MaxVipEntries + 1)) + "]";
        Should.Throw<InvalidInputException>(() => ParseVips(manyVips))
            .Message.ShouldBe($"the VIP list has {ImpersonationInput.MaxVipEntries + 1} entries; at most {ImpersonationInput.MaxVipEntries} are supported");
    }

    [Fact]
    public void ControlCharactersInAnEchoedNameDoNotBreakTheMessageLine()
    {
        Should.Throw<InvalidInputException>(() => ParseVips("""[{"name": "-\n-"}]""")).Message.ShouldNotContain('\n');
    }

    [Fact]
    public void EmailReadsTheSeedsThreeFields()
    {
        SenderIdentity sender = ParseEmail("""{"from": "jane@gmail.com", "from_display_name": "Jane Doe", "reply_to": "x@evil.com", "subject": "ignored"}""");

        sender.ShouldBe(new SenderIdentity("Jane Doe", "jane@gmail.com", "x@evil.com"));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"reply_to": null}""")]
    public void MissingEmailFieldsDefaultToEmptyAsInTheSeed(string json)
    {
        ParseEmail(json).ShouldBe(new SenderIdentity(string.Empty, string.Empty, string.Empty));
    }

    [Theory]
    [InlineData("[]", "the email must be a JSON object with \"from\", \"from_display_name\" and \"reply_to\", got a list")]
    [InlineData("\"jane@gmail.com\"", "the email must be a JSON object with \"from\", \"from_display_name\" and \"reply_to\", got a string")]
    [InlineData("""{"from": 7}""", "the email's \"from\" must be a string, got a number")]
    [InlineData("""{"from": null}""", "the email's \"from\" must be a string, got null")]
    [InlineData("""{"from": ["a@b.com"]}""", "the email's \"from\" must be a string, got a list")]
    [InlineData("""{"from_display_name": {"first": "Jane"}}""", "the email's \"from_display_name\" must be a string, got an object")]
    [InlineData("""{"reply_to": false}""", "the email's \"reply_to\" must be a string, got a boolean")]
    public void MalformedEmailIsOneClearError(string json, string message)
    {
        Should.Throw<InvalidInputException>(() => ParseEmail(json)).Message.ShouldBe(message);
    }

    [Fact]
    public void OverlongEmailFieldIsRejected()
    {
        string longValue = new('a', ImpersonationInput.MaxFieldLength + 1);

        Should.Throw<InvalidInputException>(() => ParseEmail($$"""{"from_display_name": "{{longValue}}"}"""))
            .Message.ShouldStartWith("the email's \"from_display_name\" is 16385 characters long");
    }

    [Fact]
    public void InvalidUtf8InAStringIsAnInputError()
    {
        byte[] latin1 = [.. "{\"from_display_name\": \"J"u8, 0xE4, .. "ne\"}"u8];
        using JsonDocument document = JsonDocument.Parse(latin1);

        Should.Throw<InvalidInputException>(() => ImpersonationInput.ParseEmail(document.RootElement))
            .Message.ShouldBe("the email's \"from_display_name\" is not valid UTF-8 or Unicode text");
    }

    private static IReadOnlyList<VipEntry> ParseVips(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return ImpersonationInput.ParseVipList(document.RootElement);
    }

    private static SenderIdentity ParseEmail(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return ImpersonationInput.ParseEmail(document.RootElement);
    }
}
