namespace ChatOpsBot.BotFramework.Schema;

/// <summary>The values of <see cref="Activity.Type"/>. Compare with <see cref="StringComparison.OrdinalIgnoreCase"/>.</summary>
public static class ActivityTypes
{
    public const string Message = "message";
    public const string ContactRelationUpdate = "contactRelationUpdate";
    public const string ConversationUpdate = "conversationUpdate";
    public const string InstallationUpdate = "installationUpdate";
    public const string Typing = "typing";
    public const string EndOfConversation = "endOfConversation";
    public const string Event = "event";
    public const string Invoke = "invoke";
    public const string InvokeResponse = "invokeResponse";
    public const string DeleteUserData = "deleteUserData";
    public const string MessageUpdate = "messageUpdate";
    public const string MessageDelete = "messageDelete";
    public const string MessageReaction = "messageReaction";
    public const string Suggestion = "suggestion";
    public const string Trace = "trace";
    public const string Handoff = "handoff";
    public const string Command = "command";
    public const string CommandResult = "commandResult";
}

/// <summary>Values of <see cref="Activity.TextFormat"/>.</summary>
public static class TextFormatTypes
{
    public const string Plain = "plain";
    public const string Markdown = "markdown";
    public const string Xml = "xml";
}

/// <summary>Values of <see cref="Activity.InputHint"/>.</summary>
public static class InputHints
{
    public const string AcceptingInput = "acceptingInput";
    public const string IgnoringInput = "ignoringInput";
    public const string ExpectingInput = "expectingInput";
}

/// <summary>Values of <see cref="Activity.AttachmentLayout"/>.</summary>
public static class AttachmentLayoutTypes
{
    public const string List = "list";
    public const string Carousel = "carousel";
}

/// <summary>Values of <see cref="ConversationAccount.ConversationType"/> in Teams.</summary>
public static class ConversationTypes
{
    public const string Personal = "personal";
    public const string Channel = "channel";
    public const string GroupChat = "groupChat";
}

/// <summary>Values of <see cref="Activity.Action"/> on <c>installationUpdate</c>.</summary>
public static class InstallationUpdateActions
{
    public const string Add = "add";
    public const string Remove = "remove";
    public const string AddUpgrade = "add-upgrade";
    public const string RemoveUpgrade = "remove-upgrade";
}

/// <summary>Values of <see cref="Activity.ChannelId"/> this library knows.</summary>
public static class Channels
{
    public const string MsTeams = "msteams";
    public const string Emulator = "emulator";
    public const string Test = "test";
}

/// <summary>Values of <see cref="Activity.Name"/> for the invokes and events the bot handles.</summary>
public static class ActivityNames
{
    public const string AdaptiveCardAction = "adaptiveCard/action";
    public const string FileConsent = "fileConsent/invoke";
    public const string ContinueConversation = "ContinueConversation";
}
