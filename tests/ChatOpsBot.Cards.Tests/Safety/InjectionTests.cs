using System.Text;
using System.Text.Json;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.Impersonation;
using ChatOpsBot.Analysis.PolicyAudit;
using ChatOpsBot.Analysis.TtpMetrics;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Cards.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Cards.Tests.Safety;

/// <summary>
/// Hostile subjects, display names, addresses, log values and user text: the serialised card must carry none of them
/// in live form (no formatting, link, mention, tag, hidden character), must still show them (escaped), and must fit.
/// </summary>
public class InjectionTests
{
    private const string Hostile =
        "**URGENT** _now_ [Reset](https://evil.example/reset) <at>Admin</at> @channel <!here> <@U024BE7LH> # head `code` > q "
        + "pay\u200Bpal \u202Eexe.pdf\u202C \u2066iso\u2069 tag\U000E0041 www.evil.example ceo@evil.example 203.0.113.9";

    // Markdown that must not survive in text hosts render as markdown (plain fields such as fallbackText show it as is).
    private static readonly string[] s_liveMarkdown = ["**URGENT**", "_now_", "[Reset]("];

    // Raw forms that must not survive in any shown string (button data is sent back to the bot, never shown).
    private static readonly string[] s_liveForms =
        ["https://", "<at>", "</at>", "<!here>", "<@U024BE7LH>", "\u200B", "\u202E", "\u2066", "\U000E0041", "www.evil.example", "evil.example/", "203.0.113.9"];

    [Fact]
    public void HostileMessageBecomesAnInertEmailVerdictCard()
    {
        AdaptiveCard card = EmailVerdictCard.Build(TestInputs.Email("hostile.eml"));

        string json = AssertInert(card);
        json.ShouldContain(@"\\*\\*URGENT\\*\\* \\[Reset\\]\\(hxxps://evil\\[.\\]example/reset\\) \\<at\\>Admin\\</at\\> \\[@\\]channel \\<!here\\>");
        json.ShouldContain(@"pay\\\\u{200B}pal \\\\u{202E}exe\\[.\\]fdp");
        json.ShouldContain("… [truncated ");
    }

    [Fact]
    public void HostileHeadersBecomeAnInertHeadersCard() => AssertInert(HeadersCard.Build(TestInputs.Email("hostile.eml")));

    [Fact]
    public void HostileDisplayNameInAnImpersonationCheckIsInert()
    {
        VipEntry[] vips = [new("Jordan Avery", "contoso.example"), new(Hostile, "contoso.example")];
        var sender = new SenderIdentity($"Jordan Avery {Hostile}", "jordan.avery@c0ntoso.example", $"{Hostile} <x@evil.example>");

        AdaptiveCard card = ImpersonationCard.Build(VipImpersonationChecker.Check(sender, vips));

        string json = AssertInert(card);
        json.ShouldContain(@"Jordan Avery \\*\\*URGENT\\*\\*");
    }

    [Fact]
    public void HostileLogValuesAreInertInTheMetricsCard()
    {
        string logs = JsonSerializer.Serialize(new[]
        {
            new { date = Hostile, category = "url_threat", recipient = Hostile },
            new { date = "2026-05-01", category = "attachment_threat", recipient = "<at>Admin</at>@evil.example" },
        });

        AssertInert(MetricsCard.Build(TestInputs.Metrics(Encoding.UTF8.GetBytes(logs)), 7));
    }

    [Fact]
    public void HostileConfigValueIsInertInTheAuditCard()
    {
        string config = JsonSerializer.Serialize(new { attachment_protect = new { enabled = true, sandbox_mode = Hostile } });

        string json = AssertInert(AuditCard.Build(TestInputs.Audit(config)));
        json.ShouldContain(@"\\*\\*URGENT\\*\\*");
    }

    [Fact]
    public void HostileUserTextIsInertInEveryOtherCard()
    {
        AdaptiveCard[] cards =
        [
            NoticeCard.Build(Hostile, Hostile, NoticeStyle.Error),
            ErrorCard.Build(Hostile, Hostile),
            ProgressCard.Build(Hostile),
            // CommandHelp is the command registry's own text (shown with addresses as written), so it is not hostile here.
            UsageCard.Build(new CommandHelp("vip check", "vip check \"<display name>\" <address>", "Check a sender.", ["vip check \"Jordan Avery\" <address>"]), Hostile, null),
            WelcomeCard.Build(Hostile, TestInputs.Commands),
            WhoAmICard.Build(new CallerInfo(Hostile, Hostile, Hostile, [Hostile], [Hostile])),
            ConfirmationCard.Build(new PendingAction(Hostile, Hostile, Hostile, "tok") { Details = [new(Hostile, Hostile)] }),
            AuditLogCard.Build([new(TestInputs.Now, Hostile, Hostile, Hostile, Hostile, Hostile, Hostile, TimeSpan.Zero, Hostile)]),
            VipListCard.Build([new(Hostile, Hostile, Hostile, TestInputs.Now)]),
        ];

        foreach (AdaptiveCard card in cards)
        {
            AssertInert(card);
        }
    }

