using ChatOpsBot.Alerts;
using ChatOpsBot.Commands.Pipeline;

namespace ChatOpsBot.Commands.Subscriptions;

/// <summary>The one optional word of <c>subscribe</c> / <c>unsubscribe</c>: an alert kind.</summary>
internal static class SubscriptionArguments
{
    public const string Kind = "kind";

    public static string KindList => string.Join("|", AlertKinds.Subscribable);

    public static ArgumentBinding Bind(CommandInput input, string commandName)
    {
        ArgumentNullException.ThrowIfNull(input);
        string? value = input.IsCardAction ? Arguments.Card(input, Kind) : input.Words.Count > 0 ? input.Words[0] : null;
        if (!input.IsCardAction && input.Words.Count > 1)
        {
            return ArgumentBinding.Fail($"{commandName} takes at most one argument, the alert kind ({KindList}).");
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return ArgumentBinding.Ok(Arguments.Empty);
        }

        string? kind = AlertKinds.Subscribable.FirstOrDefault(k => string.Equals(k, value.Trim(), StringComparison.OrdinalIgnoreCase));
        return kind is not null
            ? ArgumentBinding.Ok(new Dictionary<string, string> { [Kind] = kind })
            : ArgumentBinding.Fail($"The alert kind must be one of {KindList}.");
    }
}
