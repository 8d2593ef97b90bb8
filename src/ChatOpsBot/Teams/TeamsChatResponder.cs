using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Commands;

namespace ChatOpsBot.Teams;

/// <summary>
/// Answers one Teams conversation for the command layer. It holds only the conversation reference and the adapter, and
/// every send runs in a proactive turn (<see cref="BotAdapter.ContinueConversationAsync"/>), so it keeps working after
/// the inbound HTTP request was acknowledged. With the reference's activity id set, messages reply to that activity
/// (a thread reply in a channel); without it they are posted to the conversation.
/// </summary>
internal sealed class TeamsChatResponder(BotAdapter adapter, ConversationReference reference) : IChatResponder
{
    public ConversationReference Reference { get; } = reference ?? throw new ArgumentNullException(nameof(reference));

    public Task SendTypingAsync(CancellationToken cancellationToken) =>
        adapter.ContinueConversationAsync(Reference, (turn, ct) => turn.SendTypingAsync(ct), cancellationToken);

    public async Task<string> SendCardAsync(AdaptiveCard card, CancellationToken cancellationToken)
    {
        Activity message = CardMessage(card);
        string? id = null;
        await adapter.ContinueConversationAsync(
            Reference,
            async (turn, ct) => id = (await turn.SendActivityAsync(message, ct).ConfigureAwait(false)).Id,
            cancellationToken).ConfigureAwait(false);

        // No id (a Connector that answered 2xx without a body): the card was sent but cannot be updated; an update
        // with the empty id fails and the command layer then sends its result as a new message.
        return id ?? string.Empty;
    }

    public Task UpdateCardAsync(string messageId, AdaptiveCard card, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        Activity message = CardMessage(card);
        message.Id = messageId;
        return adapter.ContinueConversationAsync(Reference, (turn, ct) => turn.UpdateActivityAsync(message, ct), cancellationToken);
    }

    /// <summary>Teams has no message only one member of a chat sees: this is a normal reply.</summary>
    public Task SendPrivateCardAsync(AdaptiveCard card, CancellationToken cancellationToken) => SendCardAsync(card, cancellationToken);

    /// <summary>A message carrying <paramref name="card"/> with Teams' full-width setting; its fallback text is the feed summary.</summary>
    public static Activity CardMessage(AdaptiveCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        Activity message = Activity.CreateMessageActivity();
        message.Attachments = [Attachment.AdaptiveCard(CardJson.ToJsonElement(card.ForTeams()))];
        message.Summary = card.FallbackText;
        return message;
    }
}
