using System.Text.Json;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Reputation;
using ChatOpsBot.Analysis.Impersonation;
using ChatOpsBot.Analysis.PolicyAudit;
using ChatOpsBot.Analysis.TtpMetrics;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cli.Cards;

/// <summary>
/// One realistic card of every kind. The analysis cards come from running the real analyses on the inputs embedded
/// under <c>Cards/Samples</c> (a reported phish forwarded as an attachment, a pasted header block, a TTP policy
/// export, a TTP log export, a VIP list and a sender, plus a hostile message); the other cards from typical
/// command-layer values.
/// </summary>
internal static class CardSamples
{
    private static readonly DateTimeOffset s_sampleTime = new(2026, 5, 12, 8, 32, 5, TimeSpan.Zero);

    private static readonly IReadOnlyList<CommandHelp> s_commands =
    [
        new("help", "help [command]", "List the commands you can use, or explain one.", ["help", "help vip"]),
        new("analyze", "analyze (attach an .eml)", "Forensic verdict on an attached message: authentication, hops, URLs, attachments.", ["analyze"]),
        new("headers", "headers <pasted header block>", "Analyse a pasted header block: hops, authentication, IPs, findings.", ["headers Received: from ..."]),
        new("vip check", "vip check \"<display name>\" <address>", "Check a sender against the VIP list for impersonation.", ["vip check \"Jordan Avery\" jordan.avery@c0ntoso.example"]),
        new("vip list", "vip list", "Show the VIP list.", ["vip list"]),
        new("audit", "audit (attach a TTP config export)", "Score the Mimecast TTP policy configuration out of 100.", ["audit"]),
        new("metrics", "metrics [days] (attach a TTP log export)", "Threat totals, top threat types and targeted users, daily trend.", ["metrics 7"]),
        new("whoami", "whoami", "Show your id and roles.", ["whoami"]),
    ];

