using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands;
using ChatOpsBot.Slack.Files;
using ChatOpsBot.Slack.Inbound;
using ChatOpsBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Slack;

/// <summary>
/// Slack files as the command layer's <see cref="InboundFile"/>: nothing is fetched until a command opens the file.
/// Opening one calls <c>files.info</c> when the event carried no URLs (Slack Connect), downloads it with the bot token,
/// and turns an email forward (<c>mode: email</c>) into a rebuilt RFC 5322 message (<see cref="SlackEmailForward"/>).
/// When Slack answers its sign-in page (the app lacks <c>files:read</c>), the user is told privately that the app needs
/// that scope, besides the command layer's "could not download" answer.
/// </summary>
internal sealed partial class SlackInboundFiles(ISlackWebApi webApi, SlackFileDownloader downloader, ILogger<SlackInboundFiles> logger)
{
    private const int MaxNameChars = 120;

    public InboundFile ToInboundFile(SlackFile file, IChatResponder responder)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(responder);
        if (file.IsEmailForward)
        {
            return new InboundFile(EmailFileName(file), "message/rfc822", null, ct => OpenEmailForwardAsync(file, responder, ct));
        }

        return new InboundFile(file.Name ?? file.Title ?? file.Id, file.MimeType, file.Size, ct => OpenAsync(file, responder, ct));
    }

    private async Task<Stream> OpenAsync(SlackFile file, IChatResponder responder, CancellationToken cancellationToken)
    {
        SlackFile details = file.NeedsFileInfo ? await webApi.GetFileInfoAsync(file.Id, cancellationToken).ConfigureAwait(false) : file;
        if (details.IsEmailForward)
        {
            return await OpenEmailForwardAsync(details, responder, cancellationToken).ConfigureAwait(false);
        }

        SlackDownloadedFile downloaded = await DownloadAsync(details, responder, cancellationToken).ConfigureAwait(false);
        return new MemoryStream(downloaded.Content, writable: false);
    }

    private async Task<Stream> OpenEmailForwardAsync(SlackFile file, IChatResponder responder, CancellationToken cancellationToken)
    {
        // The event's copy of an email file may lack the parsed fields; files.info has them all.
        SlackFile details = file.Email?.From.Count > 0 ? file : await webApi.GetFileInfoAsync(file.Id, cancellationToken).ConfigureAwait(false);
        SlackDownloadedFile rendering = await DownloadAsync(details, responder, cancellationToken).ConfigureAwait(false);
        return new MemoryStream(SlackEmailForward.ToRfc822(details, rendering.Content), writable: false);
    }

    private async Task<SlackDownloadedFile> DownloadAsync(SlackFile file, IChatResponder responder, CancellationToken cancellationToken)
    {
        try
        {
            return await downloader.DownloadAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (SlackFileDownloadException ex) when (ex.Failure == SlackFileDownloadFailure.MissingFilesReadScope)
        {
            try
            {
                await responder.SendPrivateCardAsync(
                    NoticeCard.Build(
                        "The Slack app cannot read files",
                        "Slack refused to hand me the file: the app is missing the files:read scope. Ask a Slack admin to add it under OAuth & Permissions and reinstall the app.",
                        NoticeStyle.Error),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception notice) when (notice is not OperationCanceledException)
            {
                LogNoticeFailed(logger, notice);
            }

            throw;
        }
    }

    private static string EmailFileName(SlackFile file)
    {
        string subject = file.Email?.Subject ?? file.Title ?? "forwarded message";
        string safe = new([.. subject.Where(c => !char.IsControl(c) && c is not ('/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|'))]);
        safe = safe.Trim();
        if (safe.Length > MaxNameChars)
        {
            safe = safe[..MaxNameChars];
        }

        return (safe.Length == 0 ? "forwarded message" : safe) + ".eml";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the user that the Slack app lacks files:read")]
    private static partial void LogNoticeFailed(ILogger logger, Exception exception);
}
