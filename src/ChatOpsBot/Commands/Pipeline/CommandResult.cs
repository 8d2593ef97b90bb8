using ChatOpsBot.Cards.Model;
using ChatOpsBot.Storage;

namespace ChatOpsBot.Commands.Pipeline;

/// <summary>What a command answers: one card, the audit outcome, and whether only the caller should see it.</summary>
public sealed record CommandResult(AdaptiveCard Card, AuditOutcome Outcome = AuditOutcome.Succeeded, bool Private = false)
{
    public static CommandResult Success(AdaptiveCard card) => new(card);

    /// <summary>The input was not what the command needs (not mail, no records in the period); nothing failed.</summary>
    public static CommandResult Unusable(AdaptiveCard card) => new(card, AuditOutcome.Usage);
}
