using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Files;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Mail;

namespace ChatOpsBot.Commands.Analyze;

/// <summary>
/// <c>analyze</c> with an attached message, or a file sent with no text: the forensic verdict of a suspicious mail,
/// with the reputation of its attachment hashes, URLs and sending IPs when VirusTotal is configured and
/// <c>VirusTotal:LookupsEnabled</c> is on (<see cref="ReputationEnrichment"/>, bounded by
/// <c>VirusTotal:AnalysisDeadline</c>, so a slow or rationed API never holds the card). An Outlook .msg (any compound
/// file, whatever its name) is read by <see cref="OutlookMessageReader"/> and analysed like the .eml it holds. Anything
/// that is not mail is explained rather than fed to the parser.
/// </summary>
internal sealed class AnalyzeCommand(ReputationEnrichment reputation) : IChatCommand
{
    public string Name => "analyze";

    public Role RequiredRole => Role.Reader;

    public string ProgressSubject => "the message";

    public CommandHelp Help { get; } = new(
        "analyze",
        "analyze (attach the suspicious message as .eml or Outlook .msg), or just send the file",
        "Forensic verdict of a suspicious e-mail: sender authentication, hops, links (defanged), attachments with hashes.",
        ["analyze + suspicious.eml", "suspicious.eml or suspicious.msg with no text"]);

    public ArgumentBinding Bind(CommandInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.IsCardAction && input.Words.Count > 0)
        {
            return ArgumentBinding.Fail("analyze takes no words, only the attached message.");
        }

        return SingleFile.Problem(input, "the suspicious message as an .eml or .msg file (in Outlook: Forward as attachment, or drag it out and save it)") is { } problem
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
            case FileKind.OfficeDocument when OutlookMessageReader.IsCompoundFile(content.Bytes.Span):
                OutlookReadResult outlook = OutlookMessageReader.Read(content.Bytes);
                if (outlook.Message is { } message)
                {
                    EmailReport fromMsg = EmailAnalyzer.Analyze(message);
                    return CommandResult.Success(EmailVerdictCard.Build(await reputation.AddAsync(fromMsg, cancellationToken).ConfigureAwait(false)));
                }

                return kind == FileKind.OutlookMsg
                    ? CommandResult.Unusable(NoticeCard.Build(
                        "That .msg file could not be read",
                        $"{name}: {outlook.Problem} In Outlook, use Forward as attachment, or save the mail again and send me that.",
                        NoticeStyle.Warning))
                    : CommandResult.Unusable(NoticeCard.Build("That is not an e-mail message", Explain(name, kind, context.Caller), NoticeStyle.Warning));

            default:
                return CommandResult.Unusable(NoticeCard.Build("That is not an e-mail message", Explain(name, kind, context.Caller), NoticeStyle.Warning));
        }
    }

    private static string Explain(string name, FileKind kind, CallerIdentity caller)
    {
        string text = $"I can analyse e-mail messages saved as .eml or Outlook .msg; {name} looks like {FileSniffer.Describe(kind)}. " +
            "To report a suspicious mail, forward it as an attachment or save it and send me that file.";
        return kind == FileKind.Json && caller.Has(Role.Analyst)
            ? text + " For a TTP policy configuration, send it with the word audit; for a TTP log export, with metrics."
            : text;
    }
}
