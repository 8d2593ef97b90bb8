using System.Collections.Concurrent;
using System.Text.Json;
using ChatOpsBot.Commands;
using ChatOpsBot.Storage;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Slack;

/// <summary>
/// Stores the Slack conversations the bot hears from (<see cref="IConversationStore"/>), as the Teams glue stores a
/// conversation on install: <c>subscribe</c> needs the conversation stored, and the stored conversations are where
/// proactive messages can go. Only Events API deliveries count (direct messages to the bot and mentions of it):
/// Slack sends those only from conversations the bot is a member of, which is exactly where <c>chat.postMessage</c>
/// can post. A slash command can be run in any channel, also one the bot is not in, so it records nothing; there
/// <c>subscribe</c> answers "mention the bot here once", and the mention (which invites the bot) records it.
/// A conversation is written at most once per <see cref="RefreshInterval"/> per process.
/// </summary>
internal sealed partial class SlackConversationRecorder(IConversationStore store, TimeProvider timeProvider, ILogger<SlackConversationRecorder> logger)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromHours(1);

    /// <summary>Bounds the memory of recently stored conversations; past it the memory starts over (costing a few writes).</summary>
    private const int MaxRemembered = 10_000;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly ConcurrentDictionary<string, DateTimeOffset> _recent = new(StringComparer.Ordinal);

    /// <summary>Stores or refreshes one conversation; a storage failure is logged, never thrown (the request goes on).</summary>
    public async Task RecordAsync(string? teamId, string channelId, string? channelType, CancellationToken cancellationToken)
    {
        if (!SlackConversationIds.IsValid(channelId))
        {
            return;
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        if (_recent.TryGetValue(channelId, out DateTimeOffset last) && now - last < RefreshInterval)
        {
            return;
        }

        string? team = teamId is { Length: <= 32 } && teamId.All(char.IsAsciiLetterOrDigit) ? teamId : null;
        string scope = Scope(channelId, channelType);
        var reference = new SlackConversationReference(channelId, team, scope);
        var stored = new StoredConversation(
            ChatChannels.Slack, channelId, string.Empty, team, scope, JsonSerializer.Serialize(reference, s_json), now, now);
        try
        {
            bool isNew = await store.UpsertAsync(stored, cancellationToken).ConfigureAwait(false);
            if (_recent.Count >= MaxRemembered)
            {
                _recent.Clear();
            }

            _recent[channelId] = now;
            if (isNew)
            {
                LogStored(logger, channelId, scope);
            }
        }
#pragma warning disable CA1031 // Not being able to remember a conversation must not lose the user's request.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex, channelId);
        }
    }

    /// <summary>Slack's <c>channel_type</c> when the event had one, otherwise what the id says.</summary>
    internal static string Scope(string channelId, string? channelType) => channelType switch
    {
        "im" or "mpim" or "channel" or "group" => channelType,
        _ => channelId.StartsWith('D') ? "im" : "channel",
    };

    /// <summary>What a Slack conversation reference is: the channel id is all <c>chat.postMessage</c> needs.</summary>
    private sealed record SlackConversationReference(string ChannelId, string? TeamId, string ChannelType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack conversation {ChannelId} ({Scope}) stored: alerts can be subscribed there")]
    private static partial void LogStored(ILogger logger, string channelId, string scope);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store Slack conversation {ChannelId}; subscribe there will ask to mention the bot again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string channelId);
}
