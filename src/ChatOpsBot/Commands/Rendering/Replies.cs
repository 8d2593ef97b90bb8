using System.Globalization;
using System.Text;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.Impersonation;
using ChatOpsBot.Analysis.PolicyAudit;
using ChatOpsBot.Analysis.TtpMetrics;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Storage;

namespace ChatOpsBot.Commands.Rendering;

public enum NoticeTone
{
    Info,
    Good,
    Warning,
    Attention,
}

/// <summary>
/// Every card the command layer sends, in one place, so each command says what to show and not how.
/// REVIEW: interim bodies until feat/cards' builders (ChatOpsBot.Cards.Builders) are merged; each method then becomes
/// a call to the builder of the same name.
/// </summary>
internal static class Replies
{
    public static AdaptiveCard Notice(string title, string text, NoticeTone tone = NoticeTone.Info) =>
        Card(title, Color(tone), [Text(text)]);

    public static AdaptiveCard Error(string message, string correlationId) =>
        Card("Something went wrong", AdaptiveTextColor.Attention, [Text(message), Subtle($"Correlation id: {correlationId}")]);

    public static AdaptiveCard Usage(CommandHelp help, string? problem, string? didYouMean)
    {
        var body = new List<AdaptiveElement>();
        if (problem is not null)
        {
            body.Add(Text(problem));
        }

        if (didYouMean is not null)
        {
            body.Add(Text($"Did you mean: {didYouMean}?"));
        }

        body.Add(Text($"Usage: {help.Usage}"));
        body.Add(Subtle(help.Summary));
        body.AddRange(help.Examples.Select(e => Subtle($"Example: {e}")));
        return Card($"How to use {help.Name}", AdaptiveTextColor.Warning, body);
    }

    public static AdaptiveCard Progress(string what) => Card(what, AdaptiveTextColor.Default, [Subtle("This may take a few seconds.")]);

    public static AdaptiveCard Help(IReadOnlyList<CommandHelp> commands) =>
        Card("What I can do for you", AdaptiveTextColor.Default, [.. commands.Select(c => Text($"{c.Usage} - {c.Summary}"))]);

    public static AdaptiveCard Confirmation(string title, string question, IReadOnlyList<KeyValuePair<string, string>> facts, string pendingCommand, string token) =>
        Card(title, AdaptiveTextColor.Warning, [Text(question), Facts(facts)]) with
        {
            Actions = [CardActions.Confirm("Confirm", pendingCommand, token), CardActions.Cancel("Cancel", token)],
        };

    public static AdaptiveCard WhoAmI(CallerIdentity caller, IReadOnlyList<string> allowedCommands) =>
        Card("Who you are to me", AdaptiveTextColor.Default,
        [
            Facts(
            [
                new("Name", caller.DisplayName ?? "(none)"),
                new("Id", caller.Id),
                new("Channel", caller.Channel),
                new("Role", RoleNames.Of(caller.Role)),
                new("Commands", string.Join(", ", allowedCommands)),
            ]),
        ]);

    public static AdaptiveCard AuditLog(IReadOnlyList<AuditEntry> entries) =>
        Card($"Audit log: newest {entries.Count}", AdaptiveTextColor.Default,
            [.. entries.Select(e => Text(string.Create(CultureInfo.InvariantCulture,
                $"{e.Timestamp:yyyy-MM-dd HH:mm:ss}Z {e.ActorName ?? e.ActorId} ({e.Channel}) {e.Command} {e.Arguments} → {e.Outcome} in {e.Duration.TotalMilliseconds:0} ms [{e.CorrelationId}]")))]);

    public static AdaptiveCard VipList(IReadOnlyList<StoredVip> vips) =>
        Card($"VIP list ({vips.Count})", AdaptiveTextColor.Default,
            vips.Count == 0 ? [Text("The list is empty.")] : [Facts([.. vips.Select(v => new KeyValuePair<string, string>(v.DisplayName, v.Email))])]);

