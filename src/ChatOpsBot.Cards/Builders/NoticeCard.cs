using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>A short outcome: "VIP added", "Busy, try again in a minute", "Not permitted".</summary>
public static class NoticeCard
{
    private const int MaxTitleChars = 120;
    private const int MaxTextChars = 1000;

    /// <param name="title">Shown as the heading; escaped (it may quote user input).</param>
    /// <param name="text">One or two sentences; escaped, so markdown in it is shown literally.</param>
    public static AdaptiveCard Build(string title, string text, NoticeStyle style = NoticeStyle.Info)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(text);
        (AdaptiveContainerStyle container, AdaptiveTextColor color) = style switch
        {
            NoticeStyle.Success => (AdaptiveContainerStyle.Good, AdaptiveTextColor.Good),
            NoticeStyle.Warning => (AdaptiveContainerStyle.Warning, AdaptiveTextColor.Warning),
            NoticeStyle.Error => (AdaptiveContainerStyle.Attention, AdaptiveTextColor.Attention),
            _ => (AdaptiveContainerStyle.Emphasis, AdaptiveTextColor.Default),
        };
        string escapedTitle = CardText.Escape(title, MaxTitleChars);
        string escapedText = CardText.Escape(text, MaxTextChars);
        return CardParts.Card(
            CardText.Plain($"{title}: {text}", MaxTitleChars + MaxTextChars),
            [CardParts.Banner(container, escapedTitle, color, escapedText)]);
    }
}
