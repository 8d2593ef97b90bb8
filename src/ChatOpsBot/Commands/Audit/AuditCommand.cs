using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.PolicyAudit;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Files;
using ChatOpsBot.Commands.Pipeline;

namespace ChatOpsBot.Commands.Audit;

/// <summary><c>audit</c> with an attached Mimecast TTP policy configuration (JSON): the seed rubric's score and findings.</summary>
internal sealed class AuditCommand : IChatCommand
{
    private const string What = "the Mimecast TTP policy configuration";

    public string Name => "audit";

    public Role RequiredRole => Role.Analyst;

    public string ProgressSubject => "the policy configuration";

    public CommandHelp Help { get; } = new(
        "audit",
        "audit (attach the TTP policy configuration JSON)",
        "Scores your Mimecast Targeted Threat Protection configuration out of 100, with findings and remediation.",
        ["audit + mimecast_config.json"]);

    /// <summary>Why there is no live audit: Mimecast API 2.0 has no route that reads TTP definitions or policies (see
    /// src/ChatOpsBot.Integrations/README.md), so the configuration has to come as a file.</summary>
    public const string NoLiveAudit =
        "I cannot audit the live tenant: the Mimecast API 2.0 has no route that reads the Targeted Threat Protection policies " +
        "(URL, Attachment and Impersonation Protect definitions). Export the TTP policy configuration as JSON and send it to me with the word audit.";

    public ArgumentBinding Bind(CommandInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentBinding none = Arguments.None(input, Name);
        if (none.Problem is not null)
        {
            return none;
        }

        return input.Files.Count == 0 ? ArgumentBinding.Fail(NoLiveAudit)
            : SingleFile.Problem(input, What + " (JSON)") is { } problem ? ArgumentBinding.Fail(problem) : none;
    }

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        AttachmentContent content = await SingleFile.ReadJsonAsync(context, TtpPolicyAuditor.MaxConfigBytes, What, cancellationToken).ConfigureAwait(false);
        try
        {
            using MemoryStream stream = content.OpenRead();
            return CommandResult.Success(AuditCard.Build(TtpPolicyAuditor.Audit(stream)));
        }
        catch (InvalidInputException ex)
        {
            throw new CommandInputException($"{AttachmentReader.DisplayName(content.Name)}: {ex.Message}", ex);
        }
    }
}
