using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Storage;

namespace ChatOpsBot.Commands.Vip;

/// <summary><c>vip list</c>: the protected people.</summary>
internal sealed class VipListCommand(IVipStore vipStore) : IChatCommand
{
    public string Name => "vip list";

    public Role RequiredRole => Role.Analyst;

    public CommandHelp Help { get; } = new("vip list", "vip list", "Shows the VIPs impersonation checks protect.", ["vip list"]);

    public ArgumentBinding Bind(CommandInput input) => Arguments.None(input, Name);

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<StoredVip> vips = await vipStore.ListAsync(cancellationToken).ConfigureAwait(false);
        return CommandResult.Success(VipListCard.Build([.. vips.Select(v => new VipRow(v.DisplayName, v.Email, v.AddedBy, v.AddedAt))]));
    }
}
