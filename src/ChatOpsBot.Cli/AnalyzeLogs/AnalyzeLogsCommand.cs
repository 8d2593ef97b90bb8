using System.CommandLine;
using ChatOpsBot.Cli.Infrastructure;

namespace ChatOpsBot.Cli.AnalyzeLogs;

// SCAFFOLD: replaced by the analyze-logs implementation.
internal static class AnalyzeLogsCommand
{
    public static Command Create(CliCommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);
        var command = new Command("analyze-logs", "Summarise a Mimecast TTP log export.");
        return command;
    }
}
