namespace ChatOpsBot.Commands.Confirmation;

/// <summary>
/// Where pending confirmations live. The host's is the database (<c>pending_confirmations</c>), shared by every
/// instance; <see cref="InMemoryPendingConfirmationStore"/> serves a command layer composed without storage.
/// </summary>
internal interface IPendingConfirmationStore
{
    /// <summary>
    /// Drops expired entries, then stores <paramref name="action"/> unless <paramref name="maxPending"/> are pending in
    /// all or <paramref name="maxPendingPerActor"/> for its requester (compared case-insensitively); false when refused.
    /// </summary>
    Task<bool> TryAddAsync(PendingConfirmation action, DateTimeOffset now, int maxPending, int maxPendingPerActor, CancellationToken cancellationToken);

    /// <summary>The entry for <paramref name="token"/>, expired or not; null when there is none.</summary>
    Task<PendingConfirmation?> FindAsync(string token, CancellationToken cancellationToken);

    /// <summary>Removes the entry; true only for the one call that removed it.</summary>
    Task<bool> TryRemoveAsync(string token, CancellationToken cancellationToken);
}
