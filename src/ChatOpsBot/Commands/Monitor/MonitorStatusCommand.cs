using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Cards;
using ChatOpsBot.Cards;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Pipeline;

namespace ChatOpsBot.Commands.Monitor;

/// <summary><c>monitor status</c>: whether the alert jobs run and what the outbox holds.</summary>
internal sealed class MonitorStatusCommand(IAlertService alerts) : IChatCommand
{
    public string Name => "monitor status";

    public Role RequiredRole => Role.Analyst;

    public CommandHelp Help { get; } = new(
        "monitor status",
        "monitor status",
        "Shows the URL monitor, re-check and threat feed: last and next run, records ingested, alerts raised and pending, last error.",
        ["monitor status"]);

    public ArgumentBinding Bind(CommandInput input) => Arguments.None(input, Name);

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        MonitorStatus status = await alerts.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        return CommandResult.Success(MonitorStatusCard.Build(status));
    }
}
