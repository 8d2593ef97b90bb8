namespace ChatOpsBot.Commands;

public enum SubmitResult
{
    /// <summary>Queued; the answer arrives through the responder.</summary>
    Accepted,

    /// <summary>The queue was full or the bot is stopping; the sender was told to try again.</summary>
    Busy,
}

/// <summary>
/// The one entry point of the command layer. The channel glue calls it for every message and card action and returns
/// its HTTP response at once: the work runs on a bounded background queue, never inside the inbound request.
/// </summary>
public interface IChatCommandGateway
{
    /// <summary>
    /// Queues <paramref name="request"/>. Does not wait for the command; when the queue is full it sends a private
    /// "busy, try again" card through <paramref name="responder"/> (the only I/O it does) and returns
    /// <see cref="SubmitResult.Busy"/>. <paramref name="responder"/> must stay usable after the inbound request ended.
    /// </summary>
    ValueTask<SubmitResult> SubmitAsync(ChatRequest request, IChatResponder responder, CancellationToken cancellationToken);
}
