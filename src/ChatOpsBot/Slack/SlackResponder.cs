using System.Globalization;
using ChatOpsBot.Cards.BlockKit;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Commands;
using ChatOpsBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Slack;

/// <summary>Where and how one Slack request is answered.</summary>
/// <param name="ChannelId">The conversation (a DM <c>D…</c>, a channel <c>C…</c>/<c>G…</c>).</param>
/// <param name="UserId">Who asked: private answers go to this user only.</param>
/// <param name="IsDirectMessage">In a DM every answer is private already.</param>
/// <param name="ThreadTs">Answers go into this thread (a mention is answered in a thread under it).</param>
/// <param name="ResponseUrl">A slash command's or interaction's response URL, when there is one.</param>
/// <param name="PreferResponseUrl">Slash commands answer through the response URL (it works where the bot is not a member).</param>
/// <param name="InteractionMessageTs">The message whose button was pressed.</param>
/// <param name="InteractionMessageIsEphemeral">Only the response URL can replace an ephemeral message.</param>
internal sealed record SlackReplyTarget(
    string ChannelId,
    string UserId,
    bool IsDirectMessage,
    string? ThreadTs = null,
    string? ResponseUrl = null,
    bool PreferResponseUrl = false,
    string? InteractionMessageTs = null,
    bool InteractionMessageIsEphemeral = false);

/// <summary>
/// Answers one Slack request for the command layer. Cards become Block Kit (<see cref="BlockKitRenderer"/>); a visible
/// card is <c>chat.postMessage</c> (or, for a slash command, an <c>in_channel</c> response-URL answer), an update
/// <c>chat.update</c>, a private card an ephemeral message (response URL or <c>chat.postEphemeral</c>; in a DM a plain
/// message). Slack shows no typing indicator for apps outside its RTM socket, so <see cref="SendTypingAsync"/> does
/// nothing: the command layer's progress card is what the user sees for slow work.
/// </summary>
internal sealed partial class SlackResponder(
    SlackReplyTarget target,
    ISlackWebApi webApi,
    ISlackResponseUrlClient responseUrls,
    ILogger<SlackResponder> logger) : IChatResponder
{
    /// <summary>Message ids for answers posted through a response URL, which Slack gives no ts for.</summary>
    internal const string ResponseUrlIdPrefix = "response_url:";

    private int _responseUrlPosts;

    public Task SendTypingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<string> SendCardAsync(AdaptiveCard card, CancellationToken cancellationToken)
    {
        BlockKitMessage message = BlockKitRenderer.Render(card);
        if (target.PreferResponseUrl && target.ResponseUrl is { } url)
        {
            try
            {
                return await PostToResponseUrlAsync(url, message, SlackResponseVisibility.InChannel, replaceOriginal: false, cancellationToken).ConfigureAwait(false);
            }
            catch (SlackApiException ex)
            {
                // Used up (five answers) or expired (30 minutes): the Web API still reaches a channel the bot is in.
                LogResponseUrlFailed(logger, ex.Error);
            }
        }

        try
        {
            SlackMessageRef posted = await webApi.PostMessageAsync(target.ChannelId, message, target.ThreadTs, cancellationToken).ConfigureAwait(false);
            return posted.Ts;
        }
        catch (SlackApiException ex) when (ex.Error is "not_in_channel" or "channel_not_found" && target.ResponseUrl is { } fallbackUrl && !target.PreferResponseUrl)
        {
            // A button pressed on a message the bot posted through a response URL, in a channel it is not in.
            return await PostToResponseUrlAsync(fallbackUrl, message, SlackResponseVisibility.InChannel, replaceOriginal: false, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task UpdateCardAsync(string messageId, AdaptiveCard card, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        BlockKitMessage message = BlockKitRenderer.Render(card);
        if (messageId.StartsWith(ResponseUrlIdPrefix, StringComparison.Ordinal) && target.ResponseUrl is { } url)
        {
            await PostToResponseUrlAsync(url, message, SlackResponseVisibility.InChannel, replaceOriginal: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (messageId == target.InteractionMessageTs && target.InteractionMessageIsEphemeral && target.ResponseUrl is { } ephemeralUrl)
        {
            await PostToResponseUrlAsync(ephemeralUrl, message, SlackResponseVisibility.Ephemeral, replaceOriginal: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        await webApi.UpdateMessageAsync(target.ChannelId, messageId, message, cancellationToken).ConfigureAwait(false);
    }

    public async Task SendPrivateCardAsync(AdaptiveCard card, CancellationToken cancellationToken)
    {
        BlockKitMessage message = BlockKitRenderer.Render(card);
        if (target.IsDirectMessage)
        {
            await webApi.PostMessageAsync(target.ChannelId, message, target.ThreadTs, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (target.ResponseUrl is { } url)
        {
            try
            {
                await PostToResponseUrlAsync(url, message, SlackResponseVisibility.Ephemeral, replaceOriginal: false, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SlackApiException ex)
            {
                LogResponseUrlFailed(logger, ex.Error);
            }
        }

        await webApi.PostEphemeralAsync(target.ChannelId, target.UserId, message, target.ThreadTs, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> PostToResponseUrlAsync(string url, BlockKitMessage message, SlackResponseVisibility visibility, bool replaceOriginal, CancellationToken cancellationToken)
    {
        await responseUrls.PostAsync(url, new SlackResponse(message, visibility, replaceOriginal, target.ThreadTs), cancellationToken).ConfigureAwait(false);
        int n = Interlocked.Increment(ref _responseUrlPosts);
        return ResponseUrlIdPrefix + n.ToString(CultureInfo.InvariantCulture);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack response URL answer failed ({Error}); answering through the Web API instead")]
    private static partial void LogResponseUrlFailed(ILogger logger, string error);
}
