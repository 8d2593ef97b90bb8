using System.CommandLine;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Cli.Infrastructure;

namespace ChatOpsBot.Cli.AnalyzeEmail;

/// <summary>
/// <c>chatops analyze-email --file PATH [--json] [--format text|json|html] [--no-lookups]</c>.
/// A file (<c>.eml</c>, or an Outlook <c>.msg</c> told by its content) gives one report; a directory gives one JSON
/// line per <c>.eml</c> and <c>.msg</c> file below it (recursive, sorted by relative path, ordinal), each naming its
/// file, with per-file errors reported in their line.
/// </summary>
internal static class AnalyzeEmailCommand
{
    /// <summary>Directory mode: at least one message could not be analysed (the others were).</summary>
    public const int ExitSomeFailed = 1;

    private const string LookupNote =
        "With VirusTotal__ApiKey set, attachment hashes, URLs and sending IPs are looked up on VirusTotal (hashes and lookups only, "
        + "nothing is uploaded; VirusTotal__AnalysisDeadline bounds the wait per message) and the verdict includes the answers.";

    /// <param name="settings">The <c>VirusTotal:*</c> settings (from the environment, or a test's).</param>
    public static Command Create(CliCommonOptions common, Func<IReadOnlyDictionary<string, string?>> settings)
    {
        ArgumentNullException.ThrowIfNull(common);
        ArgumentNullException.ThrowIfNull(settings);
        var file = new Option<string>("--file", "-f")
        {
            Required = true,
            Description = "An .eml message or an Outlook .msg (told by its content), or a directory: every *.eml and *.msg below it (recursively) is analysed and printed as one JSON object per line.",
        };
        var format = new Option<string?>("--format")
        {
            Description = "Output format for a single message: text (default), json, or html (a self-contained page for a ticket). --json is the same as --format json.",
        };
        format.AcceptOnlyFromAmong("text", "json", "html");
        var noLookups = new Option<bool>("--no-lookups") { Description = "Do not query external services: the verdict uses only the message itself." };
        var trusted = new Option<string[]>("--trusted-authserv-id")
        {
            Description = "authserv-id of your own receiving MTA (repeatable). Only Authentication-Results with these ids are trusted; default: the topmost one.",
            AllowMultipleArgumentsPerToken = true,
        };

        var command = new Command("analyze-email", $"Forensic report and verdict for a suspicious (possibly forwarded) e-mail. {LookupNote}");
        command.Options.Add(file);
        command.Options.Add(format);
        command.Options.Add(noLookups);
        command.Options.Add(trusted);
        command.SetAction(async (ParseResult parseResult, CancellationToken ct) =>
        {
            string path = parseResult.GetValue(file)!;
            string? chosen = parseResult.GetValue(common.Json) ? "json" : parseResult.GetValue(format);
            var options = new EmailAnalysisOptions { TrustedAuthservIds = parseResult.GetValue(trusted) ?? [] };
            bool lookupsOff = parseResult.GetValue(noLookups);
            TextWriter output = parseResult.InvocationConfiguration.Output;
            if (Directory.Exists(path) && chosen is "text" or "html")
            {
                throw new CliInputException(path, $"is a directory: directory mode writes JSON lines; --format {chosen} needs a single file");
            }

            using CliReputation? reputation = lookupsOff ? null : CliReputation.Create(settings());
            if (Directory.Exists(path))
            {
                return await AnalyzeDirectoryAsync(path, options, lookupsOff, reputation, output, ct).ConfigureAwait(false);
            }

            EmailReport report = CliInput.Read(path, stream => MailInput.Analyze(stream, options)) with { NoLookups = lookupsOff };
            if (reputation is not null)
            {
                report = await reputation.AddAsync(report, ct).ConfigureAwait(false);
            }

            switch (chosen ?? "text")
            {
                case "json":
                    output.WriteLine(EmailReportJson.Serialize(report));
                    break;
                case "html":
                    output.Write(EmailReportHtmlRenderer.Render(report));
                    break;
                default:
                    output.Write(EmailReportTextRenderer.Render(report));
                    break;
            }

            return ChatOpsCli.ExitOk;
        });
        return command;
    }

    private static async Task<int> AnalyzeDirectoryAsync(
        string root, EmailAnalysisOptions options, bool lookupsOff, CliReputation? reputation, TextWriter output, CancellationToken ct)
    {
        List<string> files;
        try
        {
            files = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive })
                .Where(MailInput.IsMessageFileName)
                .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException(root, $"cannot list the directory ({ex.Message})");
        }

        if (files.Count == 0)
        {
            throw new CliInputException(root, "contains no .eml or .msg files");
        }

        int failed = 0;
        foreach (string relative in files)
        {
            ct.ThrowIfCancellationRequested();
            string line;
            try
            {
                EmailReport report = CliInput.Read(Path.Combine(root, relative), stream => MailInput.Analyze(stream, options));
                if (reputation is not null)
                {
                    report = await reputation.AddAsync(report, ct).ConfigureAwait(false);
                }

                line = EmailReportJson.Serialize(report with { File = relative, NoLookups = lookupsOff }, indented: false);
            }
            catch (CliInputException ex)
            {
                failed++;
                line = EmailReportJson.SerializeLine(new FailedMessage(relative, ex.Problem));
            }

            await output.WriteLineAsync(line).ConfigureAwait(false);
        }

        return failed == 0 ? ChatOpsCli.ExitOk : ExitSomeFailed;
    }
}
