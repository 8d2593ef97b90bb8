using System.Globalization;
using System.Text.Json.Nodes;

namespace ChatOpsBot.Tests.Teams.Support;

/// <summary>A Teams user as the activities name them: an MRI for <c>from.id</c>, the Entra object id roles are granted to.</summary>
internal sealed record TeamsUser(string Mri, string Name, string? AadObjectId);

/// <summary>
/// Inbound Teams activities in the shapes of the reference samples (personal message, channel mention,
/// installationUpdate, conversationUpdate, Action.Submit, Action.Execute invoke, file download info), addressed to a
/// given service URL.
/// </summary>
internal sealed class TeamsActivities(string serviceUrl)
{
    public const string TenantId = "8f6ab2b4-3c1e-4d7a-9b0e-5a2c1d3e4f60";
    public const string BotId = "28:3f2a9c1e-7b4d-4e6a-8c0f-1d2e3a4b5c6d";
    public const string BotName = "ChatOpsBot";
    public const string PersonalConversation = "a:1test-personal-conversation";
    public const string ChannelConversation = "19:7c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f@thread.tacv2;messageid=1759881511856";

    public static readonly TeamsUser Analyst = new("29:1analyst-mri", "Ana Lyst", "4b1f7c2e-9d3a-4e8b-a6f0-2c5d8e1b7a93");
    public static readonly TeamsUser Reader = new("29:1reader-mri", "Rita Reader", "0d6e8f2a-1b3c-4d5e-8f7a-9b0c1d2e3f4a");

    private static int s_nextId = 1_777_000_000;

    public string ServiceUrl { get; } = serviceUrl;

    public static string NextId() => Interlocked.Increment(ref s_nextId).ToString(CultureInfo.InvariantCulture);

    public JsonObject Message(string text, TeamsUser? from = null, string conversation = PersonalConversation, string conversationType = "personal")
    {
        JsonObject activity = Base("message", from ?? Analyst, conversation, conversationType);
        activity["text"] = text;
        activity["textFormat"] = "plain";
        return activity;
    }

    /// <summary>A channel message that @mentions the bot, as Teams delivers it (the only way a channel message reaches a bot).</summary>
    public JsonObject ChannelMention(string text, TeamsUser? from = null)
    {
        JsonObject activity = Message($"<at>{BotName}</at> {text}", from, ChannelConversation, "channel");
        activity["conversation"]!["isGroup"] = true;
        activity["entities"] = new JsonArray(new JsonObject
        {
            ["type"] = "mention",
            ["text"] = $"<at>{BotName}</at>",
            ["mentioned"] = new JsonObject { ["id"] = BotId, ["name"] = BotName },
        });
        return activity;
    }

    /// <summary>A personal-chat message carrying one file (the <c>file.download.info</c> attachment Teams sends).</summary>
    public JsonObject FileMessage(string fileName, string downloadUrl, string text = "", TeamsUser? from = null)
    {
        JsonObject activity = Message(text, from);
        activity["attachments"] = new JsonArray(
            new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.teams.file.download.info",
                ["contentUrl"] = "https://contoso-my.sharepoint.com/personal/ana/Documents/Microsoft%20Teams%20Chat%20Files/" + fileName,
                ["name"] = fileName,
                ["content"] = new JsonObject
                {
                    ["downloadUrl"] = downloadUrl,
                    ["uniqueId"] = "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
                    ["fileType"] = Path.GetExtension(fileName).TrimStart('.'),
                    ["etag"] = "123",
                },
            },
            new JsonObject { ["contentType"] = "text/html", ["content"] = "<div></div>" });
        return activity;
    }

    /// <summary>An Action.Submit click: a message with no text, the button's data as <c>value</c>, the card's id as <c>replyToId</c>.</summary>
    public JsonObject Submit(JsonObject value, string? cardId, TeamsUser? from = null, string conversation = PersonalConversation)
    {
        JsonObject activity = Base("message", from ?? Analyst, conversation, "personal");
        activity["text"] = string.Empty;
        activity["value"] = value;
        if (cardId is not null)
        {
            activity["replyToId"] = cardId;
        }

        return activity;
    }

    /// <summary>An Action.Execute click: an <c>adaptiveCard/action</c> invoke (real Teams shape).</summary>
    public JsonObject Execute(string verb, JsonObject data, string? cardId, TeamsUser? from = null)
    {
        JsonObject activity = Base("invoke", from ?? Analyst, PersonalConversation, "personal");
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["title"] = verb, ["verb"] = verb, ["data"] = data },
            ["trigger"] = "manual",
        };
        if (cardId is not null)
        {
            activity["replyToId"] = cardId;
        }

        return activity;
    }

    public JsonObject InstallationUpdate(string conversation = PersonalConversation, TeamsUser? from = null)
    {
        JsonObject activity = Base("installationUpdate", from ?? Analyst, conversation, "personal");
        activity["action"] = "add";
        return activity;
    }

    public JsonObject BotAddedConversationUpdate(string conversation = PersonalConversation, TeamsUser? from = null)
    {
        TeamsUser user = from ?? Analyst;
        JsonObject activity = Base("conversationUpdate", user, conversation, "personal");
        activity["membersAdded"] = new JsonArray(
            new JsonObject { ["id"] = user.Mri, ["aadObjectId"] = user.AadObjectId },
            new JsonObject { ["id"] = BotId });
        return activity;
    }

    private JsonObject Base(string type, TeamsUser from, string conversation, string conversationType)
    {
        var sender = new JsonObject { ["id"] = from.Mri, ["name"] = from.Name };
        if (from.AadObjectId is not null)
        {
            sender["aadObjectId"] = from.AadObjectId;
        }

        return new JsonObject
        {
            ["type"] = type,
            ["id"] = NextId(),
            ["timestamp"] = "2026-05-11T16:05:00.000Z",
            ["serviceUrl"] = ServiceUrl,
            ["channelId"] = "msteams",
            ["from"] = sender,
            ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = BotName },
            ["conversation"] = new JsonObject { ["id"] = conversation, ["conversationType"] = conversationType, ["tenantId"] = TenantId },
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } },
            ["locale"] = "en-US",
        };
    }
}
