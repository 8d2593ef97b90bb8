using ChatOpsBot.Commands;
using ChatOpsBot.Commands.Confirmation;
using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Stores;
using ChatOpsBot.Tests.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Tests.Cluster;

/// <summary>
/// Confirmations kept in the database: issued by one instance, pressed on another; single use decided by the database
/// when presses race, on one instance or two.
/// </summary>
public abstract class PendingConfirmationStoreTests : IAsyncLifetime
{
    private const string Requester = "4b1f7c2e-9d3a-4e8b-a6f0-2c5d8e1b7a93";
    private const string Channel = "msteams";
    private const string Conversation = "a:1test-personal-conversation";

    private static readonly IOptions<CommandOptions> s_options = Options.Create(new CommandOptions());

    private StoreDatabase _database = null!;
    private SecondInstance _second = null!;
    private PendingConfirmations _instanceA = null!;
    private PendingConfirmations _instanceB = null!;

    protected abstract StorageProvider Provider { get; }

    public async Task InitializeAsync()
    {
        _database = await StoreDatabase.CreateMigratedAsync(Provider);
        _second = SecondInstance.Open(_database);
        _instanceA = new PendingConfirmations(new PendingConfirmationStore(_database.Connections), s_options, _database.Time);
        _instanceB = new PendingConfirmations(new PendingConfirmationStore(_second.Connections), s_options, _database.Time);
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _database.DisposeAsync();
    }

    [ProviderFact]
    public async Task A_confirmation_issued_on_one_instance_is_claimed_on_the_other_once_with_its_arguments()
    {
        PendingConfirmation issued = (await IssueAsync(_instanceA)).ShouldNotBeNull();

        ConfirmationClaim claim = await _instanceB.TryClaimAsync(issued.Token, Requester.ToUpperInvariant(), Channel, Conversation, CancellationToken.None);
        ConfirmationClaim again = await _instanceA.TryClaimAsync(issued.Token, Requester, Channel, Conversation, CancellationToken.None);

        claim.Status.ShouldBe(ClaimStatus.Claimed);
        PendingConfirmation action = claim.Action.ShouldNotBeNull();
        action.CommandName.ShouldBe("vip add");
        action.Arguments.ShouldBe(issued.Arguments);
        action.ContentKeys.ShouldBe(["name"], ignoreOrder: true);
        action.ExpiresAt.ShouldBe(issued.ExpiresAt);
        again.Status.ShouldBe(ClaimStatus.Gone);
        (await _database.ScalarAsync("SELECT COUNT(*) FROM pending_confirmations")).ShouldBe(0);
    }

    [ProviderFact]
    public async Task The_token_itself_is_not_stored()
    {
        PendingConfirmation issued = (await IssueAsync(_instanceA)).ShouldNotBeNull();

        (await _database.ScalarAsync($"SELECT COUNT(*) FROM pending_confirmations WHERE token_hash = '{issued.Token}'")).ShouldBe(0);
        (await _database.ScalarAsync(
            $"SELECT COUNT(*) FROM pending_confirmations WHERE token_hash = '{PendingConfirmationStore.TokenHash(issued.Token)}'")).ShouldBe(1);
    }

    [ProviderFact]
    public async Task Someone_else_pressing_leaves_it_pending_for_the_requester()
    {
        PendingConfirmation issued = (await IssueAsync(_instanceA)).ShouldNotBeNull();

        ConfirmationClaim stranger = await _instanceB.TryClaimAsync(issued.Token, "0d6e8f2a-1b3c-4d5e-8f7a-9b0c1d2e3f4a", Channel, Conversation, CancellationToken.None);
        ConfirmationClaim elsewhere = await _instanceB.TryClaimAsync(issued.Token, Requester, Channel, "19:other@thread.tacv2", CancellationToken.None);
        ConfirmationClaim requester = await _instanceB.TryClaimAsync(issued.Token, Requester, Channel, Conversation, CancellationToken.None);

        stranger.Status.ShouldBe(ClaimStatus.NotYours);
        elsewhere.Status.ShouldBe(ClaimStatus.NotYours);
        requester.Status.ShouldBe(ClaimStatus.Claimed);
    }

    [ProviderFact]
    public async Task An_expired_confirmation_is_gone_and_removed()
    {
        PendingConfirmation issued = (await IssueAsync(_instanceA)).ShouldNotBeNull();

        _database.Time.Advance(new CommandOptions().ConfirmationTimeout);
        ConfirmationClaim claim = await _instanceB.TryClaimAsync(issued.Token, Requester, Channel, Conversation, CancellationToken.None);

        claim.Status.ShouldBe(ClaimStatus.Gone);
        claim.Action.ShouldBeNull();
        (await _database.ScalarAsync("SELECT COUNT(*) FROM pending_confirmations")).ShouldBe(0);
    }

    [ProviderFact]
    public async Task Unknown_and_oversized_tokens_are_gone()
    {
        (await _instanceA.TryClaimAsync("not-a-token", Requester, Channel, Conversation, CancellationToken.None)).Status.ShouldBe(ClaimStatus.Gone);
        (await _instanceA.TryClaimAsync(new string('a', 10_000), Requester, Channel, Conversation, CancellationToken.None)).Status.ShouldBe(ClaimStatus.Gone);
        (await _instanceA.TryClaimAsync(null, Requester, Channel, Conversation, CancellationToken.None)).Status.ShouldBe(ClaimStatus.Gone);
    }

    [ProviderFact]
    public async Task The_per_requester_limit_counts_what_every_instance_issued()
    {
        for (int i = 0; i < PendingConfirmations.MaxPendingPerActor; i++)
        {
            (await IssueAsync(i % 2 == 0 ? _instanceA : _instanceB, i % 3 == 0 ? Requester.ToUpperInvariant() : Requester)).ShouldNotBeNull();
        }

        (await IssueAsync(_instanceB)).ShouldBeNull();
        (await IssueAsync(_instanceA, "29:1someone-else")).ShouldNotBeNull();

        // Expired ones stop counting.
        _database.Time.Advance(new CommandOptions().ConfirmationTimeout);
        (await IssueAsync(_instanceB)).ShouldNotBeNull();
        (await _database.ScalarAsync("SELECT COUNT(*) FROM pending_confirmations")).ShouldBe(1);
    }

    [ProviderFact]
    public async Task Racing_presses_on_both_instances_run_the_action_once()
    {
        PendingConfirmation issued = (await IssueAsync(_instanceA)).ShouldNotBeNull();

        ConfirmationClaim[] claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            (i % 2 == 0 ? _instanceA : _instanceB).TryClaimAsync(issued.Token, Requester, Channel, Conversation, CancellationToken.None))));

        claims.Count(c => c.Status == ClaimStatus.Claimed).ShouldBe(1);
        claims.Count(c => c.Status == ClaimStatus.Gone).ShouldBe(15);
    }

    private static Task<PendingConfirmation?> IssueAsync(PendingConfirmations instance, string actor = Requester) =>
        instance.AddAsync(
            "vip add",
            new Dictionary<string, string> { ["name"] = "Dana Boss", ["address"] = "dana@corp.example" },
            new HashSet<string> { "name" },
            actor,
            Channel,
            Conversation,
            CancellationToken.None);
}

public sealed class SqlitePendingConfirmationStoreTests : PendingConfirmationStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[PostgresSuite]
public sealed class PostgresPendingConfirmationStoreTests : PendingConfirmationStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
