using System.CommandLine;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.Impersonation;
using ChatOpsBot.Cli.AnalyzeEmail;
using ChatOpsBot.Cli.Infrastructure;

namespace ChatOpsBot.Cli.VipCheck;

/// <summary>
/// <c>vip-check --vip-file F (--email-json F | --eml F) [--json]</c>: the seed's inputs, fields, action strings and
/// five-line text report, with the corrected checks of <see cref="VipImpersonationChecker"/>.
/// </summary>
internal static class VipCheckCommand
{
    // Ten thousand VIPs of the longest accepted name and domain fit in a few MiB; a bigger file is not a VIP list.
    private const long MaxJsonBytes = 16 * 1024 * 1024;

    public static Command Create(CliCommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);
        var vipFile = new Option<string>("--vip-file")
        {
            Required = true,
            Description = "JSON list of VIPs: [{\"name\": \"Jane Doe\", \"domain\": \"corp.com\"}, ...].",
        };
        var emailJson = new Option<string>("--email-json")
        {
            Description = "JSON object describing the sender: {\"from\": ..., \"from_display_name\": ..., \"reply_to\": ...}.",
        };
        var eml = new Option<string>("--eml")
        {
            Description = "A message file: RFC 822 (.eml) or Outlook (.msg, told by its content); a forwarded message is unwrapped and its original sender checked.",
        };

        var command = new Command("vip-check", "Check a sender against the VIP list for impersonation.");
        command.Options.Add(vipFile);
        command.Options.Add(emailJson);
        command.Options.Add(eml);
        command.Validators.Add(result =>
        {
            bool hasJson = result.GetResult(emailJson) is not null;
            bool hasEml = result.GetResult(eml) is not null;
            if (hasJson == hasEml)
            {
                result.AddError("give exactly one of --email-json or --eml");
            }
        });
        command.SetAction((ParseResult parseResult, CancellationToken cancellationToken) =>
        {
            string vipPath = parseResult.GetValue(vipFile)!;
            IReadOnlyList<VipEntry> vips = CliInput.ReadJson(vipPath, MaxJsonBytes, ImpersonationInput.ParseVipList);
            SenderIdentity sender = parseResult.GetValue(eml) is { } emlPath
                ? CliInput.Read(emlPath, stream => SenderOf(MailInput.Analyze(stream, EmailAnalysisOptions.Default)))
                : CliInput.ReadJson(parseResult.GetValue(emailJson)!, MaxJsonBytes, ImpersonationInput.ParseEmail);

            ImpersonationCheckResult result = VipImpersonationChecker.Check(sender, vips);
            return Task.FromResult(CliOutput.WriteResult(parseResult, common, result, WriteText));
        });
        return command;
    }

    /// <summary>The seed's five lines, then the indicators it never printed.</summary>
    internal static void WriteText(TextWriter output, ImpersonationCheckResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        output.WriteLine($"From: {PrintableText.OneLine(result.FromDisplayName)} <{PrintableText.OneLine(result.FromEmail)}>");
        output.WriteLine($"Matched VIP: {(result.MatchedVip.Length > 0 ? PrintableText.OneLine(result.MatchedVip) : "None")}");
        output.WriteLine($"Hit Count: {result.HitCount}");
        output.WriteLine($"Impersonation: {(result.IsImpersonation ? "YES" : "No")}");
        output.WriteLine($"Action: {result.Action}");
        if (result.Indicators.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine($"Indicators ({result.Indicators.Count}):");
        for (int i = 0; i < result.Indicators.Count; i++)
        {
            output.WriteLine($" {i + 1}. {PrintableText.OneLine(result.Indicators[i])}");
        }
    }

    /// <summary>
    /// The sender as the seed's email JSON would describe it. Of several Reply-To addresses the first that differs
    /// from From is the one that matters: it is where replies would leak.
    /// </summary>
    internal static SenderIdentity SenderOf(EmailReport report)
    {
        string address = report.From?.Address ?? string.Empty;
        string? replyTo = report.ReplyTo
            .Select(r => r.Address)
            .FirstOrDefault(a => !string.IsNullOrEmpty(a) && !string.Equals(a, address, StringComparison.OrdinalIgnoreCase))
            ?? report.ReplyTo.Select(r => r.Address).FirstOrDefault(a => !string.IsNullOrEmpty(a));
        return new SenderIdentity(report.From?.Name ?? string.Empty, address, replyTo ?? string.Empty);
    }
}
