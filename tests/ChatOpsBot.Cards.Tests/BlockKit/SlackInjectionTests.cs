using System.Text.RegularExpressions;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.Impersonation;
using ChatOpsBot.Analysis.PolicyAudit;
using ChatOpsBot.Analysis.TtpMetrics;
using ChatOpsBot.Cards.BlockKit;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Cards.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Cards.Tests.BlockKit;

/// <summary>
/// Hostile text through the cards and the Slack renderer: no text Slack shows may carry a live mention, broadcast,
/// user-group or date token, a link, an emoji code, or formatting the sender chose.
/// </summary>
public partial class SlackInjectionTests
{
    private const string Hostile =
        "<!channel> <!here> <!everyone> <@U024BE7LH> <#C0123> <!subteam^S0123|@sec> <https://evil.example|Your bank> "
        + "<!date^1392734382^{date}|x> *bold* _it_ ~strike~ `code` > quote :white_check_mark: @channel & &lt; "
        + "https://evil.example/login www.evil.example ceo@evil.example 203.0.113.9 pay\u200Bpal \u202Eexe.pdf";

    [Fact]
    public void AHostileMessageRendersInertForSlack()
    {
        BlockKitMessage message = BlockKitRenderer.Render(EmailVerdictCard.Build(TestInputs.Email("hostile.eml")));

        AssertInert(message);
        string json = BlockKitJson.Serialize(message);
        json.ShouldContain("&lt;at&gt;IT Admin&lt;/at&gt;");
        json.ShouldContain("[@]channel &lt;!here&gt;");
        json.ShouldContain("pay\\\\u{200B}pal \\\\u{202E}exe[.]fdp");
    }

    [Fact]
    public void HostileHeadersRenderInertForSlack() => AssertInert(BlockKitRenderer.Render(HeadersCard.Build(TestInputs.Email("hostile.eml"))));

    [Fact]
    public void AHostileDisplayNameRendersInertEverywhereSlackShowsIt()
    {
        VipEntry[] vips = [new("Jordan Avery", "contoso.example"), new(Hostile, "contoso.example")];
        var sender = new SenderIdentity($"Jordan Avery {Hostile}", "jordan.avery@c0ntoso.example", $"{Hostile} <x@evil.example>");
        AdaptiveCard[] cards =
        [
            ImpersonationCard.Build(VipImpersonationChecker.Check(sender, vips)),
            WelcomeCard.Build(Hostile, TestInputs.Commands),
            WhoAmICard.Build(new CallerInfo("U024BE7LH", Hostile, "slack", ["analyst"], ["help"])),
            NoticeCard.Build(Hostile, Hostile, NoticeStyle.Error),
            ErrorCard.Build(Hostile, "c-1"),
            VipListCard.Build([new(Hostile, "x@evil.example", Hostile, TestInputs.Now)]),
            AuditLogCard.Build([new(TestInputs.Now, "U1", Hostile, "slack", "vip add", Hostile, "Succeeded", TimeSpan.FromSeconds(1), "c-1")]),
        ];

        foreach (AdaptiveCard card in cards)
        {
            AssertInert(BlockKitRenderer.Render(card));
        }
    }

    [Fact]
    public void HostileTextInEveryPlaceOfACardIsShownButInert()
    {
        string escaped = CardText.Escape(Hostile, 1000);
        AdaptiveCard card = new()
        {
            FallbackText = CardText.Plain(Hostile, 1000),
            Body =
            [
                CardParts.Heading(escaped),
                new AdaptiveTextBlock(escaped),
                new AdaptiveTextBlock($"**{escaped}**"),
                CardParts.Subtle(escaped),
                CardParts.Mono(escaped),
                new AdaptiveFactSet { Facts = [new AdaptiveFact(escaped, escaped)] },
                CardParts.Labelled(escaped, AdaptiveTextColor.Attention, [CardParts.Text(escaped)]),
                CardParts.Tiles((escaped, escaped, AdaptiveTextColor.Default)),
                CardParts.Table([("A", 1), ("B", 1), ("C", 1)], [[escaped, escaped, escaped]]),
                new AdaptiveContainer { IsVisible = false, Items = [CardParts.Mono(escaped)] },
            ],
            Actions = [CardActions.Submit(CardText.Plain(Hostile, 60), "help", [new("q", Hostile)])],
        };

        BlockKitMessage message = BlockKitRenderer.Render(card);

        AssertInert(message);
        // Shown, not dropped: the decoded section text still reads as the sender wrote it (defanged).
        SlackShape.Decode(message.Blocks.OfType<SlackSectionBlock>().First().Text!.Text).ShouldContain("<!channel> <!here> <!everyone> <[@]U024BE7LH>");
    }

