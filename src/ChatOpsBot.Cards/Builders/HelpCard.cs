using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>The commands the caller may use (the command layer filters by role), each with usage and an example.</summary>
public static class HelpCard
{
    private const int MaxCommands = 30;

    public static AdaptiveCard Build(IReadOnlyList<CommandHelp> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var body = new List<AdaptiveElement>
        {
            CardParts.Heading("ChatOpsBot commands"),
            CardParts.Subtle("Type a command, or forward a suspicious message to me for a verdict. Arguments with spaces go in quotes."),
        };
        foreach (CommandHelp command in commands.Take(MaxCommands))
        {
            body.Add(new AdaptiveTextBlock(CardText.Escape(command.Usage, 200)) { Wrap = true, Weight = AdaptiveTextWeight.Bolder, FontType = AdaptiveFontType.Monospace, Spacing = AdaptiveSpacing.Medium, Separator = true });
            body.Add(new AdaptiveTextBlock(CardText.Escape(command.Summary, 300)) { Wrap = true, Spacing = AdaptiveSpacing.Small });
            if (command.Examples.Count > 0)
            {
                body.Add(CardParts.Subtle($"e.g. {CardText.Escape(command.Examples[0], 200)}"));
            }
        }

        body.AddRange(CardParts.More(commands.Count, Math.Min(commands.Count, MaxCommands), "commands"));
        return CardParts.Card(
            CardText.Plain($"Commands: {string.Join(", ", commands.Select(c => c.Name))}", 500),
            body,
            [CardActions.Submit("Who am I?", "whoami"), CardActions.Submit("Help", "help")]);
    }
}