    /// <summary>Every sample, by file name stem (<c>NAME.adaptive.json</c>).</summary>
    public static IReadOnlyList<(string Name, AdaptiveCard Card)> All()
    {
        EmailReport phish = EmailAnalyzer.Analyze(ReadSample("phish-forwarded.eml"));
        EmailReport headers = EmailAnalyzer.Analyze(ReadSample("pasted-headers.txt"));
        PolicyAuditResult audit = TtpPolicyAuditor.Audit(new MemoryStream(ReadSample("ttp-config.json")));
        TtpMetricsResult metrics = TtpLogAnalyzer.Analyze(new MemoryStream(ReadSample("ttp-logs.json")));
        IReadOnlyList<VipEntry> vips;
        SenderIdentity sender;
        using (JsonDocument vipJson = JsonDocument.Parse(ReadSample("vips.json")))
        using (JsonDocument senderJson = JsonDocument.Parse(ReadSample("impersonation-email.json")))
        {
            vips = ImpersonationInput.ParseVipList(vipJson.RootElement);
            sender = ImpersonationInput.ParseEmail(senderJson.RootElement);
        }

        return
        [
            ("email-verdict", EmailVerdictCard.Build(phish)),
            // Hostile mail (markdown, <at> tags, @channel, bidi and zero-width characters, 180 links, 40 hops, a
            // 3,000-character subject), so CI's validator also sees how escaping and the byte budget hold up.
            ("email-verdict-hostile", EmailVerdictCard.Build(EmailAnalyzer.Analyze(ReadSample("hostile.eml")))),
            // The same phish with VirusTotal answers of every kind a card must show: flagged, harmless, unavailable, quota.
            ("email-verdict-reputation", EmailVerdictCard.Build(WithSampleReputation(phish))),
            ("headers", HeadersCard.Build(headers)),
            ("audit", AuditCard.Build(audit)),
            ("metrics", MetricsCard.Build(metrics, 14)),
            ("metrics-live", MetricsCard.BuildLive(metrics, 7, ["The URL click logs were cut off after 1,000 pages (Mimecast:MaxPages is 1,000, or Mimecast repeated a page): their counts are incomplete. Ask for fewer days."])),
            ("decoded-url", DecodedUrlCard.Build("https://protect-eu.mimecast.com/s/AbCdEfGh?domain=login-micros0ft.example", "https://login-micros0ft.example/reset?user=dana", null)),
            ("decoded-url-failed", DecodedUrlCard.Build("https://example.com/not-rewritten", null, "err_url_decode_failed: The URL could not be decoded")),
            ("response-action", ResponseActionCard.Build(new ResponseActionResult(
                "Sender blocked",
                "Mail from security-noreply@micros0ft-secure.example is now rejected for the whole organisation.",
                NoticeStyle.Success,
                [new("Sender", "security-noreply@micros0ft-secure.example"), new("Mimecast group", "Blocked Senders"), new("Requested by", "Sam Ortiz"), new("Mimecast entry id", "MTOKEN:eNqrVkouLS7Jz00tSs5P")]))),
            ("mimecast-problem", MimecastProblemCard.Build(
                "Mimecast refused: the API application lacks a permission",
                "Mimecast refused /api/ttp/url/get-logs (HTTP 403): the API application lacks the role permission 'Monitoring | URL Protection | Read'; grant it to the application's role in the Mimecast administration console",
                "forbidden",
                "3f2b9c0d1e",
                "7f3c2a9e4b1d")),
            ("impersonation", ImpersonationCard.Build(VipImpersonationChecker.Check(sender, vips))),
            ("help", HelpCard.Build(s_commands)),
            ("welcome", WelcomeCard.Build("Dana Lee", s_commands)),
            ("error", ErrorCard.Build("The attachment could not be read: the file is empty, expected an e-mail message (.eml).", "7f3c2a9e4b1d")),
            ("usage", UsageCard.Build(s_commands[3], "Missing the sender's address.", null)),
            ("usage-did-you-mean", UsageCard.Build(s_commands[6], null, "metrics")),
            ("confirmation", ConfirmationCard.Build(new PendingAction(
                "block sender security-noreply@micros0ft-secure.example",
                "Block sender",
                "Mimecast will block all future mail from this address for every user.",
                "pa-5d1e0c7b")
            {
                Details = [new("Sender", "security-noreply@micros0ft-secure.example"), new("Scope", "whole organisation"), new("Requested by", "Sam Ortiz")],
                ExpiresAt = s_sampleTime.AddMinutes(10),
            })),
            ("progress", ProgressCard.Build("the forwarded message")),
            ("whoami", WhoAmICard.Build(new CallerInfo(
                "29:1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "Sam Ortiz", "msteams", ["analyst", "responder"], [.. s_commands.Select(c => c.Name)]))),
            ("audit-log", AuditLogCard.Build(
            [
                new(s_sampleTime, "29:1a2b", "Sam Ortiz", "msteams", "vip add", "\"Priya Raman\" priya.raman@contoso.example", "Succeeded", TimeSpan.FromMilliseconds(42), "c-0192"),
                new(s_sampleTime.AddMinutes(-3), "29:77ef", "Dana Lee", "msteams", "analyze", "Action required.eml", "Succeeded", TimeSpan.FromMilliseconds(1830), "c-0191"),
                new(s_sampleTime.AddMinutes(-9), "U024BE7LH", "kim", "slack", "audit-log", "20", "Denied", TimeSpan.FromMilliseconds(3), "c-0190"),
            ])),
            ("vip-list", VipListCard.Build(
            [
                new("Jordan Avery", "jordan.avery@contoso.example", null, null),
                new("Priya Raman", "priya.raman@contoso.example", "Sam Ortiz", s_sampleTime),
            ])),
            ("notice", NoticeCard.Build("VIP added", "Priya Raman (priya.raman@contoso.example) is now protected against impersonation.", NoticeStyle.Success)),
            ("notice-busy", NoticeCard.Build("Busy, try again", "I am working through other requests; send it again in a minute.", NoticeStyle.Warning)),
        ];
    }

    private static EmailReport WithSampleReputation(EmailReport report)
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

    private static byte[] ReadSample(string name)
    {
        using Stream stream = typeof(CardSamples).Assembly.GetManifestResourceStream($"ChatOpsBot.Cli.Cards.Samples.{name}")
            ?? throw new InvalidOperationException($"The CLI was built without its embedded sample '{name}'.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
