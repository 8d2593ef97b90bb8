using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Cards;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Pipeline;

namespace ChatOpsBot.Commands.Alerts;

/// <summary>
/// The alert card's Acknowledge and Snooze buttons (<c>alert ack</c> / <c>alert snooze</c> with the alert id; also
/// typeable). The answer replaces the pressed card with the alert's new state; an unknown id is answered privately and
/// leaves the card as it was.
/// </summary>
internal abstract class AlertActionCommand(IAlertService alerts) : IChatCommand
{
    public abstract string Name { get; }

    public Role RequiredRole => Role.Responder;

    public abstract CommandHelp Help { get; }

    public bool UpdatesPressedCard => true;

    protected IAlertService Alerts => alerts;

    public ArgumentBinding Bind(CommandInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string? alertId = input.IsCardAction ? Arguments.Card(input, AlertCard.AlertIdKey) : input.Words.Count == 1 ? input.Words[0].Trim() : null;
        if (!input.IsCardAction && input.Words.Count != 1)
        {
            return ArgumentBinding.Fail($"{Name} takes one argument, the alert id.");
        }

        // Button data comes back from the client untouched by us: check its shape before it reaches storage or a card.
        return AlertIds.LooksValid(alertId)
            ? ArgumentBinding.Ok(new Dictionary<string, string> { [AlertCard.AlertIdKey] = alertId! })
            : ArgumentBinding.Fail("That is not an alert id (they look like alt- followed by 24 hex digits).");
    }

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        string alertId = context.Arguments[AlertCard.AlertIdKey];
        AlertActionResult result = await ActAsync(alertId, new AlertActor(context.Caller.Id, context.Caller.DisplayName), cancellationToken).ConfigureAwait(false);
        return result.Outcome == AlertActionOutcome.NotFound || result.Card is null
            ? new CommandResult(NoticeCard.Build("No such alert", "That alert no longer exists (alerts are purged some time after they end).", NoticeStyle.Warning), Storage.AuditOutcome.Usage, Private: true)
            : CommandResult.Success(result.Card);
    }

    protected abstract Task<AlertActionResult> ActAsync(string alertId, AlertActor actor, CancellationToken cancellationToken);
}

/// <summary><c>alert ack &lt;alert id&gt;</c>: records who acknowledged the alert and when; its card loses its buttons.</summary>
internal sealed class AlertAcknowledgeCommand(IAlertService alerts) : AlertActionCommand(alerts)
{
    public override string Name => AlertCard.AcknowledgeVerb;

    public override CommandHelp Help { get; } = new(
        AlertCard.AcknowledgeVerb,
        "alert ack <alert id>",
        "Acknowledges an alert (the card's Acknowledge button): the card shows who and when, repeats are counted, not posted.",
        ["alert ack alt-0123456789abcdef01234567"]);

    protected override Task<AlertActionResult> ActAsync(string alertId, AlertActor actor, CancellationToken cancellationToken) =>
        Alerts.AcknowledgeAsync(alertId, actor, cancellationToken);
}

/// <summary><c>alert snooze &lt;alert id&gt;</c>: repeats of the alert are counted, not posted, for the snooze duration.</summary>
internal sealed class AlertSnoozeCommand(IAlertService alerts) : AlertActionCommand(alerts)
{
    public override string Name => AlertCard.SnoozeVerb;

    public override CommandHelp Help { get; } = new(
        AlertCard.SnoozeVerb,
        "alert snooze <alert id>",
        "Snoozes an alert for 24 hours (the card's Snooze button): repeats are counted, not posted.",
        ["alert snooze alt-0123456789abcdef01234567"]);

    protected override Task<AlertActionResult> ActAsync(string alertId, AlertActor actor, CancellationToken cancellationToken) =>
        Alerts.SnoozeAsync(alertId, actor, cancellationToken);
}
