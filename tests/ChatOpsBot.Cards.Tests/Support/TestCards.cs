using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Reputation;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Tests.Support;

/// <summary>Every card kind, built from the real analyses of <see cref="TestInputs"/> (realistic and hostile).</summary>
internal static class TestCards
{
    private static readonly Lazy<IReadOnlyDictionary<string, Func<AdaptiveCard>>> s_all = new(Create);

    public static IReadOnlyDictionary<string, Func<AdaptiveCard>> All => s_all.Value;

    public static TheoryData<string> Names => [.. All.Keys];

    private static Dictionary<string, Func<AdaptiveCard>> Create() => new(StringComparer.Ordinal)
    {
        ["email-verdict"] = () => EmailVerdictCard.Build(TestInputs.Email("phish-forwarded.eml")),
        ["email-verdict-hostile"] = () => EmailVerdictCard.Build(TestInputs.Email("hostile.eml")),
        ["email-verdict-reputation"] = () => EmailVerdictCard.Build(WithSampleReputation(TestInputs.Email("phish-forwarded.eml"))),
        ["headers"] = () => HeadersCard.Build(TestInputs.Email("pasted-headers.txt")),
        ["headers-hostile"] = () => HeadersCard.Build(TestInputs.Email("hostile.eml")),
        ["audit"] = () => AuditCard.Build(TestInputs.Audit()),
        ["audit-perfect"] = () => AuditCard.Build(TestInputs.Audit("""
            {"url_protect":{"enabled":true,"rewriting":true,"predelivery_hold":true},"attachment_protect":{"enabled":true,"sandbox_mode":"dynamic"},
             "impersonation_protect":{"enabled":true,"vip_list":["a@x.example","b@x.example","c@x.example","d@x.example","e@x.example"]},"internal_email_protect":{"enabled":true}}
            """)),
        ["metrics"] = () => MetricsCard.Build(TestInputs.Metrics(), 14),
        ["metrics-live"] = () => MetricsCard.BuildLive(TestInputs.Metrics(), 7, ["The URL click logs were cut off after 1,000 pages (Mimecast:MaxPages is 1,000, or Mimecast repeated a page): their counts are incomplete. Ask for fewer days."]),
        ["decoded-url"] = () => DecodedUrlCard.Build("https://protect-eu.mimecast.com/s/AbCdEfGh?domain=login-micros0ft.example", "https://login-micros0ft.example/reset?user=dana", null),
        ["decoded-url-failed"] = () => DecodedUrlCard.Build("https://example.com/not-rewritten", null, "err_url_decode_failed: The URL could not be decoded"),
        ["response-action"] = () => ResponseActionCard.Build(new ResponseActionResult(
            "Sender blocked",
            "Mail from invoices@evil.example is now rejected for the whole organisation.",
            NoticeStyle.Success,
            [new("Sender", "invoices@evil.example"), new("Mimecast group", "Blocked Senders"), new("Mimecast entry id", "MTOKEN:abc")])),
        ["mimecast-problem"] = () => MimecastProblemCard.Build(
            "Mimecast refused: the API application lacks a permission",
            "Mimecast refused /api/ttp/url/get-logs (HTTP 403): the API application lacks the role permission 'Monitoring | URL Protection | Read'; grant it to the application's role in the Mimecast administration console",
            "forbidden",
            "3f2b9c",
            "c-0193"),
        ["impersonation"] = () => ImpersonationCard.Build(TestInputs.Impersonation()),
        ["help"] = () => HelpCard.Build(TestInputs.Commands),
        ["welcome"] = () => WelcomeCard.Build("Dana Lee", TestInputs.Commands),
        ["error"] = () => ErrorCard.Build("The attachment could not be read: the file is empty.", "7f3c2a9e4b1d"),
        ["usage"] = () => UsageCard.Build(TestInputs.Commands[2], "Missing the sender's address.", null),
        ["usage-did-you-mean"] = () => UsageCard.Build(TestInputs.Commands[3], null, "whoami"),
        ["confirmation"] = () => ConfirmationCard.Build(new PendingAction("block sender evil@micros0ft-secure.example", "Block sender", "Mimecast will block all future mail from this address.", "pa-1")
        {
            Details = [new("Sender", "evil@micros0ft-secure.example")],
            ExpiresAt = TestInputs.Now.AddMinutes(10),
        }),
        ["progress"] = () => ProgressCard.Build("the forwarded message"),
        ["whoami"] = () => WhoAmICard.Build(new CallerInfo("29:1a2b", "Sam Ortiz", "msteams", ["analyst"], ["help", "analyze", "vip check"])),
        ["audit-log"] = () => AuditLogCard.Build(
        [
            new(TestInputs.Now, "29:1a2b", "Sam Ortiz", "msteams", "vip add", "\"Priya Raman\" priya.raman@contoso.example", "Succeeded", TimeSpan.FromMilliseconds(42), "c-2"),
            new(TestInputs.Now.AddMinutes(-9), "U024BE7LH", null, "slack", "audit-log", "20", "Denied", TimeSpan.FromSeconds(1.5), "c-1"),
        ]),
        ["vip-list"] = () => VipListCard.Build([new("Jordan Avery", "jordan.avery@contoso.example", null, null), new("Priya Raman", "priya.raman@contoso.example", "Sam Ortiz", TestInputs.Now)]),
        ["vip-list-empty"] = () => VipListCard.Build([]),
        ["notice"] = () => NoticeCard.Build("VIP added", "Priya Raman is now protected.", NoticeStyle.Success),
        ["notice-denied"] = () => NoticeCard.Build("Not permitted", "vip add needs the responder role.", NoticeStyle.Error),
    };

    /// <summary>The sample's real indicators with one answer of each kind a card must show (flagged, unavailable, quota).</summary>
    public static EmailReport WithSampleReputation(EmailReport report)
    {
        IReadOnlyList<MailIndicator> indicators = MailIndicators.Collect(report);
        List<IndicatorReputation> answers = [.. indicators.Select((indicator, i) => (i % 4) switch
        {
            0 => new IndicatorReputation(indicator, ReputationVerdict.Malicious, "52/70 engines malicious") { MaliciousEngines = 52, TotalEngines = 70 },
            1 => new IndicatorReputation(indicator, ReputationVerdict.Harmless, "0/92 engines malicious") { MaliciousEngines = 0, TotalEngines = 92, FromCache = true },
            2 => new IndicatorReputation(indicator, ReputationVerdict.Unavailable, "unavailable: no answer before the deadline"),
            _ => new IndicatorReputation(indicator, ReputationVerdict.QuotaExhausted, "quota exhausted: VirusTotal answered 429 QuotaExceededError"),
        })];
        return ReputationFolding.Apply(report, answers);
    }
}