    [Fact]
    public void ArbitraryTextThroughCardTextAndTheRendererIsAlwaysInertAndWithinLimits()
    {
        Gen<string> hostileText = Gen.Elements(
                "<", ">", "&", "!", "@", "#", "^", "|", "*", "_", "~", "`", ":", "\\", "[", "]", "(", ")", " ", "\n", "channel", "here",
                "U024BE7LH", "subteam", "date", "https", "://", "evil", ".", "example", "white_check_mark", "lock", "&lt;", "&amp;", "\u200B", "😀", "a", "1")
            .ArrayOf().Select(parts => string.Concat(parts));

        Prop.ForAll(hostileText.ToArbitrary(), text =>
        {
            string escaped = CardText.Escape(text, 500);
            AdaptiveCard card = new()
            {
                FallbackText = CardText.Plain(text, 500),
                Body =
                [
                    CardParts.Heading(escaped),
                    new AdaptiveTextBlock(escaped),
                    new AdaptiveTextBlock($"**{escaped}**"),
                    CardParts.Subtle(escaped),
                    CardParts.Mono(escaped),
                    new AdaptiveFactSet { Facts = [new AdaptiveFact("From", escaped)] },
                ],
                Actions = [CardActions.Submit(string.IsNullOrWhiteSpace(text) ? "x" : CardText.Plain(text, 80), "help")],
            };

            BlockKitMessage message = BlockKitRenderer.Render(card);
            AssertInert(message);
            SlackShape.LimitProblems(message).ShouldBeEmpty();
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void AnyHostileReportRendersInertAndWithinSlacksLimits()
    {
        string[] pieces =
            ["**", "<!channel>", "<@U1>", ":lock:", "~x~", "`", "> ", "[x](https://evil.example/a)", "@here", "\u202E", "evil.example", "a@b.example", "x", " ",
             new string('y', 4000)];
        Arbitrary<string> hostile = Gen.Elements(pieces).ArrayOf().Select(string.Concat).ToArbitrary();
        EmailReport phish = TestInputs.Email("phish-forwarded.eml");
        PolicyAuditResult audit = TestInputs.Audit();
        TtpMetricsResult metrics = TestInputs.Metrics();
        Prop.ForAll(hostile, Gen.Choose(0, 300).ToArbitrary(), (text, count) =>
        {
            var address = new EmailAddressInfo(text, text);
            EmailReport report = phish with
            {
                Subject = text,
                From = address,
                To = [.. Enumerable.Repeat(address, count)],
                Urls = [.. Enumerable.Range(0, count).Select(i => new UrlSummary(text + i, text, text, text) { DecodedTarget = text, Rewriter = text })],
                Attachments = [.. Enumerable.Range(0, count % 50).Select(i => new AttachmentSummary(text, text, text, i, text, text, text, text))],
                Findings = [.. Enumerable.Range(0, count).Select(i => new Finding(text + i, (FindingSeverity)(i % 5), text))],
                RawHeaders = string.Join("\r\n", Enumerable.Repeat("X-H: " + text, count)),
            };
            TtpMetricsResult hostileMetrics = metrics with
            {
                TopTargetedUsers = [.. Enumerable.Range(0, count).Select(i => new TargetedUser(text, i))],
                DailyStats = new OrderedDictionary<string, DailyStats>(Enumerable.Range(0, count).Select(i => KeyValuePair.Create(text + i, new DailyStats(i, i)))),
            };
            AdaptiveCard[] cards =
            [
                EmailVerdictCard.Build(report),
                HeadersCard.Build(report),
                MetricsCard.Build(hostileMetrics, count),
                AuditCard.Build(audit with { AttachmentSandboxMode = text, FindingDetails = [.. Enumerable.Repeat(audit.FindingDetails[0] with { Text = text, Remediation = text }, count)] }),
            ];
            foreach (AdaptiveCard card in cards)
            {
                BlockKitMessage message = BlockKitRenderer.Render(card);
                SlackShape.LimitProblems(message).ShouldBeEmpty();
                AssertInert(message);
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));
    }

    /// <summary>The checks every shown text must pass.</summary>
    private static void AssertInert(BlockKitMessage message)
    {
        foreach ((string path, string type, string text) in SlackShape.ShownTexts(message))
        {
            string where = $"{path} ({type}): {text}";
            text.ShouldNotContain("<", customMessage: where);
            text.ShouldNotContain(">", customMessage: where);
            if (type == SlackText.PlainType)
            {
                continue;
            }

            // Every & starts one of our entities, so nothing the sender wrote can form another entity or tag.
            LoneAmpersand().IsMatch(text).ShouldBeFalse(where);
            EmojiCode().IsMatch(StripCode(text)).ShouldBeFalse(where);
            Broadcast().IsMatch(text).ShouldBeFalse(where);
            text.ShouldNotContain("https://", customMessage: where);
            text.ShouldNotContain("http://", customMessage: where);
            foreach (string line in StripCode(text).Split('\n'))
            {
                line.TrimStart().StartsWith("&gt;", StringComparison.Ordinal).ShouldBeFalse(where);
            }

            // Outside code, formatting markers only come in the pairs the renderer writes (*bold*), never ~ _ or `.
            string prose = StripCode(text);
            foreach (Match marker in BoundaryMarker().Matches(prose))
            {
                marker.Value.ShouldBe("*", where);
            }

            OurBold().Replace(prose, string.Empty).ShouldNotContain("*", customMessage: where);
        }
    }

    // Code spans and code blocks as the renderer writes them: their content is not formatted by Slack.
    private static string StripCode(string mrkdwn) => CodeSpan().Replace(mrkdwn, " ");

    [GeneratedRegex(@"@(here|channel|everyone)(?![\p{L}\p{N}])", RegexOptions.IgnoreCase)]
    private static partial Regex Broadcast();

    [GeneratedRegex("&(?!amp;|lt;|gt;)")]
    private static partial Regex LoneAmpersand();

    [GeneratedRegex(@":[A-Za-z0-9_+'\-]*[A-Za-z][A-Za-z0-9_+'\-]*:")]
    private static partial Regex EmojiCode();

    [GeneratedRegex(@"[*_~`](?![\p{L}\p{N}])|(?<![\p{L}\p{N}])[*_~`]")]
    private static partial Regex BoundaryMarker();

    [GeneratedRegex(@"\*[^*\n]+\*")]
    private static partial Regex OurBold();

    [GeneratedRegex("```[^`]*```|`[^`\n]*`")]
    private static partial Regex CodeSpan();
}
