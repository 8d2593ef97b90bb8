using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Pipeline;

namespace ChatOpsBot.Commands.WhoAmI;

/// <summary><c>whoami</c>: the caller's stable id (what an admin grants roles to) and role.</summary>
internal sealed class WhoAmICommand : IChatCommand
{
    public string Name => "whoami";

    public Role RequiredRole => Role.Reader;

    public bool RepliesPrivately => true;

    public CommandHelp Help { get; } = new(
        "whoami",
        "whoami",
        "Shows your id and role; an admin grants roles to that id.",
        ["whoami"]);

    public ArgumentBinding Bind(CommandInput input) => Arguments.None(input, Name);

    public Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(new CommandResult(
            WhoAmICard.Build(new CallerInfo(
                context.Caller.Id,
                context.Caller.DisplayName,
                context.Caller.Channel,
                [RoleNames.Of(context.Caller.Role)],
                [.. context.AvailableCommands.Select(c => c.Name)])), Private: true));
    }
}
