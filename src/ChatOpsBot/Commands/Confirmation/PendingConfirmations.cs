using System.Collections.Concurrent;
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

/// <summary>
/// Pending confirmations, keyed by an unguessable single-use token. Only the person who asked may confirm or cancel,
/// in the conversation where they asked: a confirmation is "are you sure?", not an approval by someone else, and a
/// card forwarded or seen by others must not let them trigger it. Held in memory: a restart drops pending
/// confirmations (the requester asks again), and several bot instances need sticky conversations.
/// </summary>
public sealed class PendingConfirmations(IOptions<CommandOptions> options, TimeProvider timeProvider)
{
    /// <summary>Bound on pending confirmations; beyond it new ones are refused rather than memory growing.</summary>
    public const int MaxPending = 1000;

    /// <summary>Bound per requester, so one busy responder cannot use up <see cref="MaxPending"/> for everyone.</summary>
    public const int MaxPendingPerActor = 20;

    private const int TokenBytes = 16;

    private readonly ConcurrentDictionary<string, PendingConfirmation> _pending = new(StringComparer.Ordinal);

    /// <summary>Stores an action and returns it with its token; null when too many are pending (in all, or for this requester).</summary>
    public PendingConfirmation? Add(
        string commandName,
        IReadOnlyDictionary<string, string> arguments,
        IReadOnlySet<string> contentKeys,
        string actorId,
        string channel,
        string conversationId)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        RemoveExpired(now);
        if (_pending.Count >= MaxPending
            || _pending.Values.Count(p => string.Equals(p.ActorId, actorId, StringComparison.OrdinalIgnoreCase)) >= MaxPendingPerActor)
        {
            return null;
        }

        var action = new PendingConfirmation(
            Base64UrlToken(), commandName, arguments, contentKeys, actorId, channel, conversationId, now + options.Value.ConfirmationTimeout);
        _pending[action.Token] = action;
        return action;
    }

    /// <summary>Takes the action for its requester (removing it, so it runs once); leaves it for anyone else.</summary>
    public ClaimStatus TryClaim(string? token, string actorId, string channel, string conversationId, out PendingConfirmation? action)
    {
        action = null;
        if (string.IsNullOrEmpty(token) || !_pending.TryGetValue(token, out PendingConfirmation? found))
        {
            return ClaimStatus.Gone;
        }

        if (found.ExpiresAt <= timeProvider.GetUtcNow())
        {
            _pending.TryRemove(token, out _);
            return ClaimStatus.Gone;
        }

        if (!string.Equals(found.ActorId, actorId, StringComparison.OrdinalIgnoreCase)
            || found.Channel != channel
            || found.ConversationId != conversationId)
        {
            action = found;
            return ClaimStatus.NotYours;
        }

        // Two presses of Confirm race here; only the one that removes the entry runs the action.
        if (!_pending.TryRemove(new KeyValuePair<string, PendingConfirmation>(token, found)))
        {
            return ClaimStatus.Gone;
        }

        action = found;
        return ClaimStatus.Claimed;
    }

    private void RemoveExpired(DateTimeOffset now)
    {
        foreach ((string token, PendingConfirmation action) in _pending)
        {
            if (action.ExpiresAt <= now)
            {
                _pending.TryRemove(token, out _);
            }
        }
    }

    private static string Base64UrlToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenBytes))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
