using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Storage;

namespace ChatOpsBot.Commands.Vip;

/// <summary><c>vip add &lt;display name&gt; &lt;address&gt;</c>: protects one more person.</summary>
internal sealed class VipAddCommand(IVipStore vipStore, TimeProvider timeProvider) : IChatCommand
{
    public string Name => "vip add";

    public Role RequiredRole => Role.Responder;

    public CommandHelp Help { get; } = new(
        "vip add",
        "vip add <display name> <address>",
        "Adds a VIP, whose name impersonation checks then watch for.",
        ["vip add \"Jane Doe\" jane.doe@corp.com"]);

    public ArgumentBinding Bind(CommandInput input)
    {
        ArgumentBinding binding = VipArguments.NameAndAddress(input, nameOptional: false);
        if (binding.Problem is not null)
        {
            return binding;
        }

        string name = binding.Values[VipArguments.Name];
        if (VipArguments.NameProblem(name) is { } problem)
        {
            return ArgumentBinding.Fail(problem);
        }

        return VipArguments.NormalizeAddress(binding.Values[VipArguments.Address]) is { } address
            ? ArgumentBinding.Ok(new Dictionary<string, string> { [VipArguments.Name] = name, [VipArguments.Address] = address })
            : ArgumentBinding.Fail("That is not a valid e-mail address (name@domain).");
    }

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        string name = context.Arguments[VipArguments.Name];
        string address = context.Arguments[VipArguments.Address];
        bool added = await vipStore.AddAsync(new StoredVip(name, address, context.Caller.Id, timeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return added
            ? CommandResult.Success(NoticeCard.Build("VIP added", $"{name} <{address}> is now on the VIP list.", NoticeStyle.Success))
            : CommandResult.Unusable(NoticeCard.Build("Already a VIP", $"{address} is already on the VIP list; nothing changed."));
    }
}
