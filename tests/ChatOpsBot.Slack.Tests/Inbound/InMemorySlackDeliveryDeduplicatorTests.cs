using ChatOpsBot.Slack.Inbound;
using ChatOpsBot.Slack.Tests.Support;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Slack.Tests.Inbound;

public class InMemorySlackDeliveryDeduplicatorTests
{
    [Fact]
    public async Task ARepeatWithinTheRetentionIsRecognised()
    {
        var clock = new ManualTimeProvider();
        var deduplicator = new InMemorySlackDeliveryDeduplicator(clock);

        (await deduplicator.TryBeginAsync("event:Ev1", default)).ShouldBeTrue();
        clock.Advance(TimeSpan.FromMinutes(59));
        (await deduplicator.TryBeginAsync("event:Ev1", default)).ShouldBeFalse();
        (await deduplicator.TryBeginAsync("event:Ev2", default)).ShouldBeTrue();
    }

    [Fact]
    public async Task AnIdIsForgottenAfterTheRetention()
    {
        var clock = new ManualTimeProvider();
        var deduplicator = new InMemorySlackDeliveryDeduplicator(clock);
        await deduplicator.TryBeginAsync("event:Ev1", default);

        clock.Advance(InMemorySlackDeliveryDeduplicator.Retention + TimeSpan.FromSeconds(1));

        (await deduplicator.TryBeginAsync("event:Ev1", default)).ShouldBeTrue();
    }

    [Fact]
    public async Task AFloodEvictsTheOldestInsteadOfGrowing()
    {
        var deduplicator = new InMemorySlackDeliveryDeduplicator(new ManualTimeProvider());
        for (int i = 0; i <= InMemorySlackDeliveryDeduplicator.Capacity; i++)
        {
            await deduplicator.TryBeginAsync($"event:{i}", default);
        }

        (await deduplicator.TryBeginAsync("event:0", default)).ShouldBeTrue();
        (await deduplicator.TryBeginAsync($"event:{InMemorySlackDeliveryDeduplicator.Capacity}", default)).ShouldBeFalse();
    }
}
