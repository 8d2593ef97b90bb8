using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatOpsBot.BotFramework.Schema;

/// <summary>
/// The content of an <c>application/vnd.microsoft.teams.file.download.info</c> attachment: a file a user sent the bot
/// in personal chat. <see cref="DownloadUrl"/> is a short-lived pre-authenticated link (a credential: never log it
/// with its query) and attacker-controlled until the download client has vetted it.
/// </summary>
public sealed record FileDownloadInfo
{
    public const string ContentType = "application/vnd.microsoft.teams.file.download.info";

    public string? DownloadUrl { get; init; }

    public string? UniqueId { get; init; }

    public string? FileType { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; init; }

    /// <summary>True when <paramref name="attachment"/> is a Teams file download attachment.</summary>
    public static bool IsFileDownloadInfo(Attachment attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return string.Equals(attachment.ContentType, ContentType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Reads the download info from <paramref name="attachment"/>; null when it is another kind of attachment or its
    /// content is not an object of the documented shape.
    /// </summary>
    public static FileDownloadInfo? FromAttachment(Attachment attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        if (!IsFileDownloadInfo(attachment) || attachment.Content is not { ValueKind: JsonValueKind.Object } content)
        {
            return null;
        }

        try
        {
            return content.Deserialize<FileDownloadInfo>(BotJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
