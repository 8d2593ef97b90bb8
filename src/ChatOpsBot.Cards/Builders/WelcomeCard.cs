using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>Sent once when the bot is added to a chat or team.</summary>
public static class WelcomeCard
{
    private const int MaxShownCommands = 5;

    /// <param name="userName">The person to greet, when known; escaped.</param>
    /// <param name="commands">Commands to introduce (the first few are listed).</param>
    public static AdaptiveCard Build(string? userName, IReadOnlyList<CommandHelp> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        string greeting = string.IsNullOrWhiteSpace(userName) ? "Hello!" : $"Hello, {CardText.Escape(userName, 80)}!";
        var body = new List<AdaptiveElement>
        {
            CardParts.Heading(greeting),
            CardParts.Text("I am ChatOpsBot. I help your security team work with Mimecast Email Security from chat."),
            CardParts.Text("**Got a suspicious email?** Forward it to me (as an attachment if you can) and I reply with a verdict and the evidence behind it."),
            CardParts.Section("Things you can ask"),
        };
        foreach (CommandHelp command in commands.Take(MaxShownCommands))
        {
            body.Add(CardParts.Labelled(CardText.Escape(command.Name, 30), AdaptiveTextColor.Accent, [CardParts.Text(CardText.Escape(command.Summary, 200))]));
        }

        return CardParts.Card(
            "Hello! I am ChatOpsBot. Forward me a suspicious email for a verdict, or type help.",
            body,
            [CardActions.Submit("Show all commands", "help"), CardActions.Submit("Who am I?", "whoami")]);
    }
}
