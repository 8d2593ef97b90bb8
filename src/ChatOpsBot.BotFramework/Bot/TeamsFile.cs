using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Bot;

/// <summary>
/// A file a user sent the bot in personal chat: the attachment's name and its download info. The name and the URL
/// are attacker-controlled; download through the Teams file downloader, which vets the URL.
/// </summary>
public sealed record TeamsFile(string? Name, FileDownloadInfo DownloadInfo)
{
    /// <summary>
    /// The file attachments of a personal-chat message; empty for other scopes (the Teams bot file API is personal
    /// only) and for inline images and the <c>text/html</c> rendering Teams adds.
    /// </summary>
    public static IReadOnlyList<TeamsFile> FromActivity(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (!activity.IsType(ActivityTypes.Message)
            || activity.Attachments is null
            || !string.Equals(activity.Conversation?.ConversationType, ConversationTypes.Personal, StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        List<TeamsFile> files = [];
        foreach (Attachment attachment in activity.Attachments)
        {
            if (attachment is not null && FileDownloadInfo.FromAttachment(attachment) is { } info)
            {
                files.Add(new TeamsFile(attachment.Name, info));
            }
        }

        return files;
    }
}
