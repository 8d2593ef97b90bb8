using ChatOpsBot.BotFramework.Hosting;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.BotFramework.Tests.Fakes;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.BotFramework.Tests.Hosting;

public sealed class InMemoryActivityDeduplicatorTests
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task The_second_delivery_of_an_activity_is_recognised()
    {
        var deduplicator = new InMemoryActivityDeduplicator(_clock);

        (await deduplicator.TryBeginAsync(Message("1759944781430", "a:conv"), default)).ShouldBeTrue();
        (await deduplicator.TryBeginAsync(Message("1759944781430", "a:conv"), default)).ShouldBeFalse();
    }

    [Fact]
    public async Task The_same_id_in_another_conversation_is_another_activity()
    {
        var deduplicator = new InMemoryActivityDeduplicator(_clock);

        (await deduplicator.TryBeginAsync(Message("1", "a:one"), default)).ShouldBeTrue();
        (await deduplicator.TryBeginAsync(Message("1", "a:two"), default)).ShouldBeTrue();
    }

    [Fact]
    public async Task Activities_without_an_id_always_run()
    {
        var deduplicator = new InMemoryActivityDeduplicator(_clock);

        (await deduplicator.TryBeginAsync(Message(null, "a:conv"), default)).ShouldBeTrue();
        (await deduplicator.TryBeginAsync(Message(null, "a:conv"), default)).ShouldBeTrue();
    }

    [Fact]
    public async Task An_id_is_forgotten_after_the_retention()
    {
        var deduplicator = new InMemoryActivityDeduplicator(_clock);
        (await deduplicator.TryBeginAsync(Message("1", "a:conv"), default)).ShouldBeTrue();

        _clock.Advance(InMemoryActivityDeduplicator.Retention);

        (await deduplicator.TryBeginAsync(Message("1", "a:conv"), default)).ShouldBeTrue();
        deduplicator.Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_memory_stays_bounded_under_a_flood_of_distinct_ids()
    {
        var deduplicator = new InMemoryActivityDeduplicator(_clock);

        for (int i = 0; i < InMemoryActivityDeduplicator.Capacity + 100; i++)
        {
            await deduplicator.TryBeginAsync(Message(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "a:conv"), default);
        }

        deduplicator.Count.ShouldBe(InMemoryActivityDeduplicator.Capacity);
        (await deduplicator.TryBeginAsync(Message((InMemoryActivityDeduplicator.Capacity + 99).ToString(System.Globalization.CultureInfo.InvariantCulture), "a:conv"), default)).ShouldBeFalse();
    }

    [Fact]
    public void Long_ids_are_keyed_by_their_hash_so_distinct_ones_stay_distinct()
    {
        string prefix = new('x', 2000);

        string? first = InMemoryActivityDeduplicator.KeyOf(Message(prefix + "1", "a:conv"));
        string? second = InMemoryActivityDeduplicator.KeyOf(Message(prefix + "2", "a:conv"));

        first!.Length.ShouldBeLessThanOrEqualTo(InMemoryActivityDeduplicator.MaxKeyLength);
        first.ShouldNotBe(second);
    }

    private static Activity Message(string? id, string conversationId) => new()
    {
        Type = ActivityTypes.Message,
        Id = id,
        ChannelId = Channels.MsTeams,
        Conversation = new ConversationAccount(conversationId),
    };
}
