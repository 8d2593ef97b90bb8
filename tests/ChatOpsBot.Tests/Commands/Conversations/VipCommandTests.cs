using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Support;

namespace ChatOpsBot.Tests.Commands.Conversations;

public sealed class VipCommandTests : HarnessTest
{
    [Fact]
    public async Task VipCheckFlagsADisplayNameImpersonation()
    {
        await SeedVipAsync();

        RecordingResponder replies = await Bot.SayAsync("vip check \"Jane Doe\" jane.doe.ceo@gmail.test", CommandHarness.Analyst);

        Reply card = replies.Single;
        card.Kind.ShouldBe(ReplyKind.Sent);
        card.Text.ShouldContain("QUARANTINE");
        card.Text.ShouldContain("Display name matches VIP: Jane Doe");
    }

    [Fact]
    public async Task VipCheckAcceptsAnUnquotedNameAndTheRealAddress()
    {
        await SeedVipAsync();

        RecordingResponder replies = await Bot.SayAsync("VIP Check Jane Doe jane.doe@corp.test", CommandHarness.Analyst);

        replies.Single.Text.ShouldContain("DELIVER");
    }

    [Fact]
    public async Task VipCheckWithAnEmptyListSaysSo()
    {
        RecordingResponder replies = await Bot.SayAsync("vip check Jane jane@evil.test", CommandHarness.Analyst);

        replies.Single.Text.ShouldContain("The VIP list is empty");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }

    [Theory]
    [InlineData("vip check")]
    [InlineData("vip check Jane Doe")]
    public async Task VipCheckWithoutAnAddressShowsUsage(string text)
    {
        RecordingResponder replies = await Bot.SayAsync(text, CommandHarness.Analyst);

        replies.Single.Text.ShouldContain("vip check <display name> <address>");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }

    [Fact]
    public async Task VipListShowsTheStoredVips()
    {
        await SeedVipAsync();
        await SeedVipAsync("Bob Boss", "bob@corp.test");

        RecordingResponder replies = await Bot.SayAsync("vip list", CommandHarness.Analyst);

        replies.Single.Text.ShouldContain("jane.doe@corp.test");
        replies.Single.Text.ShouldContain("Bob Boss");
    }

    [Fact]
    public async Task VipAddStoresWhoAddedWhomAndWhen()
    {
        RecordingResponder replies = await Bot.SayAsync("vip add \"Carol Chief\" Carol.Chief@Corp.TEST", CommandHarness.Responder);

        replies.Single.Text.ShouldContain("VIP added");
        StoredVip vip = (await Bot.Vips.ListAsync(CancellationToken.None)).ShouldHaveSingleItem();
        vip.ShouldBe(new StoredVip("Carol Chief", "Carol.Chief@corp.test", CommandHarness.Responder, CommandHarness.Start));
        Bot.LastAudit.Arguments.ShouldContain("name=Carol Chief, address=Carol.Chief@corp.test");
    }

