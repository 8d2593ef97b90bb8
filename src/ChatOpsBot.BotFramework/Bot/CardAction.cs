using System.Text.Json;
using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Bot;

/// <summary>
/// A click on an Adaptive Card button, whichever way it arrived: Action.Submit (a <c>message</c> with
/// <c>value</c> and no text; <see cref="Verb"/> is the data's <c>verb</c> member, by this project's convention) or
/// Action.Execute (an <c>invoke</c> named <c>adaptiveCard/action</c>; <see cref="Verb"/> is the action's verb).
/// <see cref="Data"/> is the submitted data merged with the card's inputs (which arrive as strings) and is as untrusted
/// as typed text. <see cref="CardActivityId"/> is the card's message id, to update or delete it.
/// </summary>
public sealed record CardAction(
    string? Verb,
    JsonElement Data,
    bool IsInvoke,
    ChannelAccount? Actor,
    string? CardActivityId)
{
    /// <summary>The conventional member of Action.Submit data that names what the button does.</summary>
    public const string VerbMember = "verb";

    /// <summary>Reads an Action.Submit message; null when it is not one (text present, or no object value).</summary>
    public static CardAction? FromSubmit(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (!activity.IsType(ActivityTypes.Message)
            || !string.IsNullOrWhiteSpace(activity.Text)
            || activity.Value is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }

        string? verb = value.TryGetProperty(VerbMember, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new CardAction(verb, value.Clone(), IsInvoke: false, activity.From, activity.ReplyToId);
    }

    /// <summary>Reads an Action.Execute invoke (<c>value.action</c> of type Action.Execute); null when malformed.</summary>
    public static CardAction? FromExecute(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (!activity.IsType(ActivityTypes.Invoke)
            || activity.Name != ActivityNames.AdaptiveCardAction
            || activity.Value is not { ValueKind: JsonValueKind.Object } value
            || !value.TryGetProperty("action", out JsonElement action)
            || action.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (action.TryGetProperty("type", out JsonElement type)
            && (type.ValueKind != JsonValueKind.String || type.GetString() != "Action.Execute"))
        {
            return null;
        }

        string? verb = action.TryGetProperty("verb", out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        JsonElement data = action.TryGetProperty("data", out JsonElement d) ? d.Clone() : JsonSerializer.SerializeToElement(new { });
        return new CardAction(verb, data, IsInvoke: true, activity.From, activity.ReplyToId);
    }
}
