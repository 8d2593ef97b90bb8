using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards;

/// <summary>
/// The one way our cards make buttons. Every button is an <see cref="AdaptiveSubmitAction"/> whose <c>data</c> is
/// <c>{"verb": "&lt;command name&gt;", "&lt;arg&gt;": "&lt;string&gt;", ...}</c>, so the command layer reads every
/// button press like a typed command (see README.md).
/// </summary>
public static class CardActions
{
    /// <summary>The data key naming the command a button runs.</summary>
    public const string VerbKey = "verb";

    /// <summary>Confirmation buttons: the command the Confirm button runs.</summary>
    public const string ConfirmVerb = "confirm";

    public const string CancelVerb = "cancel";

    /// <summary>Data key of the pending command on a Confirm button.</summary>
    public const string ActionKey = "action";

    /// <summary>Data key of the opaque pending-action id on Confirm and Cancel buttons.</summary>
    public const string TokenKey = "token";

    // Teams reads "msteams" inside Action.Submit data as its own (messageBack, imBack); an argument must not set it.
    private const string TeamsReservedKey = "msteams";

    /// <summary>A button that runs <paramref name="verb"/> with <paramref name="args"/> (string values only).</summary>
    /// <exception cref="ArgumentException">The verb is blank, or an argument is named <c>verb</c> or <c>msteams</c>.</exception>
    public static AdaptiveSubmitAction Submit(
        string title,
        string verb,
        IEnumerable<KeyValuePair<string, string>>? args = null,
        AdaptiveActionStyle style = AdaptiveActionStyle.Default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(verb);
        var data = new Dictionary<string, string>(StringComparer.Ordinal) { [VerbKey] = verb };
        foreach ((string key, string value) in args ?? [])
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(key, nameof(args));
            ArgumentNullException.ThrowIfNull(value, nameof(args));
            if (key == VerbKey || string.Equals(key, TeamsReservedKey, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"A button argument cannot be named '{key}'.", nameof(args));
            }

            if (!data.TryAdd(key, value))
            {
                throw new ArgumentException($"Button argument '{key}' is given twice.", nameof(args));
            }
        }

        return new AdaptiveSubmitAction { Title = title, Data = data, Style = style };
    }

    /// <summary>Confirm button of a pending response action: <c>{"verb":"confirm","action":..,"token":..}</c>.</summary>
    public static AdaptiveSubmitAction Confirm(string title, string pendingCommand, string token) =>
        Submit(title, ConfirmVerb, [new(ActionKey, pendingCommand), new(TokenKey, token)], AdaptiveActionStyle.Positive);

    /// <summary>Cancel button of a pending response action: <c>{"verb":"cancel","token":..}</c>.</summary>
    public static AdaptiveSubmitAction Cancel(string title, string token) =>
        Submit(title, CancelVerb, [new(TokenKey, token)]);

    /// <summary>A client-side button that toggles the elements with these ids (expandable sections).</summary>
    public static AdaptiveToggleVisibilityAction Toggle(string title, params string[] elementIds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(elementIds);
        return new AdaptiveToggleVisibilityAction
        {
            Title = title,
            TargetElements = [.. elementIds.Select(id => new AdaptiveTargetElement(id))],
        };
    }
}
