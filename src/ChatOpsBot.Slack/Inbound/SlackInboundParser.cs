using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace ChatOpsBot.Slack.Inbound;

/// <summary>What an Events API body asks for.</summary>
public abstract record SlackEventsPayload;

/// <summary><c>url_verification</c>: answer with the challenge.</summary>
public sealed record SlackUrlVerification(string Challenge) : SlackEventsPayload;

/// <summary>
/// An <c>event_callback</c>. <see cref="Event"/> is null when the bot does not act on it (its own or another bot's
/// message, an edit, an event it did not subscribe to); <see cref="IgnoredBecause"/> says why, for the log.
/// </summary>
public sealed record SlackEventCallback(string EventId, string? TeamId, string EventType, SlackInboundEvent? Event, string? IgnoredBecause) : SlackEventsPayload;

/// <summary>A body that is JSON but no payload we handle (<c>app_rate_limited</c>, a malformed callback).</summary>
public sealed record SlackUnsupportedPayload(string Description) : SlackEventsPayload;

/// <summary>
/// Parses verified Slack bodies. Never throws on content: malformed input is null or
/// <see cref="SlackUnsupportedPayload"/>. Every field is bounded (<see cref="SlackJson"/>).
/// </summary>
public static class SlackInboundParser
{
    private const int MaxFilesPerMessage = 20;
    private const int MaxActions = 10;
    private const int MaxChallengeChars = 200;

