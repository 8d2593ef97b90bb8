using System.CommandLine;
using System.Text;
using System.Text.Json;
using ChatOpsBot.Analysis.Impersonation;
using ChatOpsBot.Cli.Infrastructure;

namespace ChatOpsBot.Cli.VipCheck;

/// <summary>
/// <c>vip-check --vip-file F --email-json F [--json]</c>: the seed's inputs, fields, action strings and five-line
/// text report, with the corrected checks of <see cref="VipImpersonationChecker"/>.
/// </summary>
internal static class VipCheckCommand
{
    private static readonly JsonDocumentOptions s_jsonOptions = new() { MaxDepth = 64 };

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
            Required = true,
            Description = "JSON object describing the sender: {\"from\": ..., \"from_display_name\": ..., \"reply_to\": ...}.",
        };

        var command = new Command("vip-check", "Check a sender against the VIP list for impersonation.");
        command.Options.Add(vipFile);
        command.Options.Add(emailJson);
        command.SetAction((ParseResult parseResult, CancellationToken cancellationToken) =>
        {
            string vipPath = parseResult.GetValue(vipFile)!;
            string emailPath = parseResult.GetValue(emailJson)!;
            IReadOnlyList<VipEntry> vips = CliInput.Read(vipPath, stream => ReadJson(stream, ImpersonationInput.ParseVipList));
            SenderIdentity sender = CliInput.Read(emailPath, stream => ReadJson(stream, ImpersonationInput.ParseEmail));

            ImpersonationCheckResult result = VipImpersonationChecker.Check(sender, vips);
            TextWriter output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(common.Json))
            {
                CliOutput.WriteJson(output, result);
            }
            else
            {
                WriteText(output, result);
            }

            return Task.FromResult(ChatOpsCli.ExitOk);
        });
        return command;
    }

    /// <summary>The seed's five lines, then the indicators it never printed.</summary>
    internal static void WriteText(TextWriter output, ImpersonationCheckResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        output.WriteLine($"From: {OneLine(result.FromDisplayName)} <{OneLine(result.FromEmail)}>");
        output.WriteLine($"Matched VIP: {(result.MatchedVip.Length > 0 ? OneLine(result.MatchedVip) : "None")}");
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
            output.WriteLine($" {i + 1}. {OneLine(result.Indicators[i])}");
        }
    }

    private static T ReadJson<T>(Stream stream, Func<JsonElement, T> parse)
    {
        using JsonDocument document = JsonDocument.Parse(stream, s_jsonOptions);
        return parse(document.RootElement);
    }

    // Display names come from mail: a newline in one must not forge a report line.
    private static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var line = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            line.Append(char.IsControl(c) ? ' ' : c);
        }

        return line.ToString();
    }
}
