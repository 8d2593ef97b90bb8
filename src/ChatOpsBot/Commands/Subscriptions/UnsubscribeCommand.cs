using ChatOpsBot.Alerts;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Pipeline;

namespace ChatOpsBot.Commands.Subscriptions;

/// <summary><c>unsubscribe [kind]</c>: this conversation stops receiving alerts of that kind (every kind when none is given).</summary>
internal sealed class UnsubscribeCommand(IAlertSubscriptions subscriptions) : IChatCommand
{
    public string Name => "unsubscribe";

    public Role RequiredRole => Role.Admin;

    public CommandHelp Help { get; } = new(
        "unsubscribe",
        $"unsubscribe [{SubscriptionArguments.KindList}]",
        "Stops posting alerts of that kind (every subscription when none is given) to this conversation.",
        ["unsubscribe", "unsubscribe threat-feed"]);

    public ArgumentBinding Bind(CommandInput input) => SubscriptionArguments.Bind(input, Name);

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        string? kind = context.Arguments.GetValueOrDefault(SubscriptionArguments.Kind);
        int removed = await subscriptions.UnsubscribeAsync(
            context.Request.Channel, context.Request.Conversation.Id, kind, cancellationToken).ConfigureAwait(false);
        string what = kind is null ? "alert subscriptions" : $"{kind} subscription";
        return CommandResult.Success(NoticeCard.Build(
            "Unsubscribed",
            removed == 0 ? $"This conversation had no {what}." : $"Removed {removed} {what}(s) of this conversation.",
            NoticeStyle.Info));
    }
}
