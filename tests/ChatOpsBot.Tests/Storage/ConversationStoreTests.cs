using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Stores;

namespace ChatOpsBot.Tests.Storage;

public abstract class ConversationStoreTests : IAsyncLifetime
{
    private StoreDatabase _database = null!;
    private ConversationStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await StoreDatabase.CreateMigratedAsync(Provider);
        _store = new ConversationStore(_database.Connections);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    protected abstract StorageProvider Provider { get; }

    [ProviderFact]
    public async Task FirstUpsertInsertsAndLaterOnesDoNot()
    {
        StoredConversation conversation = Conversation("19:abc@thread.tacv2", _database.Time.GetUtcNow());

        (await _store.UpsertAsync(conversation, CancellationToken.None)).ShouldBeTrue();
        (await _store.UpsertAsync(conversation, CancellationToken.None)).ShouldBeFalse();

        (await _store.GetAsync("msteams", "19:abc@thread.tacv2", CancellationToken.None)).ShouldBe(conversation);
    }

    [ProviderFact]
    public async Task ConcurrentUpsertsOfTheSameConversationInsertExactlyOnce()
    {
        // installationUpdate and conversationUpdate arrive together: only one of them may send the welcome.
        StoredConversation conversation = Conversation("a:personal-chat", _database.Time.GetUtcNow());
        using var start = new Barrier(16);

        bool[] inserted = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            return await _store.UpsertAsync(conversation, CancellationToken.None);
        })));

        inserted.Count(first => first).ShouldBe(1);
        (await _store.ListAsync(CancellationToken.None)).Count.ShouldBe(1);
    }

    [ProviderFact]
    public async Task LaterUpsertRefreshesTheReferenceButKeepsFirstSeen()
    {
        DateTimeOffset first = _database.Time.GetUtcNow();
        await _store.UpsertAsync(Conversation("19:abc@thread.tacv2", first), CancellationToken.None);
        StoredConversation moved = Conversation("19:abc@thread.tacv2", first.AddHours(1)) with
        {
            ServiceUrl = "https://smba.trafficmanager.net/emea/",
            ReferenceJson = """{"serviceUrl":"https://smba.trafficmanager.net/emea/"}""",
        };

        (await _store.UpsertAsync(moved, CancellationToken.None)).ShouldBeFalse();

        StoredConversation stored = (await _store.GetAsync("msteams", "19:abc@thread.tacv2", CancellationToken.None))!;
        stored.ServiceUrl.ShouldBe("https://smba.trafficmanager.net/emea/");
        stored.ReferenceJson.ShouldBe(moved.ReferenceJson);
        stored.FirstSeen.ShouldBe(first);
        stored.LastSeen.ShouldBe(first.AddHours(1));
    }

    [ProviderFact]
    public async Task StaleUpsertDoesNotOverwriteANewerReference()
    {
        DateTimeOffset now = _database.Time.GetUtcNow();
        StoredConversation newer = Conversation("19:abc@thread.tacv2", now) with { ServiceUrl = "https://smba.trafficmanager.net/new/" };
        await _store.UpsertAsync(newer, CancellationToken.None);

        await _store.UpsertAsync(Conversation("19:abc@thread.tacv2", now.AddMinutes(-5)) with { ServiceUrl = "https://smba.trafficmanager.net/old/" }, CancellationToken.None);

        (await _store.GetAsync("msteams", "19:abc@thread.tacv2", CancellationToken.None))!.ServiceUrl.ShouldBe("https://smba.trafficmanager.net/new/");
    }

    [ProviderFact]
    public async Task SameConversationIdOnAnotherChannelIsAnotherConversation()
    {
        DateTimeOffset now = _database.Time.GetUtcNow();
        await _store.UpsertAsync(Conversation("C0123", now), CancellationToken.None);

        (await _store.UpsertAsync(Conversation("C0123", now) with { ChannelId = "slack", TenantId = null }, CancellationToken.None)).ShouldBeTrue();

        (await _store.ListAsync(CancellationToken.None)).Select(conversation => conversation.ChannelId).ShouldBe(["msteams", "slack"]);
        (await _store.GetAsync("slack", "C0123", CancellationToken.None))!.TenantId.ShouldBeNull();
    }

    [ProviderFact]
    public async Task UnknownConversationIsNull()
    {
        (await _store.GetAsync("msteams", "nope", CancellationToken.None)).ShouldBeNull();
    }

    [ProviderFact]
    public async Task OverlongReferenceIsRefusedRatherThanTruncated()
    {
        StoredConversation huge = Conversation("19:abc@thread.tacv2", _database.Time.GetUtcNow()) with
        {
            ReferenceJson = "\"" + new string('x', StorageLimits.ConversationReferenceMaxLength) + "\"",
        };

        ArgumentException error = await Should.ThrowAsync<ArgumentException>(_store.UpsertAsync(huge, CancellationToken.None));

        error.ParamName.ShouldBe("ReferenceJson");
        (await _store.ListAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    private static StoredConversation Conversation(string conversationId, DateTimeOffset seen) =>
        new("msteams", conversationId, "https://smba.trafficmanager.net/amer/", "72f988bf-86f1-41af-91ab-2d7cd011db47", "channel",
            $$$"""{"conversation":{"id":"{{{conversationId}}}"}}""", seen, seen);
}

public sealed class SqliteConversationStoreTests : ConversationStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[PostgresSuite]
public sealed class PostgresConversationStoreTests : ConversationStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
