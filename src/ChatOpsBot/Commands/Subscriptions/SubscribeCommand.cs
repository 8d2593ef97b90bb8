using ChatOpsBot.Alerts;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Pipeline;

namespace ChatOpsBot.Commands.Subscriptions;

/// <summary><c>subscribe [kind]</c>: this conversation receives alerts of that kind (all when none is given).</summary>
internal sealed class SubscribeCommand(IAlertSubscriptions subscriptions) : IChatCommand
{
    public string Name => "subscribe";

    public Role RequiredRole => Role.Admin;

    public CommandHelp Help { get; } = new(
        "subscribe",
        $"subscribe [{SubscriptionArguments.KindList}]",
        "Posts alerts of that kind (all kinds when none is given) to this conversation.",
        ["subscribe", "subscribe clicked-url-malicious", "subscribe threat-feed"]);

    public ArgumentBinding Bind(CommandInput input) => SubscriptionArguments.Bind(input, Name);

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        string kind = context.Arguments.GetValueOrDefault(SubscriptionArguments.Kind) ?? AlertKinds.All;
        try
        {
            bool added = await subscriptions.SubscribeAsync(
                context.Request.Channel, context.Request.Conversation.Id, kind, context.Caller.Id, cancellationToken).ConfigureAwait(false);
            return CommandResult.Success(NoticeCard.Build(
                "Subscribed",
                added ? $"This conversation now receives {kind} alerts." : $"This conversation already receives {kind} alerts.",
                NoticeStyle.Success));
        }
        catch (InvalidOperationException)
        {
            // The bot posts proactively through the conversation reference it stored when it last heard from this
            // conversation; without one there is nowhere to post to.
            return CommandResult.Unusable(NoticeCard.Build(
                "Not subscribed",
                "The bot has no stored reference for this conversation yet. Mention the bot here once, then subscribe again.",
                NoticeStyle.Warning));
        }
    }
}
