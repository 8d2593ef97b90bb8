using System.Collections;
using System.Text.Json;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Cards;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Alerts.ThreatFeed;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Model;
using Microsoft.Extensions.Configuration;

namespace ChatOpsBot.Tests.Alerts;

public sealed class UrlNormalizerTests
{
    private readonly UrlNormalizer _normalizer = new(MonitorOptions.DefaultTrackingParameters);

    [Theory]
    [InlineData("https://Evil.Example/login", "https://evil.example/login")]
    [InlineData("HTTPS://EVIL.EXAMPLE:443/login/", "https://evil.example/login")]
    [InlineData("http://evil.example:80", "http://evil.example/")]
    [InlineData("http://evil.example:8080/a", "http://evil.example:8080/a")]
    [InlineData("https://user:pw@evil.example/a#frag", "https://evil.example/a")]
    [InlineData("https://evil.example/a?utm_source=x&id=7&fbclid=y&UTM_Medium=z", "https://evil.example/a?id=7")]
    [InlineData("https://evil.example/a?b=2&a=1", "https://evil.example/a?b=2&a=1")]
    [InlineData("https://bücher.example/", "https://xn--bcher-kva.example/")]
    [InlineData("  https://evil.example/Path  ", "https://evil.example/Path")]
    public void EquivalentSpellingsNormaliseToOneKey(string url, string expected) =>
        _normalizer.Normalize(url).NormalizedUrl.ShouldBe(expected);

    [Fact]
    public void TextThatIsNotAnHttpUrlIsKeyedAsItIs()
    {
        _normalizer.Normalize("javascript:alert(1)").ShouldBe(("javascript:alert(1)", null));
        _normalizer.Normalize("not a url").RegistrableDomain.ShouldBeNull();
    }

    [Theory]
    [InlineData("https://files.evil.example/a", "evil.example")]
    [InlineData("https://www.shop.co.uk/a", "shop.co.uk")]
    [InlineData("https://203.0.113.9/a", "203.0.113.9")]
    public void TheRegistrableDomainIsTheOrganisationsDomain(string url, string domain) =>
        _normalizer.Normalize(url).RegistrableDomain.ShouldBe(domain);

    [Fact]
    public void ConfiguredTrackingParametersReplaceTheDefaults()
    {
        var custom = new UrlNormalizer(["ref", "session*"]);
        custom.Normalize("https://a.example/?ref=1&sessionid=2&utm_source=3").NormalizedUrl.ShouldBe("https://a.example/?utm_source=3");
    }
}

public sealed class SeedEnvironmentAliasTests
{
    [Fact]
    public void SeedVariablesFillEmptyKeys()
    {
        IConfiguration configuration = new ConfigurationBuilder().Build();
        var environment = new Hashtable
        {
            ["CLIENT_ID"] = "seed-client",
            ["CLIENT_SECRET"] = "seed-secret",
            ["SMTP_SERVER"] = "smtp.corp.example",
            ["SMTP_USER"] = "monitor@corp.example",
            ["SMTP_PW"] = "pw",
            ["EMAIL_RECIPIENTS"] = "a@corp.example b@corp.example",
        };

        Dictionary<string, string?> values = SeedEnvironmentAliases.Resolve(configuration, environment);

        values["Mimecast:ClientId"].ShouldBe("seed-client");
        values["Mimecast:ClientSecret"].ShouldBe("seed-secret");
        values["Smtp:Host"].ShouldBe("smtp.corp.example");
        values["Smtp:Username"].ShouldBe("monitor@corp.example");
        values["Smtp:Password"].ShouldBe("pw");
        values["Smtp:Recipients:0"].ShouldBe("a@corp.example");
        values["Smtp:Recipients:1"].ShouldBe("b@corp.example");
    }

    [Fact]
    public void OurOwnKeysWinOverTheSeedVariables()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mimecast:ClientId"] = "ours",
            ["Smtp:Recipients:0"] = "soc@corp.example",
        }).Build();

        Dictionary<string, string?> values = SeedEnvironmentAliases.Resolve(
            configuration, new Hashtable { ["CLIENT_ID"] = "seed", ["EMAIL_RECIPIENTS"] = "x@corp.example" });

        values.ShouldBeEmpty();
    }

    [Fact]
    public void SmtpUserIsTheFromAddressWhenFromIsEmptyAsInTheSeed() =>
        new SmtpOptions { Host = "smtp.corp.example", Username = "monitor@corp.example" }.EffectiveFrom.ShouldBe("monitor@corp.example");
}

public sealed class AlertOptionsValidationTests
{
    [Fact]
    public void PlainSmtpIsRefusedForARemoteHost()
    {
        var options = new SmtpOptions { Host = "smtp.corp.example", UseStartTls = false, From = "a@corp.example" };

        new SmtpOptionsValidator().Validate(null, options).Failures.ShouldNotBeNull().ShouldContain(f => f.Contains("UseStartTls", StringComparison.Ordinal));
    }

    [Fact]
    public void PlainSmtpIsAllowedOnLoopback() =>
        new SmtpOptionsValidator().Validate(null, new SmtpOptions { Host = "127.0.0.1", UseStartTls = false, From = "a@corp.example" }).Succeeded.ShouldBeTrue();

