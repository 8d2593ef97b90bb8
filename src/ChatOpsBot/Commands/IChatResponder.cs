using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Commands;

/// <summary>
/// How the command layer answers the conversation a <see cref="ChatRequest"/> came from. The channel glue implements
/// it per request (it knows the service URL, the conversation and the message being answered).
/// </summary>
public interface IChatResponder
{
    /// <summary>Shows that the bot is working. Best effort: a failure is logged and ignored.</summary>
    Task SendTypingAsync(CancellationToken cancellationToken);

    /// <summary>Posts a card as its own message, visible to the conversation; returns the new message's id.</summary>
    Task<string> SendCardAsync(AdaptiveCard card, CancellationToken cancellationToken);

    /// <summary>Replaces a message this bot sent earlier with <paramref name="card"/>.</summary>
    Task UpdateCardAsync(string messageId, AdaptiveCard card, CancellationToken cancellationToken);

    /// <summary>
    /// Answers only the sender where the channel can (Slack ephemeral message); elsewhere (Teams) a normal reply.
    /// Used for refusals, usage hints, help and identity, which the rest of a channel need not see.
    /// </summary>
    Task SendPrivateCardAsync(AdaptiveCard card, CancellationToken cancellationToken);
}
