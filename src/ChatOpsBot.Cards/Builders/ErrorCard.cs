using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>A failure the user should know about, with the correlation id support needs to find it in the logs.</summary>
public static class ErrorCard
{
    private const int MaxMessageChars = 1000;

    /// <param name="message">What went wrong, in the user's terms (no stack traces, no secrets); escaped.</param>
    /// <param name="correlationId">The id the logs and the audit trail carry for this request.</param>
    public static AdaptiveCard Build(string message, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(correlationId);
        string id = CardText.Escape(correlationId, 100);
        return CardParts.Card(
            CardText.Plain($"Something went wrong: {message} (correlation id {correlationId})", MaxMessageChars + 160),
            [
                CardParts.Banner(AdaptiveContainerStyle.Attention, "Something went wrong", AdaptiveTextColor.Attention, CardText.Escape(message, MaxMessageChars)),
                CardParts.Subtle($"Correlation id: {id} (quote it when you report this problem)"),
            ]);
    }
}