    [Theory]
    [InlineData("mail:soc@corp.example", true)]
    [InlineData("conversation:msteams:19:abc@thread.tacv2", true)]
    [InlineData("mail:Soc Team <soc@corp.example>", false)]
    [InlineData("teams:abc", false)]
    [InlineData("conversation:msteams", false)]
    public void TargetsAreCheckedOnStart(string target, bool valid)
    {
        var options = new AlertsOptions();
        options.Targets.Add(target);

        new AlertsOptionsValidator().Validate(null, options).Succeeded.ShouldBe(valid);
    }

    [Fact]
    public void AnInvalidCronScheduleIsRefusedWithTheKey()
    {
        var options = new MonitorOptions { Schedule = "every 20 minutes" };

        new MonitorOptionsValidator().Validate(null, options).Failures.ShouldNotBeNull().ShouldContain(f => f.StartsWith("Monitor:Schedule", StringComparison.Ordinal));
    }
}

public sealed class AlertCardTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheCardDefangsAndEscapesMailTextAndCarriesTheFourButtons()
    {
        AlertRecord alert = SmtpAlertChannelTests.SampleAlert();

        AdaptiveCard card = AlertCard.Build(alert, s_now);
        // Button data is not rendered (it carries the exact address and URL the command layer needs); all shown text is.
        string json = CardJson.Serialize(card with { Actions = [] });

        json.ShouldNotContain("https://evil.example");
        json.ShouldNotContain("billing@evil.example");
        json.ShouldContain("hxxps://evil[.]example/login");
        json.ShouldNotContain("<at>");
        json.ShouldContain(@"\\*42\\*");
        List<AdaptiveSubmitAction> buttons = [.. card.Actions.Cast<AdaptiveSubmitAction>()];
        buttons.Select(b => b.Title).ShouldBe(["Block sender", "Block URL", "Acknowledge", "Snooze 24 h"]);
        Data(buttons[0]).ShouldBe(new Dictionary<string, string> { ["verb"] = "block sender", ["sender"] = "billing@evil.example", ["alertId"] = alert.AlertId });
        Data(buttons[1]).ShouldBe(new Dictionary<string, string> { ["verb"] = "block url", ["url"] = "https://evil.example/login", ["alertId"] = alert.AlertId });
        Data(buttons[2]).ShouldBe(new Dictionary<string, string> { ["verb"] = "alert ack", ["alertId"] = alert.AlertId });
        Data(buttons[3]).ShouldBe(new Dictionary<string, string> { ["verb"] = "alert snooze", ["alertId"] = alert.AlertId });
    }

    [Fact]
    public void AnAcknowledgedCardHasNoButtonsAndSaysWhoAndWhen()
    {
        AlertRecord alert = SmtpAlertChannelTests.SampleAlert() with
        {
            Status = AlertStatuses.Acknowledged,
            AcknowledgedBy = new AlertActor("aad-1", "Sam *Analyst*"),
            AcknowledgedAt = s_now.AddMinutes(3),
        };

        AdaptiveCard card = AlertCard.Build(alert, s_now);

        card.Actions.ShouldBeEmpty();
        CardJson.Serialize(card).ShouldContain(@"Acknowledged by Sam \\*Analyst\\* at 2026-11-02 09:03:00 UTC");
    }

    [Fact]
    public void AHugeExposureListStillFitsTheTeamsCardLimit()
    {
        AlertRecord alert = SmtpAlertChannelTests.SampleAlert();
        List<ExposedClick> many = [.. Enumerable.Range(0, 500).Select(i =>
            new ExposedClick(s_now.AddMinutes(-i), $"user{i}@corp.example", "x@evil.example", new string('s', 400), "https://evil.example/" + new string('p', 2000), null))];
        alert = alert with { Payload = alert.Payload with { Exposed = many, ExposedTotal = 5000 } };

        AdaptiveCard card = AlertCard.Build(alert, s_now);

        CardJson.Utf8ByteCount(card).ShouldBeLessThanOrEqualTo(CardJson.MaxCardBytes);
        CardJson.Serialize(card).ShouldContain("more");
    }

    private static Dictionary<string, string> Data(AdaptiveSubmitAction action) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(JsonSerializer.Serialize(action.Data))!;
}

public sealed class ThreatMappingTests
{
    [Theory]
    [InlineData("", "User Click", "User Click", "T1598.003")]
    [InlineData(null, "Entry Scan", "Entry Scan", "T1598.003")]
    [InlineData("Default Inbound URL Protect Definition", "User Click", "Default Inbound URL Protect Definition", "T1598.003")]
    public void AClickIsTypedBySeed002sRule(string? ttpDefinition, string creationMethod, string type, string technique)
    {
        ThreatClassification classification = ThreatMapping.Click(ttpDefinition, creationMethod);

        classification.AlertType.ShouldBe(type);
        classification.Technique.ThreatId.ShouldBe(technique);
    }

    [Fact]
    public void AttachmentsAndImpersonationsHaveSeed002sDefaults()
    {
        ThreatMapping.Attachment().ShouldBe(new ThreatClassification("Unsafe Email Attachment", new("T1598.002", "Spearphishing Attachment")));
        ThreatMapping.Impersonation().AlertType.ShouldBe("Impersonation Attempt");
    }
}

public sealed class AlertTargetTests
{
    [Fact]
    public void AConversationTargetKeepsColonsInTheConversationId()
    {
        AlertTarget.TryParse("conversation:msteams:19:abc@thread.tacv2;messageid=1", out AlertTarget? target, out _).ShouldBeTrue();
        target!.TryGetConversation(out string? channel, out string? conversation).ShouldBeTrue();
        channel.ShouldBe("msteams");
        conversation.ShouldBe("19:abc@thread.tacv2;messageid=1");
    }
}