    public static AdaptiveCard Audit(PolicyAuditResult result) =>
        Card($"TTP policy score: {result.Score}/{result.MaxScore}", AdaptiveTextColor.Default,
            [.. result.FindingDetails.Select(f => Text($"{f.Severity}: {f.Text}"))]);

    public static AdaptiveCard Metrics(TtpMetricsResult result, int? days) =>
        Card(days is int d ? $"TTP metrics, last {d} days" : "TTP metrics", AdaptiveTextColor.Default,
        [
            Facts(
            [
                new("Total", result.TotalEmails.ToString(CultureInfo.InvariantCulture)),
                new("URL threats", result.UrlThreatsBlocked.ToString(CultureInfo.InvariantCulture)),
                new("Attachment threats", result.AttachmentThreatsBlocked.ToString(CultureInfo.InvariantCulture)),
                new("Impersonation", result.ImpersonationDetected.ToString(CultureInfo.InvariantCulture)),
                new("Internal threats", result.InternalThreats.ToString(CultureInfo.InvariantCulture)),
            ]),
        ]);

    public static AdaptiveCard Impersonation(ImpersonationCheckResult result) =>
        Card(result.IsImpersonation ? "Impersonation" : "No impersonation", result.IsImpersonation ? AdaptiveTextColor.Attention : AdaptiveTextColor.Good,
            [Text($"{result.FromDisplayName} <{result.FromEmail}>: {result.Action}"), .. result.Indicators.Select(i => Text(i))]);

    public static AdaptiveCard EmailVerdict(EmailReport report) =>
        Card($"Verdict: {report.Verdict} ({report.Score})", AdaptiveTextColor.Default,
            [Text($"Subject: {report.Subject}"), .. report.Findings.Select(f => Text($"{f.Severity}: {f.Reason}"))]);

    public static AdaptiveCard Headers(EmailReport report) =>
        Card("Header analysis", AdaptiveTextColor.Default,
        [
            Text($"{report.ReceivedHops.Count} hops, {report.Ips.Count} IPs, SPF {report.AuthResults.Spf?.Result}, DKIM {(report.AuthResults.Dkim.Count > 0 ? report.AuthResults.Dkim[0].Result : null)}, DMARC {report.AuthResults.Dmarc?.Result}"),
            .. report.Findings.Select(f => Text($"{f.Severity}: {f.Reason}")),
        ]);

    private static AdaptiveCard Card(string title, AdaptiveTextColor color, IEnumerable<AdaptiveElement> body) => new()
    {
        FallbackText = Escape(title),
        Body = [new AdaptiveTextBlock(Escape(title)) { Weight = AdaptiveTextWeight.Bolder, Size = AdaptiveTextSize.Medium, Color = color, Wrap = true }, .. body],
    };

    private static AdaptiveTextBlock Text(string text) => new(Escape(text)) { Wrap = true };

    private static AdaptiveTextBlock Subtle(string text) => new(Escape(text)) { Wrap = true, IsSubtle = true };

    private static AdaptiveFactSet Facts(IEnumerable<KeyValuePair<string, string>> facts) =>
        new() { Facts = [.. facts.Select(f => new AdaptiveFact(Escape(f.Key), Escape(f.Value)))] };

    private static AdaptiveTextColor Color(NoticeTone tone) => tone switch
    {
        NoticeTone.Good => AdaptiveTextColor.Good,
        NoticeTone.Warning => AdaptiveTextColor.Warning,
        NoticeTone.Attention => AdaptiveTextColor.Attention,
        _ => AdaptiveTextColor.Default,
    };

    // Interim escaping: one printable line, markdown and tag characters neutralised, '@' broken so nothing pings.
    private static string Escape(string text)
    {
        string line = PrintableText.OneLine(text, 400);
        var builder = new StringBuilder(line.Length + 8);
        foreach (char c in line)
        {
            if ("\\*_`~[]()#|<>".Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\');
            }

            builder.Append(c == '@' ? "[@]" : c.ToString());
        }

        return builder.ToString();
    }
}
