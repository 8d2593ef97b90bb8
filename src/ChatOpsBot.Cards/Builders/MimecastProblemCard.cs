using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>A Mimecast call that failed: what happened and what to do, with Mimecast's error code and request id for a
/// support case and the correlation id for our logs. Never worded as a success or as "nothing found".</summary>
public static class MimecastProblemCard
{
    /// <param name="title">"Mimecast refused the request", "Mimecast is unavailable", ...; escaped.</param>
    /// <param name="message">The client's one-line message (it carries the advice); escaped.</param>
    public static AdaptiveCard Build(string title, string message, string? mimecastCode, string? requestId, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(correlationId);
        var body = new List<AdaptiveElement>
        {
            CardParts.Banner(AdaptiveContainerStyle.Attention, CardText.Escape(title, 120), AdaptiveTextColor.Attention, CardText.Escape(message, 1000)),
        };
        body.AddRange(CardParts.Facts(
            ("Mimecast code", CardText.Escape(mimecastCode, 80)),
            ("Mimecast request id", CardText.Escape(requestId, 80)),
            ("Correlation id", CardText.Escape(correlationId, 100))));
        return CardParts.Card(CardText.Plain($"{title}: {message}", 1200), body);
    }
}
