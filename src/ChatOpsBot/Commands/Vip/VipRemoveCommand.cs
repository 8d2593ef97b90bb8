using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Storage;

namespace ChatOpsBot.Commands.Vip;

/// <summary>
/// <c>vip remove &lt;address&gt;</c>: stops protecting someone. It weakens protection, so it runs only after the
/// requester confirms.
/// </summary>
internal sealed class VipRemoveCommand(IVipStore vipStore) : IChatCommand
{
    public string Name => "vip remove";

    public Role RequiredRole => Role.Responder;

    public bool RequiresConfirmation => true;

    public string ConfirmationTitle => "Remove VIP";

    public CommandHelp Help { get; } = new(
        "vip remove",
        "vip remove <address>",
        "Removes a VIP from the list (asks you to confirm first).",
        ["vip remove jane.doe@corp.com"]);

    public string ConfirmationPrompt(IReadOnlyDictionary<string, string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return $"Remove {arguments[VipArguments.Address]} from the VIP list? Mail using their name will no longer be checked for impersonation.";
    }

    public ArgumentBinding Bind(CommandInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        const string OneAddress = "Give exactly one e-mail address.";
        return Arguments.Single(input, VipArguments.Address, OneAddress, OneAddress, address =>
            VipArguments.NormalizeAddress(address) is { } normalized
                ? ArgumentBinding.Ok(new Dictionary<string, string> { [VipArguments.Address] = normalized })
                : ArgumentBinding.Fail("That is not a valid e-mail address (name@domain)."));
    }

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        string address = context.Arguments[VipArguments.Address];
        bool removed = await vipStore.RemoveAsync(address, cancellationToken).ConfigureAwait(false);
        return removed
            ? CommandResult.Success(NoticeCard.Build("VIP removed", $"{address} is no longer on the VIP list.", NoticeStyle.Success))
            : CommandResult.Unusable(NoticeCard.Build("Not a VIP", $"{address} is not on the VIP list; nothing changed."));
    }
}