    /// <summary>Events API JSON; null when the body is not a JSON object.</summary>
    public static SlackEventsPayload? ParseEvents(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), SlackJson.DocumentOptions);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? type = SlackJson.Id(root, "type");
            if (type == "url_verification")
            {
                return SlackJson.String(root, "challenge", MaxChallengeChars) is { Length: > 0 } challenge
                    ? new SlackUrlVerification(challenge)
                    : new SlackUnsupportedPayload("url_verification without a challenge");
            }

            if (type != "event_callback")
            {
                return new SlackUnsupportedPayload($"payload type {type ?? "(none)"}");
            }

            string? eventId = SlackJson.Id(root, "event_id");
            JsonElement ev = SlackJson.Object(root, "event");
            if (eventId is null || ev.ValueKind != JsonValueKind.Object)
            {
                return new SlackUnsupportedPayload("event_callback without an event id or event");
            }

            return Callback(root, ev, eventId);
        }
    }

    /// <summary>A slash command's form body; null when a required field is missing or given twice.</summary>
    public static SlackSlashCommand? ParseSlashCommand(ReadOnlySpan<byte> body)
    {
        Dictionary<string, StringValues> form = Form(body);
        string? command = Single(form, "command", SlackJson.MaxIdChars);
        string? userId = SlackJson.IdOrNull(Single(form, "user_id", SlackJson.MaxIdChars));
        string? channelId = SlackJson.IdOrNull(Single(form, "channel_id", SlackJson.MaxIdChars));
        if (command is null || userId is null || channelId is null)
        {
            return null;
        }

        return new SlackSlashCommand(
            command,
            SlackMessageText.ToCommandText(Single(form, "text", SlackMessageText.MaxChars), []),
            userId,
            Single(form, "user_name", SlackJson.MaxNameChars),
            channelId,
            Single(form, "channel_name", SlackJson.MaxNameChars),
            SlackJson.IdOrNull(Single(form, "team_id", SlackJson.MaxIdChars)),
            AbsoluteWebUrl(Single(form, "response_url", SlackJson.MaxUrlChars)),
            SlackJson.IdOrNull(Single(form, "trigger_id", SlackJson.MaxIdChars)));
    }

    /// <summary>
    /// The <c>payload</c> of an interactivity form body when it is a <c>block_actions</c> with at least one action;
    /// null otherwise (other interaction types, malformed JSON).
    /// </summary>
    public static SlackBlockActions? ParseBlockActions(ReadOnlySpan<byte> body)
    {
        string? payload = Single(Form(body), "payload", int.MaxValue);
        if (payload is null)
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, SlackJson.DocumentOptions);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || SlackJson.Id(root, "type") != "block_actions")
            {
                return null;
            }

            JsonElement user = SlackJson.Object(root, "user");
            string? userId = SlackJson.Id(user, "id");
            List<SlackAction> actions =
            [
                .. SlackJson.Array(root, "actions", MaxActions)
                    .Select(a => SlackJson.String(a, "action_id", 255) is { Length: > 0 } actionId
                        ? new SlackAction(actionId, SlackJson.String(a, "value", 2000), SlackJson.Id(a, "action_ts"))
                        : null)
                    .OfType<SlackAction>(),
            ];
            if (userId is null || actions.Count == 0)
            {
                return null;
            }

            JsonElement container = SlackJson.Object(root, "container");
            JsonElement channel = SlackJson.Object(root, "channel");
            return new SlackBlockActions(
                userId,
                SlackJson.String(user, "username", SlackJson.MaxNameChars) ?? SlackJson.String(user, "name", SlackJson.MaxNameChars),
                SlackJson.Id(SlackJson.Object(root, "team"), "id") ?? SlackJson.Id(user, "team_id"),
                SlackJson.Id(container, "channel_id") ?? SlackJson.Id(channel, "id"),
                SlackJson.Id(container, "message_ts"),
                SlackJson.Bool(container, "is_ephemeral"),
                AbsoluteWebUrl(SlackJson.String(root, "response_url", SlackJson.MaxUrlChars)),
                SlackJson.Id(root, "trigger_id"),
                actions);
        }
    }

    private static SlackEventCallback Callback(JsonElement root, JsonElement ev, string eventId)
    {
        string? teamId = SlackJson.Id(root, "team_id");
        string type = SlackJson.Id(ev, "type") ?? "(none)";
        HashSet<string> botUserIds = BotUserIds(root);
        SlackEventCallback Ignore(string reason) => new(eventId, teamId, type, null, reason);

        switch (type)
        {
            case "message":
            case "app_mention":
                if (SlackJson.String(ev, "bot_id", SlackJson.MaxNameChars) is not null)
                {
                    return Ignore("a bot's message");
                }

                string? subtype = SlackJson.String(ev, "subtype", SlackJson.MaxIdChars);
                if (subtype is not null && subtype != "file_share")
                {
                    return Ignore($"message subtype {subtype}");
                }

                if (SlackJson.Bool(ev, "hidden"))
                {
                    return Ignore("a hidden message");
                }

                string? userId = SlackJson.Id(ev, "user");
                string? channelId = SlackJson.Id(ev, "channel");
                if (userId is null || channelId is null)
                {
                    return Ignore("a message without a user or channel");
                }

                if (botUserIds.Contains(userId))
                {
                    return Ignore("the bot's own message");
                }

                string? channelType = SlackJson.Id(ev, "channel_type");
                bool mention = type == "app_mention";
                if (!mention && channelType != "im")
                {
                    // Channel messages reach the bot as app_mention; handling message.channels too would answer twice.
                    return Ignore($"a message in a {channelType ?? "non-direct"} conversation without a mention");
                }

                List<SlackFile> files = [.. SlackJson.Array(ev, "files", MaxFilesPerMessage).Select(SlackJson.File).OfType<SlackFile>()];
                string text = SlackMessageText.ToCommandText(SlackJson.Text(ev, "text", SlackMessageText.MaxChars), botUserIds);
                return new SlackEventCallback(eventId, teamId, type, new SlackMessageEvent(
                    eventId, teamId, userId, channelId, channelType, text, SlackJson.Id(ev, "ts"), SlackJson.Id(ev, "thread_ts"), files, mention), null);

            case "file_shared":
                string? fileId = SlackJson.Id(ev, "file_id") ?? SlackJson.Id(SlackJson.Object(ev, "file"), "id");
                string? sharer = SlackJson.Id(ev, "user_id");
                string? sharedIn = SlackJson.Id(ev, "channel_id");
                if (fileId is null || sharer is null || sharedIn is null)
                {
                    return Ignore("file_shared without a file, user or channel");
                }

                return botUserIds.Contains(sharer)
                    ? Ignore("a file the bot shared")
                    : new SlackEventCallback(eventId, teamId, type, new SlackFileSharedEvent(eventId, teamId, fileId, sharer, sharedIn), null);

            default:
                return Ignore($"event type {type}");
        }
    }

    /// <summary>The bot's own user ids for this delivery (<c>authorizations[].user_id</c> of the bot, legacy <c>authed_users</c>).</summary>
    private static HashSet<string> BotUserIds(JsonElement root)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement authorization in SlackJson.Array(root, "authorizations", 10))
        {
            if (SlackJson.Bool(authorization, "is_bot") && SlackJson.Id(authorization, "user_id") is { } id)
            {
                ids.Add(id);
            }
        }

        foreach (JsonElement user in SlackJson.Array(root, "authed_users", 10))
        {
            if (user.ValueKind == JsonValueKind.String && user.GetString() is { Length: > 0 and <= SlackJson.MaxIdChars } id)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private static Dictionary<string, StringValues> Form(ReadOnlySpan<byte> body)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return [];
        }

        return QueryHelpers.ParseQuery(text);
    }

    private static string? Single(Dictionary<string, StringValues> form, string name, int maxChars) =>
        form.TryGetValue(name, out StringValues values) && values.Count == 1 && values[0] is { } value && value.Length <= maxChars ? value : null;

    private static string? AbsoluteWebUrl(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? url : null;
}
