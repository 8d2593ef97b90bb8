using System.CommandLine;
using ChatOpsBot.Analysis.PolicyAudit;
using ChatOpsBot.Cli.Infrastructure;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Cli.AuditConfig;

/// <summary>
/// <c>chatops audit-config --config-file F [--json]</c>: the seed's policy audit. The text report starts with the
/// seed's lines unchanged and adds the remediation for each finding after them.
/// </summary>
internal static class AuditConfigCommand
{
    public static Command Create(CliCommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);

        var configFile = new Option<string>("--config-file")
        {
            Required = true,
            Description = "Mimecast TTP policy configuration: a JSON object with url_protect, attachment_protect, "
                + "impersonation_protect and internal_email_protect sections.",
        };

        var command = new Command("audit-config", "Audit a Mimecast TTP policy configuration: score out of 100, findings and remediation.");
        command.Options.Add(configFile);
        command.SetAction((ParseResult parseResult, CancellationToken cancellationToken) =>
        {
            string path = parseResult.GetRequiredValue(configFile);
            PolicyAuditResult result = CliInput.Read(path, stream => TtpPolicyAuditor.Audit(stream));

            return Task.FromResult(CliOutput.WriteResult(parseResult, common, result, WriteText));
        });
        return command;
    }

    internal static void WriteText(TextWriter output, PolicyAuditResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);

        output.WriteLine($"TTP Configuration Score: {result.Score}/{result.MaxScore}");
        output.WriteLine($"URL Protect: {EnabledOrDisabled(result.UrlProtectEnabled)}");
        output.WriteLine($"Attachment Protect: {EnabledOrDisabled(result.AttachmentProtectEnabled)}");
        output.WriteLine($"Impersonation Protect: {EnabledOrDisabled(result.ImpersonationProtectEnabled)}");
        output.WriteLine($"Internal Email Protect: {EnabledOrDisabled(result.InternalEmailProtect)}");
        if (result.Findings.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine($"Findings ({result.Findings.Count}):");
        for (int i = 0; i < result.Findings.Count; i++)
        {
            output.WriteLine($"  {i + 1}. {result.Findings[i]}");
        }

        output.WriteLine();
        output.WriteLine("Remediation:");
        for (int i = 0; i < result.FindingDetails.Count; i++)
        {
            PolicyFinding finding = result.FindingDetails[i];
            output.WriteLine($"  {i + 1}. [{SeverityLabel(finding.Severity)}] {finding.Remediation}");
        }
    }

    private static string EnabledOrDisabled(bool? enabled) => enabled == true ? "Enabled" : "DISABLED";

    private static string SeverityLabel(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Critical => "critical",
        FindingSeverity.High => "high",
        FindingSeverity.Medium => "medium",
        FindingSeverity.Low => "low",
        _ => "info",
    };
}
