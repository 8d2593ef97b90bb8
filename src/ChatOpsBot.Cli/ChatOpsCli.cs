using System.CommandLine;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Cli.AnalyzeEmail;
using ChatOpsBot.Cli.AnalyzeLogs;
using ChatOpsBot.Cli.AuditConfig;
using ChatOpsBot.Cli.Infrastructure;
using ChatOpsBot.Cli.VipCheck;

namespace ChatOpsBot.Cli;

/// <summary>
/// The analyst CLI. Command names, option names and JSON fields follow the seed 000 tool so that
/// existing scripts keep working; bad input is one line on stderr and exit code 2, as argparse did.
/// </summary>
public static class ChatOpsCli
{
    public const int ExitOk = 0;
    public const int ExitBadInput = 2;

    private const int MaxErrorChars = 1000;

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, error, CliReputation.FromEnvironment, cancellationToken);

    /// <param name="settings">The <c>VirusTotal:*</c> settings; read only when <c>analyze-email</c> may look up.</param>
    internal static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, Func<IReadOnlyDictionary<string, string?>> settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        RootCommand root = BuildRootCommand(settings);
        // The seed printed its help and exited 0 when called with no command; scripts may rely on that.
        ParseResult parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parsed.Errors.Count > 0)
        {
            string commandPath = parsed.CommandResult.Command == root ? "chatops" : $"chatops {parsed.CommandResult.Command.Name}";
            await WriteErrorAsync(error, $"{parsed.Errors[0].Message} (see '{commandPath} --help')").ConfigureAwait(false);
            return ExitBadInput;
        }

        try
        {
            return await parsed.InvokeAsync(
                new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false },
                cancellationToken).ConfigureAwait(false);
        }
        catch (CliInputException ex)
        {
            await WriteErrorAsync(error, ex.Message).ConfigureAwait(false);
            return ExitBadInput;
        }
        catch (InvalidInputException ex)
        {
            await WriteErrorAsync(error, ex.Message).ConfigureAwait(false);
            return ExitBadInput;
        }
    }

    // Error messages quote input (file names, values from mail and exports): the one place they are printed makes
    // them one safe line, so no command can forget to.
    private static Task WriteErrorAsync(TextWriter error, string message) =>
        error.WriteLineAsync($"chatops: error: {PrintableText.OneLine(message, MaxErrorChars)}");

    internal static RootCommand BuildRootCommand(Func<IReadOnlyDictionary<string, string?>> settings)
    {
        var common = new CliCommonOptions(new Option<bool>("--json")
        {
            Description = "Print machine-readable JSON (the seed tool's fields and names).",
            Recursive = true,
        });

        var root = new RootCommand("ChatOpsBot analyst CLI: Mimecast TTP policy audit, TTP log metrics and VIP impersonation checks.");
        root.Options.Add(common.Json);
        root.Subcommands.Add(AuditConfigCommand.Create(common));
        root.Subcommands.Add(AnalyzeLogsCommand.Create(common));
        root.Subcommands.Add(VipCheckCommand.Create(common));
        root.Subcommands.Add(AnalyzeEmailCommand.Create(common, settings));
        root.Subcommands.Add(Cards.CardsCommand.Create());
        return root;
    }
}
