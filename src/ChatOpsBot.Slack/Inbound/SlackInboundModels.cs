namespace ChatOpsBot.Slack.Inbound;

/// <summary>
/// A Slack file object (Events API <c>files[]</c>, <c>files.info</c>). Every string is the sender's or Slack's and
/// untrusted; <see cref="UrlPrivateDownload"/> is fetched only from allowed Slack hosts, with the bot token.
/// </summary>
/// <param name="Mode"><c>hosted</c> (an upload), <c>email</c> (Slack's email forward), <c>external</c>, <c>snippet</c>, ...</param>
/// <param name="FileAccess"><c>check_file_info</c> on Slack Connect files that come without URLs: call <c>files.info</c>.</param>
public sealed record SlackFile(
    string Id,
    string? Name,
    string? Title,
    string? MimeType,
    string? FileType,
    string? Mode,
    long? Size,
    string? UrlPrivate,
    string? UrlPrivateDownload,
    string? FileAccess)
{
    public const string EmailMode = "email";

    /// <summary>Set for <see cref="EmailMode"/> files: what Slack kept of the forwarded message.</summary>
    public SlackEmailDetails? Email { get; init; }

    public bool IsEmailForward => string.Equals(Mode, EmailMode, StringComparison.Ordinal);

    /// <summary>A Slack Connect or foreign file whose details (and URLs) need <c>files.info</c>.</summary>
    public bool NeedsFileInfo => UrlPrivateDownload is null && UrlPrivate is null;
}

/// <summary>One address of a forwarded email as Slack parsed it.</summary>
public sealed record SlackEmailAddress(string? Name, string? Address, string? Original);

/// <summary>
/// The fields Slack keeps on an email forward (<c>mode: email</c>): the parsed addresses, a few headers and the text.
/// The raw message (Received, Authentication-Results) is not available through the API.
/// </summary>
public sealed record SlackEmailDetails(
    string? Subject,
    IReadOnlyList<SlackEmailAddress> From,
    IReadOnlyList<SlackEmailAddress> To,
    IReadOnlyList<SlackEmailAddress> Cc,
    IReadOnlyDictionary<string, string> Headers,
    string? PlainText,
    int? OriginalAttachmentCount);

/// <summary>An inbound event the bot acts on.</summary>
public abstract record SlackInboundEvent(string EventId, string? TeamId);

/// <summary>
/// A user's direct message to the bot (<c>message.im</c>, also with <c>subtype: file_share</c>) or a mention of the bot
/// in a channel (<c>app_mention</c>).
/// </summary>
/// <param name="Text">The text with the bot's own mention removed and Slack's markup decoded (<see cref="SlackMessageText"/>).</param>
/// <param name="ChannelType"><c>im</c> for a direct message; <c>channel</c>, <c>group</c>, <c>mpim</c> or null otherwise.</param>
/// <param name="Ts">The message's timestamp id.</param>
/// <param name="ThreadTs">Set when the message is in a thread; replies go there.</param>
public sealed record SlackMessageEvent(
    string EventId,
    string? TeamId,
    string UserId,
    string ChannelId,
    string? ChannelType,
    string Text,
    string? Ts,
    string? ThreadTs,
    IReadOnlyList<SlackFile> Files,
    bool IsAppMention) : SlackInboundEvent(EventId, TeamId)
{
    public bool IsDirectMessage => string.Equals(ChannelType, "im", StringComparison.Ordinal);
}

/// <summary>A file shared in a channel the bot is in (<c>file_shared</c>): only ids; the details need <c>files.info</c>.</summary>
public sealed record SlackFileSharedEvent(string EventId, string? TeamId, string FileId, string UserId, string ChannelId) : SlackInboundEvent(EventId, TeamId);

/// <summary>A slash command (<c>/chatops ...</c>), form fields as Slack sends them.</summary>
/// <param name="Text">The text after the command, Slack's markup decoded.</param>
/// <param name="ResponseUrl">Where delayed answers go (up to five within 30 minutes); an absolute http(s) URL; the response client also checks its host.</param>
public sealed record SlackSlashCommand(
    string Command,
    string Text,
    string UserId,
    string? UserName,
    string ChannelId,
    string? ChannelName,
    string? TeamId,
    string? ResponseUrl,
    string? TriggerId);

/// <summary>One pressed element of a <c>block_actions</c> payload.</summary>
/// <param name="Value">The button's value: our buttons carry the card's submit data as JSON.</param>
public sealed record SlackAction(string ActionId, string? Value, string? ActionTs);

/// <summary>A <c>block_actions</c> interaction: buttons pressed on one of the bot's messages.</summary>
/// <param name="MessageTs">The message holding the buttons (<c>container.message_ts</c>): <c>chat.update</c> replaces it.</param>
/// <param name="IsEphemeral">An ephemeral message can only be replaced through <paramref name="ResponseUrl"/>.</param>
public sealed record SlackBlockActions(
    string UserId,
    string? UserName,
    string? TeamId,
    string? ChannelId,
    string? MessageTs,
    bool IsEphemeral,
    string? ResponseUrl,
    string? TriggerId,
    IReadOnlyList<SlackAction> Actions);