    [Fact]
    public void AMegabyteSubjectIsCutWithAVisibleMarkerAndTheCardFits()
    {
        string subject = string.Concat(Enumerable.Repeat("<at>Admin</at> ", 70_000));
        byte[] eml = Encoding.UTF8.GetBytes($"From: a@evil.example\r\nTo: b@contoso.example\r\nSubject: {subject}\r\n\r\nhi\r\n");

        AdaptiveCard card = EmailVerdictCard.Build(TestInputs.Email(eml));

        string json = AssertInert(card);
        json.ShouldContain("… [truncated 1,0");
    }

    [Fact]
    public void AnyHostileTextInAnyCardStaysInertValidAndWithinBudget()
    {
        string[] pieces =
            ["**", "_", "[x](https://evil.example/a)", "<at>Admin</at>", "@channel", "<!here>", "<@U1>", "\u200B", "\u202E", "\u2066", "\U000E0041",
             "\r\n", "# ", "- ", "1. ", "> ", "`", "evil.example", "ceo@corp.example", "10.1.2.3", "\\", "&amp;", "a", " ", "é", "😀", "\uD800",
             new string('x', 5000), new string('\u200B', 3000)];
        Arbitrary<string> hostile = Gen.Elements(pieces).ArrayOf().Select(string.Concat).ToArbitrary();
        Prop.ForAll(hostile, hostile, (a, b) =>
        {
            AdaptiveCard[] cards =
            [
                ImpersonationCard.Build(VipImpersonationChecker.Check(new SenderIdentity(a, "x@evil.example", b), [new("Jordan Avery", "contoso.example")])),
                VipListCard.Build([.. Enumerable.Range(0, 40).Select(i => new VipRow(a, b, a, null))]),
                AuditLogCard.Build([.. Enumerable.Range(0, 40).Select(i => new AuditLogRow(TestInputs.Now, a, b, a, b, a, b, TimeSpan.Zero, a))]),
                ConfirmationCard.Build(new PendingAction(a[..Math.Min(a.Length, ConfirmationCard.MaxPendingCommandChars)], b, a, "t") { Details = [new(a, b), new(b, a)] }),
                NoticeCard.Build(a, b),
                ErrorCard.Build(a, b),
            ];
            for (int i = 0; i < cards.Length; i++)
            {
                CardJson.Utf8ByteCount(cards[i]).ShouldBeLessThanOrEqualTo(CardJson.MaxCardBytes, $"card {i}");
                AssertInert(cards[i], checkLiveForms: false);
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    [Fact]
    public void AnyHostileReportMakesValidInertEmailHeadersMetricsAndAuditCards()
    {
        string[] pieces =
            ["**", "[x](https://evil.example/a)", "<at>Admin</at>", "@here", "\u202E", "‮", "​", "evil.example", "a@b.example", "# ", "x", " ",
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
                ReplyTo = [.. Enumerable.Repeat(address, count % 20)],
                To = [.. Enumerable.Repeat(address, count)],
                MessageId = text,
                Urls = [.. Enumerable.Range(0, count).Select(i => new UrlSummary(text + i, text, text, text) { DecodedTarget = text, Rewriter = text })],
                Attachments = [.. Enumerable.Range(0, count % 50).Select(i => new AttachmentSummary(text, text, text, i, text, text, text, text))],
                Findings = [.. Enumerable.Range(0, count).Select(i => new Finding(text + i, (FindingSeverity)(i % 5), text))],
                Defects = [text],
                RawHeaders = string.Join("\r\n", Enumerable.Repeat("X-H: " + text, count)),
            };
            TtpMetricsResult hostileMetrics = metrics with
            {
                TopThreatTypes = new OrderedDictionary<string, long>(Enumerable.Range(0, count).Select(i => KeyValuePair.Create(text + i, (long)i))),
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
            for (int i = 0; i < cards.Length; i++)
            {
                CardJson.Utf8ByteCount(cards[i]).ShouldBeLessThanOrEqualTo(CardJson.MaxCardBytes, $"card {i}");
                // The smallest limits fit by construction: the "too large" notice is never needed.
                cards[i].FallbackText!.ShouldNotStartWith("Result too large", Case.Sensitive, $"card {i}");
                AssertInert(cards[i], checkLiveForms: false);
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));
    }

    /// <summary>Valid, within budget, and no shown string carries a live form. Returns the JSON.</summary>
    private static string AssertInert(AdaptiveCard card, bool checkLiveForms = true)
    {
        string json = CardJson.Serialize(card);
        CardStructure.Problems(json).ShouldBeEmpty();
        CardJson.Utf8ByteCount(card).ShouldBeLessThanOrEqualTo(CardJson.MaxCardBytes);
        foreach ((string path, string text, bool markdown) in CardStrings.All(json))
        {
            LiveForms.Find(text, markdown).ShouldBeEmpty($"{path}: {text}");
        }

        if (checkLiveForms)
        {
            foreach ((string path, string text, _) in CardStrings.All(json).Where(s => s.Markdown))
            {
                foreach (string live in s_liveMarkdown)
                {
                    text.ShouldNotContain(live, Case.Sensitive, $"{path} contains '{live}' unescaped");
                }
            }

            foreach ((string path, string text, _) in CardStrings.All(json))
            {
                foreach (string live in s_liveForms)
                {
                    text.ShouldNotContain(live, Case.Sensitive, $"{path} contains '{live}' in live form");
                }
            }
        }

        return json;
    }
}
