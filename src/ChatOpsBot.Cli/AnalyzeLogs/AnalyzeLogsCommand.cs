using System.CommandLine;
using ChatOpsBot.Analysis.TtpMetrics;
using ChatOpsBot.Cli.Infrastructure;

namespace ChatOpsBot.Cli.AnalyzeLogs;

/// <summary>
/// <c>analyze-logs --log-file F [--json]</c>: the seed's TTP log metrics over a seed export, NDJSON or Mimecast API 2.0
/// TTP log pages, streamed so the file size does not matter. Text output is the seed's five lines.
/// </summary>
internal static class AnalyzeLogsCommand
{
    public static Command Create(CliCommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);
        var logFile = new Option<string>("--log-file")
        {
            Required = true,
            Description = "Log export: a JSON array of {date, category, recipient}, NDJSON, or Mimecast TTP get-logs pages.",
        };

        var command = new Command("analyze-logs", "Summarise a Mimecast TTP log export.");
        command.Options.Add(logFile);
        command.SetAction((ParseResult parseResult, CancellationToken cancellationToken) =>
        {
            string path = parseResult.GetValue(logFile)!;
            TtpMetricsResult metrics = CliInput.Read(path, stream => TtpLogAnalyzer.Analyze(stream));
            return Task.FromResult(CliOutput.WriteResult(parseResult, common, metrics, WriteText, TtpMetricsJson.Serialize));
        });
        return command;
    }

    private static void WriteText(TextWriter output, TtpMetricsResult metrics)
    {
        output.WriteLine($"Total emails: {metrics.TotalEmails}");
        output.WriteLine($"URL threats: {metrics.UrlThreatsBlocked}");
        output.WriteLine($"Attachment threats: {metrics.AttachmentThreatsBlocked}");
        output.WriteLine($"Impersonation: {metrics.ImpersonationDetected}");
        output.WriteLine($"Internal threats: {metrics.InternalThreats}");
    }
}
