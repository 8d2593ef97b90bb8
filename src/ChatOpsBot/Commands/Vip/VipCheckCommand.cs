using ChatOpsBot.Analysis.Impersonation;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Storage;

namespace ChatOpsBot.Commands.Vip;

/// <summary><c>vip check &lt;display name&gt; &lt;address&gt;</c>: would a sender like this impersonate a VIP?</summary>
internal sealed class VipCheckCommand(IVipStore vipStore) : IChatCommand
{
    public string Name => "vip check";

    public Role RequiredRole => Role.Analyst;

    public string ProgressSubject => "the sender";

    public CommandHelp Help { get; } = new(
        "vip check",
        "vip check <display name> <address>",
        "Checks a sender's display name and address against the VIP list for impersonation.",
        ["vip check \"Jane Doe\" jane.doe@gmail.com", "vip check Jane Doe ceo@examp1e.com"]);

    public ArgumentBinding Bind(CommandInput input) => VipArguments.NameAndAddress(input, nameOptional: true);

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<StoredVip> vips = await vipStore.ListAsync(cancellationToken).ConfigureAwait(false);
        if (vips.Count == 0)
        {
            return CommandResult.Unusable(NoticeCard.Build(
                "The VIP list is empty", "There is nobody to impersonate yet. A responder can add VIPs with vip add <display name> <address>.", NoticeStyle.Warning));
        }

        var sender = new SenderIdentity(context.Arguments.GetValueOrDefault(VipArguments.Name, string.Empty), context.Arguments[VipArguments.Address]);
        ImpersonationCheckResult result = VipImpersonationChecker.Check(sender, [.. vips.Select(VipArguments.ToVipEntry)]);
        return CommandResult.Success(ImpersonationCard.Build(result));
    }
}
