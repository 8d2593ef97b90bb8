using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.BotFramework.Testing;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Teams;

namespace ChatOpsBot.Tests.Teams;

public sealed class TeamsChatResponderTests
{
    private static readonly AdaptiveCard s_progress = ProgressCard.Build("the message");
    private static readonly AdaptiveCard s_notice = NoticeCard.Build("Done", "All good.");

    [Fact]
    public async Task Cards_are_sent_as_full_width_adaptive_card_messages_and_updated_in_place_by_id()
    {
        var adapter = new TestAdapter();
        var responder = new TeamsChatResponder(adapter, adapter.Conversation.ToReference());

        await responder.SendTypingAsync(CancellationToken.None);
        string id = await responder.SendCardAsync(s_progress, CancellationToken.None);
        await responder.UpdateCardAsync(id, s_notice, CancellationToken.None);

        TestOutbound[] history = [.. adapter.History];
        history.Length.ShouldBe(3);
        history[0].Activity.Type.ShouldBe(ActivityTypes.Typing);
        history[1].Kind.ShouldBe(TestOutboundKind.Sent);
        history[1].Activity.Id.ShouldBe(id);
        Attachment sent = history[1].Activity.Attachments.ShouldHaveSingleItem();
        sent.ContentType.ShouldBe(AdaptiveCard.ContentType);
        sent.Content!.Value.GetProperty("msteams").GetProperty("width").GetString().ShouldBe("Full");
        history[1].Activity.Summary.ShouldBe(s_progress.FallbackText);
        history[2].Kind.ShouldBe(TestOutboundKind.Updated);
        history[2].Activity.Id.ShouldBe(id);
        history[2].Activity.Attachments![0].Content!.Value.GetRawText().ShouldContain("All good.");
    }

    [Fact]
    public async Task With_an_activity_id_in_the_reference_messages_reply_to_it_and_without_one_they_are_new_posts()
    {
        var adapter = new TestAdapter();
        ConversationReference reference = adapter.Conversation.ToReference();

        await new TeamsChatResponder(adapter, reference with { ActivityId = "1777000000005" }).SendCardAsync(s_notice, CancellationToken.None);
        await new TeamsChatResponder(adapter, reference).SendPrivateCardAsync(s_notice, CancellationToken.None);

        adapter.History[0].Activity.ReplyToId.ShouldBe("1777000000005");
        adapter.History[1].Activity.ReplyToId.ShouldBeNull();
        adapter.History.ShouldAllBe(o => o.Activity.Conversation!.Id == adapter.Conversation.Conversation.Id);
    }

    [Fact]
    public async Task It_keeps_working_after_the_turn_that_created_it_has_ended()
    {
        var adapter = new TestAdapter();
        TeamsChatResponder? responder = null;
        await adapter.ProcessActivityAsync(adapter.MakeMessage("help"), new CapturingBot(turn => responder = new TeamsChatResponder(turn.Adapter, turn.ConversationReference)));

        string id = await responder!.SendCardAsync(s_notice, CancellationToken.None);

        id.ShouldNotBeNullOrEmpty();
        adapter.History.ShouldHaveSingleItem().Activity.ReplyToId.ShouldStartWith("incoming-");
    }

    [Fact]
    public async Task An_update_needs_a_message_id()
    {
        var responder = new TeamsChatResponder(new TestAdapter(), TestConversation.Personal().ToReference());

        await Should.ThrowAsync<ArgumentException>(() => responder.UpdateCardAsync(string.Empty, s_notice, CancellationToken.None));
    }

    private sealed class CapturingBot(Action<ChatOpsBot.BotFramework.Bot.ITurnContext> capture) : ChatOpsBot.BotFramework.Bot.IBot
    {
        public Task OnTurnAsync(ChatOpsBot.BotFramework.Bot.ITurnContext turnContext, CancellationToken cancellationToken)
        {
            capture(turnContext);
            return Task.CompletedTask;
        }
    }
}
