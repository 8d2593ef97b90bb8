using System.Collections.Concurrent;
using ChatOpsBot.Slack.Inbound;

namespace ChatOpsBot.Slack.Tests.Support;

/// <summary>Records what the adapter hands over; optionally fails, to test the adapter's answer.</summary>
internal sealed class RecordingInboundHandler : ISlackInboundHandler
{
    public ConcurrentQueue<object> Received { get; } = new();

    public Exception? Failure { get; set; }

    public ValueTask OnMessageAsync(SlackMessageEvent message, CancellationToken cancellationToken) => Record(message);

    public ValueTask OnFileSharedAsync(SlackFileSharedEvent fileShared, CancellationToken cancellationToken) => Record(fileShared);

    public ValueTask OnSlashCommandAsync(SlackSlashCommand command, CancellationToken cancellationToken) => Record(command);

    public ValueTask OnBlockActionsAsync(SlackBlockActions actions, CancellationToken cancellationToken) => Record(actions);

    private ValueTask Record(object item)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        Received.Enqueue(item);
        return ValueTask.CompletedTask;
    }
}
