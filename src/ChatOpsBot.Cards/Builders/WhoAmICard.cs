using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>The caller's stable id and roles (what an administrator needs to grant more).</summary>
public static class WhoAmICard
{
    public static AdaptiveCard Build(CallerInfo caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        string roles = caller.Roles.Count == 0 ? "none" : string.Join(", ", caller.Roles.Take(10).Select(r => CardText.Escape(r, 40)));
        string commands = caller.Commands.Count == 0 ? "none" : string.Join(", ", caller.Commands.Take(40).Select(c => CardText.Escape(c, 40)));
        return CardParts.Card(
            CardText.Plain($"You are {caller.DisplayName ?? caller.Id}; roles: {string.Join(", ", caller.Roles)}", 300),
            [
                CardParts.Heading("Who am I"),
                CardParts.Facts(
                    ("Name", CardText.Escape(caller.DisplayName, 100)),
                    ("Id", CardText.Escape(caller.Id, 200)),
                    ("Channel", CardText.Escape(caller.Channel, 40)),
                    ("Roles", roles),
                    ("Commands", commands)),
                CardParts.Subtle("Roles are granted to this id in the bot's configuration (Security settings). Ask an administrator for more."),
            ],
            [CardActions.Submit("Help", "help")]);
    }
}
