using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Commands.Confirmation;

/// <summary>A response action waiting for its requester to press Confirm.</summary>
public sealed record PendingConfirmation(
    string Token,
    string CommandName,
    IReadOnlyDictionary<string, string> Arguments,
    IReadOnlySet<string> ContentKeys,
    string ActorId,
    string Channel,
    string ConversationId,
    DateTimeOffset ExpiresAt);

public enum ClaimStatus
{
    Claimed,

    /// <summary>Unknown, already used, or expired: nothing to confirm.</summary>
    Gone,

    /// <summary>Someone other than the requester pressed the button (or in another conversation); it stays pending.</summary>
    NotYours,
}

/// <summary>What a press of Confirm or Cancel found: the action (for the audit entry) unless it is gone.</summary>
public sealed record ConfirmationClaim(ClaimStatus Status, PendingConfirmation? Action);

/// <summary>
/// Pending confirmations, keyed by an unguessable single-use token. Only the person who asked may confirm or cancel,
/// in the conversation where they asked: a confirmation is "are you sure?", not an approval by someone else, and a
/// card forwarded or seen by others must not let them trigger it. Kept in <see cref="IPendingConfirmationStore"/>:
/// the database in the host, so a button pressed on one instance confirms what another instance asked, a restart
/// keeps what is pending, and the press that removes the row is the one that runs the action (single use across
/// instances).
/// </summary>
internal sealed class PendingConfirmations(IPendingConfirmationStore store, IOptions<CommandOptions> options, TimeProvider timeProvider)
{
    /// <summary>Bound on pending confirmations; beyond it new ones are refused rather than storage growing.</summary>
    public const int MaxPending = 1000;

    /// <summary>Bound per requester, so one busy responder cannot use up <see cref="MaxPending"/> for everyone.</summary>
    public const int MaxPendingPerActor = 20;

    private const int TokenBytes = 16;

    /// <summary>Stores an action and returns it with its token; null when too many are pending (in all, or for this requester).</summary>
    public async Task<PendingConfirmation?> AddAsync(
        string commandName,
        IReadOnlyDictionary<string, string> arguments,
        IReadOnlySet<string> contentKeys,
        string actorId,
        string channel,
        string conversationId,
        CancellationToken cancellationToken)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        var action = new PendingConfirmation(
            Base64UrlToken(), commandName, arguments, contentKeys, actorId, channel, conversationId, now + options.Value.ConfirmationTimeout);
        return await store.TryAddAsync(action, now, MaxPending, MaxPendingPerActor, cancellationToken).ConfigureAwait(false) ? action : null;
    }

    /// <summary>Takes the action for its requester (removing it, so it runs once); leaves it for anyone else.</summary>
    public async Task<ConfirmationClaim> TryClaimAsync(string? token, string actorId, string channel, string conversationId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenChars
            || await store.FindAsync(token, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return new ConfirmationClaim(ClaimStatus.Gone, null);
        }

        if (found.ExpiresAt <= timeProvider.GetUtcNow())
        {
            await store.TryRemoveAsync(token, cancellationToken).ConfigureAwait(false);
            return new ConfirmationClaim(ClaimStatus.Gone, null);
        }

        if (!string.Equals(found.ActorId, actorId, StringComparison.OrdinalIgnoreCase)
            || found.Channel != channel
            || found.ConversationId != conversationId)
        {
            return new ConfirmationClaim(ClaimStatus.NotYours, found);
        }

        // Two presses of Confirm race here, on one instance or two; only the one whose delete removes the row runs it.
        return await store.TryRemoveAsync(token, cancellationToken).ConfigureAwait(false)
            ? new ConfirmationClaim(ClaimStatus.Claimed, found)
            : new ConfirmationClaim(ClaimStatus.Gone, null);
    }

    /// <summary>Longer than any token this class issues; a longer value from a card is not looked up at all.</summary>
    internal const int MaxTokenChars = 64;

    private static string Base64UrlToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenBytes))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
