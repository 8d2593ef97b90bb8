using System.Globalization;
using System.Text.Json;
using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.Cards;
using ChatOpsBot.Commands;

namespace ChatOpsBot.Teams;

/// <summary>
/// Translates a Teams turn into the channel-neutral <see cref="ChatRequest"/>. Everything read here is sender-supplied
/// (and, in anonymous local mode, unauthenticated): ids are bounded and checked, never trusted for more than the role
/// lookup the command layer does with the Entra object id.
/// </summary>
internal static class TeamsRequests
{
    /// <summary>Longest user id or correlation id taken from an activity; longer ones are treated as absent.</summary>
    public const int MaxIdChars = 128;

    /// <summary>Card data keys Teams itself reads (messageBack and friends), never arguments.</summary>
    private const string TeamsReservedKey = "msteams";

    public static ChatRequest Message(ITurnContext turnContext, IReadOnlyList<InboundFile> files)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(files);
        Activity activity = turnContext.Activity;
        return new ChatRequest(
            ChatChannels.Teams,
            Actor(activity.From),
            Conversation(activity),
            TeamsMessageText.Of(turnContext),
            files,
            Action: null,
            CorrelationId(activity));
    }

    public static ChatRequest CardAction(ITurnContext turnContext, CardAction action)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(action);
        Activity activity = turnContext.Activity;
        return new ChatRequest(
            ChatChannels.Teams,
            Actor(action.Actor ?? activity.From),
            Conversation(activity),
            string.Empty,
            [],
            new ChatCardAction(action.Verb?.Trim() ?? string.Empty, Arguments(action.Data), BoundedId(action.CardActivityId)),
            CorrelationId(activity));
    }

    /// <summary>
    /// The user: roles are granted to the Entra object id (<c>aadObjectId</c>), never to <c>from.id</c> or the name. A
    /// sender without a usable object id gets an empty id, which the command layer treats as an unknown reader.
    /// </summary>
    public static ChatActor Actor(ChannelAccount? from)
    {
        string id = BoundedId(from?.AadObjectId) ?? string.Empty;
        return new ChatActor(id, string.IsNullOrWhiteSpace(from?.Name) ? null : from.Name);
    }

    public static ChatConversation Conversation(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        string id = activity.Conversation?.Id ?? string.Empty;
        return new ChatConversation(id, KindOf(activity.Conversation));
    }

    public static ConversationKind KindOf(ConversationAccount? conversation) => conversation?.ConversationType switch
    {
        { } type when type.Equals(ConversationTypes.Personal, StringComparison.OrdinalIgnoreCase) => ConversationKind.Personal,
        { } type when type.Equals(ConversationTypes.Channel, StringComparison.OrdinalIgnoreCase) => ConversationKind.Channel,
        { } type when type.Equals(ConversationTypes.GroupChat, StringComparison.OrdinalIgnoreCase) => ConversationKind.Group,
        // Unknown or missing type: a group flag means others read the answers, so never treat it as private.
        _ => conversation?.IsGroup == true ? ConversationKind.Group : ConversationKind.Personal,
    };

    /// <summary>The activity id when it is a plain, short id (Teams and Playground ids are); otherwise a fresh one.</summary>
    public static string CorrelationId(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return BoundedId(activity.Id) is { } id && id.All(IsIdCharacter)
            ? id
            : "teams-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Card data as the command layer's arguments: every member but <c>verb</c> and <c>msteams</c>, strings as they are,
    /// numbers and booleans as their JSON text (inputs arrive as strings; hand-made data may not). Objects, arrays and
    /// nulls carry nothing a command reads and are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Arguments(JsonElement data)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        if (data.ValueKind != JsonValueKind.Object)
        {
            return args;
        }

        foreach (JsonProperty property in data.EnumerateObject())
        {
            if (property.Name == CardActions.VerbKey || string.Equals(property.Name, TeamsReservedKey, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string? value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                _ => null,
            };
            if (value is not null)
            {
                args[property.Name] = value;
            }
        }

        return args;
    }

    private static string? BoundedId(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        string trimmed = id.Trim();
        return trimmed.Length <= MaxIdChars && !trimmed.Any(char.IsControl) ? trimmed : null;
    }

    private static bool IsIdCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':';
}
