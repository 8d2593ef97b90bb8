using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>
/// The placeholder sent as its own activity while work runs, then updated in place with the result (or an
/// <see cref="ErrorCard"/>).
/// </summary>
public static class ProgressCard
{
    /// <param name="what">What is being worked on, e.g. "the forwarded message"; escaped.</param>
    public static AdaptiveCard Build(string what)
    {
        ArgumentNullException.ThrowIfNull(what);
        string escaped = CardText.Escape(what, 200);
        return CardParts.Card(
            CardText.Plain($"Analyzing {what}…", 220),
            [
                new AdaptiveTextBlock($"⏳ Analyzing {escaped}…") { Wrap = true, Weight = AdaptiveTextWeight.Bolder },
                CardParts.Subtle("This card is updated with the result when it is ready."),
            ]);
    }
}
