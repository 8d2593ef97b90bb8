using ChatOpsBot.Slack.Inbound;
using ChatOpsBot.Slack.WebApi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Slack;

/// <summary>
/// Looks at files shared in channels the bot is in (<c>file_shared</c> carries only ids): <c>files.info</c> says what
/// the file is, and only mail forwarded into Slack (<c>mode: email</c>, a channel's email address used as a report
/// mailbox) is analysed, like an upload. Everything else shared there is none of the bot's business.
/// </summary>
internal sealed partial class SlackFileSharedWorker(
    SlackFileSharedQueue queue,
    ISlackWebApi webApi,
    SlackCommandBridge bridge,
    ILogger<SlackFileSharedWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (SlackFileSharedEvent fileShared in queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            string fileId = SlackLogText.Safe(fileShared.FileId, 64);
            try
            {
                SlackFile file = await webApi.GetFileInfoAsync(fileShared.FileId, stoppingToken).ConfigureAwait(false);
                if (!file.IsEmailForward)
                {
                    LogNotMail(logger, fileId);
                    continue;
                }

                string channelId = SlackLogText.Safe(fileShared.ChannelId, 64);
                LogEmailForward(logger, fileId, channelId);
                await bridge.SubmitEmailForwardAsync(fileShared, file).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (SlackApiException ex)
            {
                // missing_scope names files:read here: the log is where an admin sees the app needs it.
                LogLookupFailed(logger, fileId, ex.Message);
            }
#pragma warning disable CA1031 // One bad file share must not stop the worker for the next ones.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(logger, ex, fileId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack file {FileId} shared in a channel is not forwarded mail; not analysed")]
    private static partial void LogNotMail(ILogger logger, string fileId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail forwarded into Slack (file {FileId}) in {ChannelId}: analysing it")]
    private static partial void LogEmailForward(ILogger logger, string fileId, string channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look up Slack file {FileId}: {Reason}")]
    private static partial void LogLookupFailed(ILogger logger, string fileId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling shared Slack file {FileId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string fileId);
}
