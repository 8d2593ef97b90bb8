namespace ChatOpsBot.Storage;

/// <summary>A protected person whose display name attackers impersonate.</summary>
public sealed record StoredVip(string DisplayName, string Email, string AddedBy, DateTimeOffset AddedAt);

/// <summary>The VIP list the impersonation checks use; seeded from configuration on first start.</summary>
public interface IVipStore
{
    Task<IReadOnlyList<StoredVip>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds a VIP; false when that address (compared case-insensitively) is already listed.</summary>
    Task<bool> AddAsync(StoredVip vip, CancellationToken cancellationToken);

    /// <summary>Removes a VIP by address (case-insensitive); false when it was not listed.</summary>
    Task<bool> RemoveAsync(string email, CancellationToken cancellationToken);
}
