using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Pipeline;

namespace ChatOpsBot.Commands.Help;

/// <summary><c>help [command]</c>: the commands the caller may run, with examples; or one command's usage.</summary>
internal sealed class HelpCommand : IChatCommand
{
    public string Name => "help";

    public Role RequiredRole => Role.Reader;

    public bool RepliesPrivately => true;

    public CommandHelp Help { get; } = new(
        "help",
        "help [command]",
        "Lists what you can ask me, or explains one command.",
        ["help", "help vip check"]);

    public ArgumentBinding Bind(CommandInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string topic = input.IsCardAction ? Arguments.Card(input, "command") ?? string.Empty : string.Join(' ', input.Words);
        return ArgumentBinding.Ok(topic.Length == 0 ? Arguments.Empty : new Dictionary<string, string> { ["command"] = topic });
    }

    public Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<IChatCommand> available = context.AvailableCommands;
        if (context.Arguments.TryGetValue("command", out string? topic))
        {
            string name = string.Join(' ', topic.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
            if (available.FirstOrDefault(c => c.Name == name) is { } command)
            {
                return Task.FromResult(new CommandResult(UsageCard.Build(command.Help, null, null), Private: true));
            }

            if (available.Any(c => c.Name.StartsWith(name + " ", StringComparison.Ordinal)))
            {
                return Task.FromResult(new CommandResult(UsageCard.Build(CommandCatalog.GroupHelp(name, available), null, null), Private: true));
            }
        }

        return Task.FromResult(new CommandResult(HelpCard.Build([.. available.Select(c => c.Help)]), Private: true));
    }
}
