namespace ChatOpsBot.Cards;

// What the non-analysis cards show. The command layer maps its own types (storage rows, role grants) to these, so
// Cards never references the host. Every string here may come from a user or storage and is escaped when rendered.

/// <summary>One command as help, usage and welcome cards show it.</summary>
/// <param name="Name">What the user types, e.g. <c>vip check</c>.</param>
/// <param name="Usage">The grammar, e.g. <c>vip check &lt;display name&gt; &lt;address&gt;</c>.</param>
/// <param name="Summary">One sentence: what it does.</param>
/// <param name="Examples">Complete commands a user can copy.</param>
public sealed record CommandHelp(string Name, string Usage, string Summary, IReadOnlyList<string> Examples);

/// <summary>One audit-trail entry as the <c>audit-log</c> card shows it (arguments already redacted).</summary>
public sealed record AuditLogRow(
    DateTimeOffset Timestamp,
    string ActorId,
    string? ActorName,
    string Channel,
    string Command,
    string Arguments,
    string Outcome,
    TimeSpan Duration,
    string CorrelationId);

/// <summary>One protected person on the VIP list.</summary>
public sealed record VipRow(string DisplayName, string Email, string? AddedBy, DateTimeOffset? AddedAt);

/// <summary>Who is asking, for the <c>whoami</c> card.</summary>
/// <param name="Id">The stable id roles are granted to (Entra object id, Slack user id).</param>
/// <param name="Commands">The commands these roles allow.</param>
public sealed record CallerInfo(string Id, string? DisplayName, string Channel, IReadOnlyList<string> Roles, IReadOnlyList<string> Commands);

/// <summary>A response action waiting for the caller's confirmation.</summary>
/// <param name="Command">The pending command, as the Confirm button sends it back (<c>action</c>).</param>
/// <param name="Title">Short name of the action, e.g. "Block sender".</param>
/// <param name="WhatWillHappen">One or two sentences: the effect, in the user's terms.</param>
/// <param name="Token">Opaque id of the pending action (both buttons send it).</param>
public sealed record PendingAction(string Command, string Title, string WhatWillHappen, string Token)
{
    /// <summary>Label/value lines (target, scope, duration); values are escaped.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Details { get; init; } = [];

    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>The tone of a <see cref="Builders.NoticeCard"/>.</summary>
public enum NoticeStyle
{
    Info,
    Success,
    Warning,
    Error,
}
