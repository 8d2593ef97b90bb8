using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>What a response action (block sender, block URL) did, for the result card that replaces its confirmation.</summary>
/// <param name="Title">"Sender blocked", "Already blocked", ...; escaped.</param>
/// <param name="Text">One or two sentences; escaped.</param>
/// <param name="Details">Facts (target, Mimecast entry id, who asked); values escaped.</param>
public sealed record ResponseActionResult(string Title, string Text, NoticeStyle Style, IReadOnlyList<KeyValuePair<string, string>> Details);

/// <summary>The outcome of a confirmed response action, with the facts an auditor needs to find it in Mimecast.</summary>
public static class ResponseActionCard
{
    public static AdaptiveCard Build(ResponseActionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return CardLimits.Fit(limits => Build(result, limits));
    }

    private static AdaptiveCard Build(ResponseActionResult result, CardLimits limits)
    {
        (AdaptiveContainerStyle container, AdaptiveTextColor color) = result.Style switch
        {
            NoticeStyle.Success => (AdaptiveContainerStyle.Good, AdaptiveTextColor.Good),
            NoticeStyle.Warning => (AdaptiveContainerStyle.Warning, AdaptiveTextColor.Warning),
            NoticeStyle.Error => (AdaptiveContainerStyle.Attention, AdaptiveTextColor.Attention),
            _ => (AdaptiveContainerStyle.Emphasis, AdaptiveTextColor.Default),
        };
        var body = new List<AdaptiveElement>
        {
            CardParts.Banner(container, CardText.Escape(result.Title, 120), color, CardText.Escape(result.Text, limits.LongTextChars)),
        };
        body.AddRange(CardParts.Facts(result.Details.Take(limits.ListItems).Select(d => (CardText.Escape(d.Key, 60), (string?)CardText.Escape(d.Value, limits.TextChars)))));
        return CardParts.Card(CardText.Plain($"{result.Title}: {result.Text}", 600), body);
    }
}
