using System.Text.Json;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Cards.Tests.Support;

namespace ChatOpsBot.Cards.Tests.Builders;

public class BuilderTests
{
    public static TheoryData<string> Names => TestCards.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryCardIsStructurallyValidAndWithinBudget(string name)
    {
        AdaptiveCard card = TestCards.All[name]();
        string json = CardJson.Serialize(card);

        CardStructure.Problems(json).ShouldBeEmpty();
        CardJson.Utf8ByteCount(card).ShouldBeLessThanOrEqualTo(CardJson.MaxCardBytes);
    }

    [Fact]
    public void EmailVerdictPutsTheVerdictFirstColouredByVerdict()
    {
        AdaptiveCard card = EmailVerdictCard.Build(TestInputs.Email("phish-forwarded.eml"));

        var banner = card.Body[0].ShouldBeOfType<AdaptiveContainer>();
        banner.Style.ShouldBe(AdaptiveContainerStyle.Attention);
        banner.Items[0].ShouldBeOfType<AdaptiveTextBlock>().Text.ShouldBe("MALICIOUS · score 100/100");
        card.FallbackText.ShouldBe("MALICIOUS (score 100/100): Action required: your password expires today");
    }

    [Theory]
    [InlineData(Verdict.Malicious, AdaptiveContainerStyle.Attention)]
    [InlineData(Verdict.Suspicious, AdaptiveContainerStyle.Warning)]
    [InlineData(Verdict.Clean, AdaptiveContainerStyle.Good)]
    [InlineData(Verdict.Unknown, AdaptiveContainerStyle.Emphasis)]
    public void VerdictBannerColourFollowsTheVerdict(Verdict verdict, AdaptiveContainerStyle style)
    {
        EmailReport report = TestInputs.Email("pasted-headers.txt") with { Verdict = verdict };

        EmailVerdictCard.Build(report).Body[0].ShouldBeOfType<AdaptiveContainer>().Style.ShouldBe(style);
        HeadersCard.Build(report).Body[0].ShouldBeOfType<AdaptiveContainer>().Style.ShouldBe(style);
    }

    [Fact]
    public void EmailVerdictShowsUrlsDefangedAndAttachmentHashes()
    {
        EmailReport report = TestInputs.Email("phish-forwarded.eml");
        string json = CardJson.Serialize(EmailVerdictCard.Build(report));

        json.ShouldContain(@"hxxps://login\\[.\\]micros0ft-secure\\[.\\]example/owa/verify");
        json.ShouldNotContain("https://", Case.Insensitive);
        json.ShouldContain($"SHA-256 {report.Attachments[0].Sha256}");
        json.ShouldContain(@"Reported by Dana Lee \\<dana\\[.\\]lee@contoso\\[.\\]example\\>, forwarded as an attachment");
    }

    [Fact]
    public void RawHeadersAreHiddenBehindAToggle()
    {
        AdaptiveCard card = EmailVerdictCard.Build(TestInputs.Email("phish-forwarded.eml"));

        var raw = card.Body.OfType<AdaptiveContainer>().Single(c => c.Id == "rawHeaders");
        raw.IsVisible.ShouldBe(false);
        raw.Items.OfType<AdaptiveTextBlock>().ShouldContain(t => t.Text.StartsWith("Subject: Action required", StringComparison.Ordinal));
        card.Actions.ShouldHaveSingleItem().ShouldBeOfType<AdaptiveToggleVisibilityAction>().TargetElements.Single().ElementId.ShouldBe("rawHeaders");
    }

    [Theory]
    [InlineData(100, AdaptiveContainerStyle.Good)]
    [InlineData(90, AdaptiveContainerStyle.Good)]
    [InlineData(89, AdaptiveContainerStyle.Warning)]
    [InlineData(70, AdaptiveContainerStyle.Warning)]
    [InlineData(69, AdaptiveContainerStyle.Attention)]
    [InlineData(0, AdaptiveContainerStyle.Attention)]
    public void AuditScoreColourFollowsItsBand(int score, AdaptiveContainerStyle style) =>
        AuditCard.Build(TestInputs.Audit() with { Score = score }).Body[0].ShouldBeOfType<AdaptiveContainer>().Style.ShouldBe(style);

    [Fact]
    public void AuditListsFindingsWorstFirstWithRemediation()
    {
        string[] sections = [.. AuditCard.Build(TestInputs.Audit()).Body.OfType<AdaptiveTextBlock>().Where(t => t.Separator).Select(t => t.Text)];

        sections.ShouldBe(["Services", "HIGH (2)", "MEDIUM (2)", "LOW (1)"]);
        CardJson.Serialize(AuditCard.Build(TestInputs.Audit())).ShouldContain("**Fix:** Enable Internal Email Protect");
    }

