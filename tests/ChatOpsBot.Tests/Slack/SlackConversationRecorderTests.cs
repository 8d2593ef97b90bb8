using System.Text.Json;
using ChatOpsBot.Slack;
using ChatOpsBot.Storage;
using ChatOpsBot.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOpsBot.Tests.Slack;

public sealed class SlackConversationRecorderTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly RecordingStore _store = new();

    [Fact]
    public async Task AConversationIsStoredAsASlackReferenceAndRefreshedAtMostHourly()
    {
        var recorder = new SlackConversationRecorder(_store, _clock, NullLogger<SlackConversationRecorder>.Instance);

        await recorder.RecordAsync("T111", "C0SOC", "channel", default);
        await recorder.RecordAsync("T111", "C0SOC", "channel", default);
        _clock.Advance(SlackConversationRecorder.RefreshInterval);
        await recorder.RecordAsync("T111", "C0SOC", "channel", default);

        _store.Upserts.Count.ShouldBe(2);
        StoredConversation stored = _store.Upserts[0];
        stored.ChannelId.ShouldBe("slack");
        stored.ConversationId.ShouldBe("C0SOC");
        stored.TenantId.ShouldBe("T111");
        stored.Scope.ShouldBe("channel");
        using JsonDocument reference = JsonDocument.Parse(stored.ReferenceJson);
        reference.RootElement.GetProperty("channel_id").GetString().ShouldBe("C0SOC");
    }

    [Fact]
    public async Task WhatIsNotAConversationIdIsNotStoredAndAFailingStoreLosesNothingElse()
    {
        var recorder = new SlackConversationRecorder(_store, _clock, NullLogger<SlackConversationRecorder>.Instance);

        await recorder.RecordAsync("T111", "#general", null, default);
        _store.Failure = new InvalidOperationException("database is locked");
        await Should.NotThrowAsync(() => recorder.RecordAsync("T111", "D0READER", "im", default));
        _store.Failure = null;
        await recorder.RecordAsync("T111", "D0READER", "im", default);

        _store.Upserts.Count.ShouldBe(1, "a failed write is not remembered as done");
        _store.Upserts[0].Scope.ShouldBe("im");
    }

    private sealed class RecordingStore : IConversationStore
    {
        public List<StoredConversation> Upserts { get; } = [];

        public Exception? Failure { get; set; }

        public Task<bool> UpsertAsync(StoredConversation conversation, CancellationToken cancellationToken)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            Upserts.Add(conversation);
            return Task.FromResult(Upserts.Count == 1);
        }

        public Task<StoredConversation?> GetAsync(string channelId, string conversationId, CancellationToken cancellationToken) =>
            Task.FromResult(Upserts.LastOrDefault(c => c.ChannelId == channelId && c.ConversationId == conversationId));

        public Task<IReadOnlyList<StoredConversation>> ListAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StoredConversation>>(Upserts);
    }
}
