using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Stores;
using ChatOpsBot.Teams;
using ChatOpsBot.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOpsBot.Tests.Teams;

public sealed class StoredActivityDeduplicatorTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync();

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_redelivery_is_recognised_also_by_another_instance_sharing_the_database()
    {
        StoredActivityDeduplicator first = Over(new InboundDeduplicationStore(_database.Connections, _database.Time));
        StoredActivityDeduplicator second = Over(new InboundDeduplicationStore(_database.Connections, _database.Time));

        (await first.TryBeginAsync(Message("1777000000001"), CancellationToken.None)).ShouldBeTrue();
        (await second.TryBeginAsync(Message("1777000000001"), CancellationToken.None)).ShouldBeFalse();
        (await first.TryBeginAsync(Message("1777000000001"), CancellationToken.None)).ShouldBeFalse();
    }

    [Fact]
    public async Task The_same_id_in_another_conversation_is_another_activity()
    {
        StoredActivityDeduplicator deduplicator = Over(new InboundDeduplicationStore(_database.Connections, _database.Time));

        (await deduplicator.TryBeginAsync(Message("42", "a:conversation-one"), CancellationToken.None)).ShouldBeTrue();
        (await deduplicator.TryBeginAsync(Message("42", "a:conversation-two"), CancellationToken.None)).ShouldBeTrue();
    }

    [Fact]
    public async Task An_activity_without_an_id_always_runs_and_is_not_stored()
    {
        var store = new CountingStore();
        StoredActivityDeduplicator deduplicator = Over(store);

        (await deduplicator.TryBeginAsync(Message(null), CancellationToken.None)).ShouldBeTrue();
        (await deduplicator.TryBeginAsync(Message(null), CancellationToken.None)).ShouldBeTrue();
        store.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task A_database_failure_processes_the_activity_rather_than_losing_it()
    {
        StoredActivityDeduplicator deduplicator = Over(new CountingStore { Fail = true });

        (await deduplicator.TryBeginAsync(Message("1777000000002"), CancellationToken.None)).ShouldBeTrue();
    }

    [Fact]
    public async Task The_key_is_kept_for_the_retention_window()
    {
        var store = new CountingStore();
        StoredActivityDeduplicator deduplicator = Over(store);

        await deduplicator.TryBeginAsync(Message("1777000000003"), CancellationToken.None);

        store.LastSource.ShouldBe(StoredActivityDeduplicator.Source);
        store.LastId.ShouldBe("msteams\na:conversation-one\n1777000000003");
        store.LastExpiresAt.ShouldBe(_database.Time.GetUtcNow() + BotFramework.Hosting.InMemoryActivityDeduplicator.Retention);
    }

    private StoredActivityDeduplicator Over(IInboundDeduplicationStore store) =>
        new(store, _database.Time, NullLogger<StoredActivityDeduplicator>.Instance);

    private static Activity Message(string? id, string conversation = "a:conversation-one") => new()
    {
        Type = ActivityTypes.Message,
        Id = id,
        ChannelId = Channels.MsTeams,
        Conversation = new ConversationAccount(conversation, ConversationTypes.Personal),
    };

    private sealed class CountingStore : IInboundDeduplicationStore
    {
        public bool Fail { get; init; }

        public int Calls { get; private set; }

        public string? LastSource { get; private set; }

        public string? LastId { get; private set; }

        public DateTimeOffset LastExpiresAt { get; private set; }

        public Task<bool> TryRecordAsync(string source, string id, DateTimeOffset expiresAt, CancellationToken cancellationToken)
        {
            Calls++;
            (LastSource, LastId, LastExpiresAt) = (source, id, expiresAt);
            return Fail ? Task.FromException<bool>(new InvalidOperationException("database is locked")) : Task.FromResult(true);
        }
    }
}
