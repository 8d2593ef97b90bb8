using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Mimecast;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Commands.Vip;
using ChatOpsBot.Integrations.Mimecast;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Commands.Block;

/// <summary>
/// <c>block sender &lt;address&gt;</c>: adds the address to the Mimecast profile group that the tenant's
/// blocked-senders policy applies to (<c>Mimecast:BlockedSendersGroup</c>), so mail from it is rejected for everyone.
/// A response action: confirmed first, audited twice (asked, confirmed).
/// </summary>
internal sealed class BlockSenderCommand(IMimecastClient mimecast, IOptions<MimecastOptions> options) : IChatCommand
{
    private const string AddressArgument = "address";

    public string Name => "block sender";

    public Role RequiredRole => Role.Responder;

    // Nothing to confirm when nothing can happen: without Mimecast the command says so at once.
    public bool RequiresConfirmation => mimecast.IsConfigured;

    public string ProgressSubject => "the block";

    public string ConfirmationTitle => "Block sender";

    public CommandHelp Help { get; } = new(
        "block sender",
        "block sender <address>",
        "Blocks all mail from an address for the whole organisation (Mimecast Blocked Senders group); asks for confirmation first.",
        ["block sender invoices@evil.example"]);

    public string ConfirmationPrompt(IReadOnlyDictionary<string, string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return $"Block all mail from {arguments[AddressArgument]} for the whole organisation? Mimecast adds it to the '{options.Value.BlockedSendersGroup}' group.";
    }

    public ArgumentBinding Bind(CommandInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Arguments.Single(input, AddressArgument, "block sender takes one address.", "Give the sender's address.", text =>
            VipArguments.NormalizeAddress(text) is { } address
                ? ArgumentBinding.Ok(new Dictionary<string, string> { [AddressArgument] = address })
                : ArgumentBinding.Fail("That is not a valid e-mail address (name@domain)."));
    }

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!mimecast.IsConfigured)
        {
            return MimecastReplies.NotConfigured("Blocking a sender");
        }

        string address = context.Arguments[AddressArgument];
        MimecastGroupMembershipResult result;
        try
        {
            result = await mimecast.AddToBlockedSendersGroupAsync(address, $"ChatOpsBot request {context.CorrelationId}", cancellationToken).ConfigureAwait(false);
        }
        catch (MimecastApiException ex)
        {
            return MimecastReplies.Failed(ex, context.CorrelationId);
        }

        var details = new List<KeyValuePair<string, string>>
        {
            new("Sender", address),
            new("Mimecast group", result.Group.Description),
            new("Requested by", context.Caller.DisplayName ?? context.Caller.Id),
        };
        if (result.Member?.Id is { } id)
        {
            details.Add(new("Mimecast entry id", id));
        }

        return result.Outcome == MimecastWriteOutcome.Created
            ? CommandResult.Success(ResponseActionCard.Build(new ResponseActionResult(
                "Sender blocked",
                $"Mail from {address} is now rejected for the whole organisation (as long as the blocked-senders policy applies to the group).",
                NoticeStyle.Success,
                details)))
            : CommandResult.Unusable(ResponseActionCard.Build(new ResponseActionResult(
                "Already blocked",
                $"{address} was already in the '{result.Group.Description}' group; nothing changed.",
                NoticeStyle.Info,
                details)));
    }
}
