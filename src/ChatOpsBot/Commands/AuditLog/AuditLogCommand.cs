using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Storage;

namespace ChatOpsBot.Commands.AuditLog;

/// <summary><c>audit-log [n]</c>: the newest entries of the audit trail, for admins, answered privately.</summary>
internal sealed class AuditLogCommand(IAuditLog auditLog) : IChatCommand
{
    public const int DefaultCount = 10;

    /// <summary>Most entries one card shows (the audit-log card's own bound, which keeps it under the channels' size limit).</summary>
    public const int MaxCount = 20;

    /// <summary>Largest n accepted; anything from <see cref="MaxCount"/> up shows <see cref="MaxCount"/>.</summary>
    public const int MaxRequested = 100_000;

    private const string CountArgument = "n";

    public string Name => "audit-log";

    public Role RequiredRole => Role.Admin;

    public bool RepliesPrivately => true;

    public CommandHelp Help { get; } = new(
        "audit-log",
        $"audit-log [n] (at most {MaxCount} are shown)",
        "Shows the newest commands and button presses: who, where, what, outcome.",
        ["audit-log", "audit-log 50"]);

    public ArgumentBinding Bind(CommandInput input) => Arguments.OptionalInteger(input, Name, CountArgument, 1, MaxRequested);

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        int count = Math.Min(Arguments.Integer(context.Arguments, CountArgument) ?? DefaultCount, MaxCount);
        IReadOnlyList<AuditEntry> entries = await auditLog.LatestAsync(count, cancellationToken).ConfigureAwait(false);
        return new CommandResult(AuditLogCard.Build([.. entries.Select(ToRow)]), Private: true);
    }

    private static AuditLogRow ToRow(AuditEntry entry) => new(
        entry.Timestamp,
        entry.ActorId,
        entry.ActorName,
        entry.Channel,
        entry.Command,
        entry.Arguments,
        entry.Outcome.ToString(),
        entry.Duration,
        entry.CorrelationId);
}
