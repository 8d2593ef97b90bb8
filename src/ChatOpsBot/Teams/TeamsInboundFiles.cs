using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Files;
using ChatOpsBot.Commands;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Teams;

/// <summary>
/// Files a user sent the bot in personal chat, as the command layer's <see cref="InboundFile"/>: nothing is fetched
/// until a command opens one, and then only through <see cref="TeamsFileDownloader"/> (https, allowed hosts, public
/// addresses, size cap; the URL is attacker-supplied). Teams declares neither type nor size, so both stay unknown.
/// </summary>
internal sealed class TeamsInboundFiles(IServiceProvider services)
{
    public IReadOnlyList<InboundFile> From(IReadOnlyList<TeamsFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return [.. files.Select(ToInboundFile)];
    }

    private InboundFile ToInboundFile(TeamsFile file)
    {
        string name = !string.IsNullOrWhiteSpace(file.Name)
            ? file.Name
            : string.IsNullOrWhiteSpace(file.DownloadInfo.FileType) ? "file" : $"file.{file.DownloadInfo.FileType}";
        return new InboundFile(name, ContentType: null, Size: null, async cancellationToken =>
        {
            // A typed HTTP client is transient: one per download, from the factory's pooled handler.
            TeamsFileDownloader downloader = services.GetRequiredService<TeamsFileDownloader>();
            TeamsFileDownload download = await downloader.DownloadAsync(file.DownloadInfo, file.Name, cancellationToken).ConfigureAwait(false);
            return new MemoryStream(download.Content, writable: false);
        });
    }
}