    [Fact]
    public async Task VipAddOfAListedAddressChangesNothing()
    {
        await SeedVipAsync();

        RecordingResponder replies = await Bot.SayAsync("vip add Jane jane.doe@CORP.test", CommandHarness.Responder);

        replies.Single.Text.ShouldContain("already on the VIP list");
        (await Bot.Vips.ListAsync(CancellationToken.None)).Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("vip add Jane not-an-address@", "not a valid e-mail address")]
    [InlineData("vip add Jane jane@localhost", "not a valid e-mail address")]
    [InlineData("vip add jane@corp.test", "display name and then the e-mail address")]
    [InlineData("vip add \"\u200B\" jane@corp.test", "invisible characters")]
    public async Task VipAddRefusesWhatItCannotStore(string text, string problem)
    {
        RecordingResponder replies = await Bot.SayAsync(text, CommandHarness.Responder);

        replies.Single.Kind.ShouldBe(ReplyKind.Private);
        replies.Single.Text.ShouldContain(problem);
        (await Bot.Vips.ListAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task VipRemoveAsksForConfirmationAndChangesNothingYet()
    {
        await SeedVipAsync();

        RecordingResponder replies = await Bot.SayAsync("vip remove jane.doe@corp.test", CommandHarness.Responder);

        Reply card = replies.Single;
        card.Kind.ShouldBe(ReplyKind.Sent);
        card.Text.ShouldContain("Remove jane.doe@corp.test from the VIP list?");
        ConfirmButton(card).Data.ShouldNotBeNull()[CardActions.ActionKey].ShouldBe("vip remove");
        (await Bot.Vips.ListAsync(CancellationToken.None)).Count.ShouldBe(1);
        Bot.LastAudit.Arguments.ShouldContain("confirmation requested");
    }

    [Fact]
    public async Task ConfirmRunsTheActionAndUpdatesTheConfirmationCard()
    {
        await SeedVipAsync();
        Reply confirmation = (await Bot.SayAsync("vip remove jane.doe@corp.test", CommandHarness.Responder)).Single;

        RecordingResponder replies = await PressConfirmAsync(confirmation, CommandHarness.Responder);

        Reply result = replies.Single;
        result.Kind.ShouldBe(ReplyKind.Updated);
        result.MessageId.ShouldBe(confirmation.MessageId);
        result.Text.ShouldContain("VIP removed");
        (await Bot.Vips.ListAsync(CancellationToken.None)).ShouldBeEmpty();
        Bot.LastAudit.Command.ShouldBe("vip remove");
        Bot.LastAudit.Arguments.ShouldContain("confirm pressed");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task AnotherResponderCannotConfirmAndTheCardStays()
    {
        await SeedVipAsync();
        Reply confirmation = (await Bot.SayAsync("vip remove jane.doe@corp.test", CommandHarness.Responder)).Single;

        RecordingResponder stranger = await PressConfirmAsync(confirmation, CommandHarness.OtherResponder);

        stranger.Single.Kind.ShouldBe(ReplyKind.Private);
        stranger.Single.Text.ShouldContain("Only the person who asked");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Denied);
        (await Bot.Vips.ListAsync(CancellationToken.None)).Count.ShouldBe(1);

        // Still pending for the requester.
        RecordingResponder owner = await PressConfirmAsync(confirmation, CommandHarness.Responder);
        owner.Single.Text.ShouldContain("VIP removed");
    }

    [Fact]
    public async Task ConfirmWorksOnce()
    {
        await SeedVipAsync();
        Reply confirmation = (await Bot.SayAsync("vip remove jane.doe@corp.test", CommandHarness.Responder)).Single;
        await PressConfirmAsync(confirmation, CommandHarness.Responder);

        RecordingResponder again = await PressConfirmAsync(confirmation, CommandHarness.Responder);

        again.Single.Kind.ShouldBe(ReplyKind.Private);
        again.Single.Text.ShouldContain("expired or was already used");
    }

    [Fact]
    public async Task AConfirmationExpires()
    {
        await SeedVipAsync();
        Reply confirmation = (await Bot.SayAsync("vip remove jane.doe@corp.test", CommandHarness.Responder)).Single;
        Bot.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        RecordingResponder late = await PressConfirmAsync(confirmation, CommandHarness.Responder);

        late.Single.Text.ShouldContain("expired or was already used");
        (await Bot.Vips.ListAsync(CancellationToken.None)).Count.ShouldBe(1);
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }

    [Fact]
    public async Task CancelLeavesEverythingAsItWas()
    {
        await SeedVipAsync();
        Reply confirmation = (await Bot.SayAsync("vip remove jane.doe@corp.test", CommandHarness.Responder)).Single;
        AdaptiveSubmitAction cancel = Button(confirmation, CardActions.CancelVerb);

        RecordingResponder replies = await Bot.PressAsync(CardActions.CancelVerb, CommandHarness.Responder, Args(cancel), confirmation.MessageId);

        replies.Single.Kind.ShouldBe(ReplyKind.Updated);
        replies.Single.Text.ShouldContain("cancelled");
        (await Bot.Vips.ListAsync(CancellationToken.None)).Count.ShouldBe(1);
        (await PressConfirmAsync(confirmation, CommandHarness.Responder)).Single.Text.ShouldContain("expired or was already used");
    }

    [Fact]
    public async Task RemovingAnAddressThatIsNotListedSaysSo()
    {
        Reply confirmation = (await Bot.SayAsync("vip remove nobody@corp.test", CommandHarness.Responder)).Single;

        RecordingResponder replies = await PressConfirmAsync(confirmation, CommandHarness.Responder);

        replies.Single.Text.ShouldContain("not on the VIP list");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }

    private Task<RecordingResponder> PressConfirmAsync(Reply confirmation, string actor) =>
        Bot.PressAsync(CardActions.ConfirmVerb, actor, Args(ConfirmButton(confirmation)), confirmation.MessageId);

    private static AdaptiveSubmitAction ConfirmButton(Reply card) => Button(card, CardActions.ConfirmVerb);

    private static AdaptiveSubmitAction Button(Reply card, string verb) =>
        AllActions(card.Card!).OfType<AdaptiveSubmitAction>().Single(a => a.Data is { } d && d[CardActions.VerbKey] == verb);

    private static IEnumerable<AdaptiveAction> AllActions(AdaptiveCard card) =>
        card.Actions.Concat(card.Body.OfType<AdaptiveActionSet>().SelectMany(s => s.Actions));

    // The channel glue hands the button's data without its verb to the command layer.
    private static Dictionary<string, string> Args(AdaptiveSubmitAction button) =>
        button.Data!.Where(kv => kv.Key != CardActions.VerbKey).ToDictionary(kv => kv.Key, kv => kv.Value);
}

public sealed class PendingConfirmationLimitTests : HarnessTest
{
    [Fact]
    public async Task OneRequesterCannotPileUpConfirmations()
    {
        for (int i = 0; i < ChatOpsBot.Commands.Confirmation.PendingConfirmations.MaxPendingPerActor; i++)
        {
            (await Bot.SayAsync($"vip remove vip{i}@corp.test", CommandHarness.Responder)).Single.Kind.ShouldBe(ReplyKind.Sent);
        }

        RecordingResponder refused = await Bot.SayAsync("vip remove one-more@corp.test", CommandHarness.Responder);
        RecordingResponder other = await Bot.SayAsync("vip remove one-more@corp.test", CommandHarness.OtherResponder);

        refused.Single.Kind.ShouldBe(ReplyKind.Private);
        refused.Single.Text.ShouldContain("Too many actions are waiting for confirmation");
        other.Single.Kind.ShouldBe(ReplyKind.Sent);
    }
}
