namespace ChatOpsBot.Storage;

public enum AuditOutcome
{
    Succeeded,
    Failed,
    Denied,
    Usage,
    Busy,
}

/// <summary>One command or card action, as the audit trail keeps it. Arguments are already redacted.</summary>
public sealed record AuditEntry(
    DateTimeOffset Timestamp,
    string ActorId,
    string? ActorName,
    string Channel,
    string ConversationId,
    string Command,
    string Arguments,
    AuditOutcome Outcome,
    TimeSpan Duration,
    string CorrelationId);

/// <summary>Append-only audit trail of every command and card action.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="count"/> entries, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> LatestAsync(int count, CancellationToken cancellationToken);
}
