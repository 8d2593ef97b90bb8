using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Files;
using ChatOpsBot.Commands.Pipeline;

namespace ChatOpsBot.Commands.Analyze;

/// <summary>
/// <c>analyze</c> with an attached message, or a file sent with no text: the forensic verdict of a suspicious mail,
/// with the reputation of its attachment hashes, URLs and sending IPs when VirusTotal is configured and
/// <c>VirusTotal:LookupsEnabled</c> is on (<see cref="ReputationEnrichment"/>, bounded by
/// <c>VirusTotal:AnalysisDeadline</c>, so a slow or rationed API never holds the card). Anything that is not mail is explained rather than fed to the parser, and Outlook .msg is
/// named as not supported yet.
/// </summary>
internal sealed class AnalyzeCommand(ReputationEnrichment reputation) : IChatCommand
{
    public string Name => "analyze";

    public Role RequiredRole => Role.Reader;

    public string ProgressSubject => "the message";

    public CommandHelp Help { get; } = new(
        "analyze",
        "analyze (attach the suspicious message as .eml), or just send the .eml",
        "Forensic verdict of a suspicious e-mail: sender authentication, hops, links (defanged), attachments with hashes.",
        ["analyze + suspicious.eml", "suspicious.eml with no text"]);

    public ArgumentBinding Bind(CommandInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.IsCardAction && input.Words.Count > 0)
        {
            return ArgumentBinding.Fail("analyze takes no words, only the attached message.");
        }

        return SingleFile.Problem(input, "the suspicious message as an .eml file (in Outlook: Forward as attachment, or save it)") is { } problem
            ? ArgumentBinding.Fail(problem)
            : ArgumentBinding.Ok(Arguments.Empty);
    }

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        AttachmentContent content = await context.ReadFileAsync(context.Files[0], null, cancellationToken).ConfigureAwait(false);
        string name = AttachmentReader.DisplayName(content.Name);
        FileKind kind = FileSniffer.Classify(content.Name, content.ContentType, content.Bytes.Span[..Math.Min(content.Bytes.Length, FileSniffer.HeadBytes)]);
        switch (kind)
        {
            case FileKind.Mail:
                EmailReport report;
                try
                {
                    report = EmailAnalyzer.Analyze(content.Bytes);
                }
                catch (InvalidInputException ex)
                {
                    throw new CommandInputException($"{name}: {ex.Message}", ex);
                }

                return CommandResult.Success(EmailVerdictCard.Build(await reputation.AddAsync(report, cancellationToken).ConfigureAwait(false)));

            case FileKind.OutlookMsg:
                return CommandResult.Unusable(NoticeCard.Build(
                    "Outlook .msg is not supported yet",
                    $"{name} is an Outlook .msg file, which I cannot read yet. In Outlook, use Forward as attachment, or save the mail as .eml and send me that.",
                    NoticeStyle.Warning));

            default:
                return CommandResult.Unusable(NoticeCard.Build("That is not an e-mail message", Explain(name, kind, context.Caller), NoticeStyle.Warning));
        }
    }

    private static string Explain(string name, FileKind kind, CallerIdentity caller)
    {
        string text = $"I can analyse e-mail messages saved as .eml; {name} looks like {FileSniffer.Describe(kind)}. " +
            "To report a suspicious mail, forward it as an attachment or save it as .eml and send me that file.";
        return kind == FileKind.Json && caller.Has(Role.Analyst)
            ? text + " For a TTP policy configuration, send it with the word audit; for a TTP log export, with metrics."
            : text;
    }
}
