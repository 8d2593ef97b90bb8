using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>A command was recognised but its arguments were wrong (or a typo was close to a command).</summary>
public static class UsageCard
{
    /// <param name="command">The command meant (or suggested).</param>
    /// <param name="problem">What was wrong with the arguments, e.g. "missing the address"; escaped.</param>
    /// <param name="didYouMean">A suggested command name when the user mistyped one.</param>
    public static AdaptiveCard Build(CommandHelp command, string? problem, string? didYouMean)
    {
        ArgumentNullException.ThrowIfNull(command);
        var body = new List<AdaptiveElement>
        {
            CardParts.Banner(
                AdaptiveContainerStyle.Warning,
                didYouMean is null ? $"Usage: {CardText.Escape(command.Name, 60)}" : $"Did you mean {CardText.Escape(didYouMean, 60)}?",
                AdaptiveTextColor.Default,
                CardText.Escape(problem, 500)),
            CardParts.Mono(CardText.Escape(command.Usage, 300)),
            CardParts.Text(CardText.Escape(command.Summary, 300)),
        };
        if (command.Examples.Count > 0)
        {
            body.Add(CardParts.Section("Examples"));
            body.AddRange(command.Examples.Take(5).Select(e => CardParts.Mono(CardText.Escape(e, 200))));
        }

        return CardParts.Card(
            CardText.Plain($"Usage: {command.Usage}", 300),
            body,
            [CardActions.Submit("All commands", "help")]);
    }
}