    [Fact]
    public void MetricsChartHasATableFallbackWithTheSameNumbers()
    {
        var result = TestInputs.Metrics();
        AdaptiveCard card = MetricsCard.Build(result, 14);

        var chart = card.Body.OfType<AdaptiveVerticalBarChart>().Single();
        chart.Data.Count.ShouldBe(result.DailyStats.Count);
        chart.Data.Sum(d => d.Y).ShouldBe(result.DailyStats.Values.Sum(d => d.Threats));
        var table = chart.Fallback!.Element.ShouldBeOfType<AdaptiveContainer>().Items[0].ShouldBeOfType<AdaptiveTable>();
        string lastDay = result.DailyStats.Keys.Order(StringComparer.Ordinal).Last();
        table.Rows[^1].Cells[0].Items[0].ShouldBeOfType<AdaptiveTextBlock>().Text.ShouldBe(lastDay);
        table.Rows[^1].Cells[2].Items[0].ShouldBeOfType<AdaptiveTextBlock>().Text.ShouldBe(result.DailyStats[lastDay].Threats.ToString(System.Globalization.CultureInfo.InvariantCulture));
        card.Body[0].ShouldBeOfType<AdaptiveContainer>().Items[0].ShouldBeOfType<AdaptiveTextBlock>().Text.ShouldBe("TTP metrics · last 14 days");
    }

    [Fact]
    public void MetricsWithoutDaysSaysWholeExport() =>
        MetricsCard.Build(TestInputs.Metrics(), null).Body[0].ShouldBeOfType<AdaptiveContainer>().Items[0].ShouldBeOfType<AdaptiveTextBlock>().Text.ShouldBe("TTP metrics · whole export");

    [Fact]
    public void ImpersonationBannerSaysQuarantine()
    {
        AdaptiveCard card = ImpersonationCard.Build(TestInputs.Impersonation());

        var banner = card.Body[0].ShouldBeOfType<AdaptiveContainer>();
        banner.Style.ShouldBe(AdaptiveContainerStyle.Attention);
        banner.Items[0].ShouldBeOfType<AdaptiveTextBlock>().Text.ShouldBe("Impersonation: quarantine");
    }

    [Fact]
    public void HelpButtonsRunHelpAndWhoami()
    {
        AdaptiveCard card = HelpCard.Build(TestInputs.Commands);

        card.Actions.Cast<AdaptiveSubmitAction>().Select(a => a.Data!["verb"]).ShouldBe(["whoami", "help"]);
    }

    [Fact]
    public void ConfirmationCarriesThePendingActionAndToken()
    {
        AdaptiveCard card = TestCards.All["confirmation"]();

        var confirm = card.Actions[0].ShouldBeOfType<AdaptiveSubmitAction>();
        confirm.Data.ShouldBe(new Dictionary<string, string> { ["verb"] = "confirm", ["action"] = "block sender evil@micros0ft-secure.example", ["token"] = "pa-1" });
        card.Actions[1].ShouldBeOfType<AdaptiveSubmitAction>().Data.ShouldBe(new Dictionary<string, string> { ["verb"] = "cancel", ["token"] = "pa-1" });
    }

    [Fact]
    public void UsageSuggestsTheCommandAndLinksToHelp()
    {
        AdaptiveCard card = UsageCard.Build(TestInputs.Commands[3], null, "whoami");

        card.Body[0].ShouldBeOfType<AdaptiveContainer>().Items[0].ShouldBeOfType<AdaptiveTextBlock>().Text.ShouldBe("Did you mean whoami?");
        card.Actions.Single().ShouldBeOfType<AdaptiveSubmitAction>().Data!["verb"].ShouldBe("help");
    }

    [Fact]
    public void ErrorCardShowsTheCorrelationId() =>
        CardJson.Serialize(ErrorCard.Build("boom", "abc123")).ShouldContain("Correlation id: abc123");

    [Fact]
    public void LongListsAreCappedWithACount()
    {
        VipRow[] vips = [.. Enumerable.Range(0, 500).Select(i => new VipRow($"Person {i}", $"p{i}@contoso.example", null, null))];

        AdaptiveCard card = VipListCard.Build(vips);

        card.Body[^1].ShouldBeOfType<AdaptiveTextBlock>().Text.ShouldBe("…and 470 more VIPs");
        CardJson.Utf8ByteCount(card).ShouldBeLessThanOrEqualTo(CardJson.MaxCardBytes);
    }

    [Fact]
    public void ManyUrlsHopsAndHeadersStillFitTheBudget()
    {
        AdaptiveCard card = EmailVerdictCard.Build(TestInputs.Email("hostile.eml"));
        string json = CardJson.Serialize(card);

        CardJson.Utf8ByteCount(card).ShouldBeLessThanOrEqualTo(CardJson.MaxCardBytes);
        json.ShouldContain("more URLs");
        json.ShouldContain("more hops");
        JsonDocument.Parse(json).RootElement.GetProperty("version").GetString().ShouldBe("1.5");
    }

    [Fact]
    public void APendingCommandTooLongForACardIsRefused() =>
        Should.Throw<ArgumentException>(() => ConfirmationCard.Build(new PendingAction(new string('x', ConfirmationCard.MaxPendingCommandChars + 1), "Block", "x", "t")));

    [Fact]
    public void EmptyValuesNeverMakeEmptyTextBlocksOrFactSets()
    {
        AdaptiveCard card = ConfirmationCard.Build(new PendingAction("c", "", "", "t"));

        CardStructure.Problems(CardJson.Serialize(card)).ShouldBeEmpty();
        card.Actions[0].Title.ShouldBe("Confirm");
    }
}
