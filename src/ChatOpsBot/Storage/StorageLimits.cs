namespace ChatOpsBot.Storage;

/// <summary>
/// Explicit bounds on what the stores accept. Audit fields over their bound are truncated (an audit entry must never
/// be lost to a long argument); fields that other code parses back (conversation references, VIP addresses) are
/// refused with an <see cref="ArgumentException"/> instead, because a truncated reference is a corrupt one.
/// Lengths count UTF-16 code units.
/// </summary>
public static class StorageLimits
{
    public const int AuditActorIdMaxLength = 256;
    public const int AuditActorNameMaxLength = 256;
    public const int AuditChannelMaxLength = 64;
    public const int AuditConversationIdMaxLength = 1024;
    public const int AuditCommandMaxLength = 256;
    public const int AuditArgumentsMaxLength = 4096;
    public const int AuditCorrelationIdMaxLength = 128;

    /// <summary>The most entries <see cref="IAuditLog.LatestAsync"/> returns, whatever count is asked for.</summary>
    public const int AuditLatestMaxCount = 1000;

    public const int VipDisplayNameMaxLength = 256;

    /// <summary>RFC 5321 limits a forward path to 256 octets including the angle brackets.</summary>
    public const int VipEmailMaxLength = 254;

    public const int VipAddedByMaxLength = 256;

    /// <summary>The most VIP entries read from configuration for seeding.</summary>
    public const int VipSeedMaxCount = 10_000;

    public const int ConversationChannelIdMaxLength = 64;
    public const int ConversationIdMaxLength = 1024;
    public const int ConversationServiceUrlMaxLength = 2048;
    public const int ConversationTenantIdMaxLength = 128;
    public const int ConversationScopeMaxLength = 64;
    public const int ConversationReferenceMaxLength = 32 * 1024;

    public const int DeduplicationSourceMaxLength = 64;

    /// <summary>Longer delivery ids (and cache keys) are stored as their SHA-256, so storage stays bounded while equality is kept.</summary>
    public const int StoredKeyMaxLength = 256;

    public const int ReputationValueMaxLength = 1024 * 1024;
}
