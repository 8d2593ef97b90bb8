using System.Collections.Concurrent;
using ChatOpsBot.BotFramework.Connector;
using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Tests.Fakes;

/// <summary>An in-process Connector that records what the adapter asked it to do.</summary>
public sealed class RecordingConnectorClient : IConnectorClient
{
    public sealed record ConnectorCall(string Operation, string ServiceUrl, string? ConversationId, string? ActivityId, Activity? Activity, ConversationParameters? Parameters);

    public ConcurrentQueue<ConnectorCall> Calls { get; } = new();

    public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken)
    {
        Calls.Enqueue(new ConnectorCall("send", serviceUrl, conversationId, null, activity, null));
        return Task.FromResult(new ResourceResponse("sent-" + Calls.Count));
    }

    public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken)
    {
        Calls.Enqueue(new ConnectorCall("reply", serviceUrl, conversationId, activityId, activity, null));
        return Task.FromResult(new ResourceResponse("reply-" + Calls.Count));
    }

    public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken)
    {
        Calls.Enqueue(new ConnectorCall("update", serviceUrl, conversationId, activityId, activity, null));
        return Task.FromResult(new ResourceResponse(activityId));
    }

    public Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken)
    {
        Calls.Enqueue(new ConnectorCall("delete", serviceUrl, conversationId, activityId, null, null));
        return Task.CompletedTask;
    }

    public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken)
    {
        Calls.Enqueue(new ConnectorCall("create", serviceUrl, null, null, null, parameters));
        return Task.FromResult(parameters.IsGroup == true
            ? new ConversationResourceResponse("19:alerts@thread.tacv2;messageid=1776390257332", "1776390257332", null)
            : new ConversationResourceResponse("a:1p0iicaJlVi-new-chat", null, null));
    }
}
