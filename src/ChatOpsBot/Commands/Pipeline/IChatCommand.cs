using ChatOpsBot.Cards;
using ChatOpsBot.Commands.Authorization;

namespace ChatOpsBot.Commands.Pipeline;

/// <summary>
/// One chat command. The dispatcher resolves it by <see cref="Name"/>, checks <see cref="RequiredRole"/>, binds its
/// arguments with <see cref="Bind"/> (a problem becomes a usage card), audits it, and runs it; the command itself never
/// talks to the channel.
/// </summary>
public interface IChatCommand
{
    /// <summary>Lower case, one word or a group and a subcommand ("vip check"); also the card action verb.</summary>
    string Name { get; }

    Role RequiredRole { get; }

    CommandHelp Help { get; }

    /// <summary>A response action: runs only after its requester presses Confirm on a confirmation card.</summary>
    bool RequiresConfirmation => false;

    /// <summary>What the progress card says is being analysed ("Analyzing the forwarded message…").</summary>
    string ProgressSubject => "your request";

    /// <summary>The action's short name on the confirmation card and its Confirm button ("Remove VIP").</summary>
    string ConfirmationTitle => Name;

    /// <summary>The question on the confirmation card, e.g. "Remove jane@corp.com from the VIP list?".</summary>
    string ConfirmationPrompt(IReadOnlyDictionary<string, string> arguments) => $"Run {Name}?";

    /// <summary>
    /// A card-button command whose answer replaces the card whose button was pressed (the action's
    /// <see cref="ChatCardAction.CardMessageId"/>) instead of posting a new message: acknowledging an alert turns its
    /// card into the acknowledged variant in place. A private answer is still sent privately and leaves the card alone.
    /// </summary>
    bool UpdatesPressedCard => false;

    /// <summary>Answers only the caller (help, identity); such commands are quick and get no progress card.</summary>
    bool RepliesPrivately => false;

    /// <summary>Reads the arguments from typed words or a card action; returns a problem to show with the usage.</summary>
    ArgumentBinding Bind(CommandInput input);

    /// <summary>Runs the command. Throw <see cref="Analysis.Common.InvalidInputException"/> or
    /// <see cref="CommandInputException"/> for bad input: the caller sees its message; any other exception is logged and
    /// shown as an error card with the correlation id.</summary>
    Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken);
}
