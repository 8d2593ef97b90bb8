using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.BotFramework.Testing;

namespace ChatOpsBot.BotFramework.Tests.Testing;

public sealed class TestFlowTests
{
    [Fact]
    public async Task Replies_are_recorded_in_order_with_ids_and_addressed_to_the_turns_conversation()
    {
        var adapter = new TestAdapter(TestConversation.Channel());
        Activity? incoming = null;

        await new TestFlow(adapter, async (ctx, ct) =>
            {
                incoming = ctx.Activity;
                await ctx.SendTypingAsync(ct);
                ResourceResponse first = await ctx.SendActivityAsync("working", ct);
                await ctx.SendActivityAsync("done", ct);
                await ctx.UpdateActivityAsync(new Activity { Id = first.Id, Type = ActivityTypes.Message, Text = "worked" }, ct);
                await ctx.DeleteActivityAsync(first.Id!, ct);
            })
            .Send("audit")
            .AssertTyping()
            .AssertReply(a =>
            {
                a.Id.ShouldBe("activity-2");
                a.Text.ShouldBe("working");
                a.ReplyToId.ShouldBe(incoming!.Id);
                a.Conversation!.Id.ShouldBe(adapter.Conversation.Conversation.Id);
                a.From!.Id.ShouldBe(adapter.Conversation.Bot.Id);
                a.Recipient!.Id.ShouldBe(adapter.Conversation.User.Id);
                a.ServiceUrl.ShouldBe(adapter.Conversation.ServiceUrl);
            })
            .AssertReply("done")
            .AssertUpdate(a =>
            {
                a.Id.ShouldBe("activity-2");
                a.Text.ShouldBe("worked");
            })
            .AssertDelete("activity-2")
            .AssertNoReply()
            .StartTestAsync();
    }

    [Fact]
    public async Task A_missing_reply_fails_with_a_clear_message_after_the_timeout_instead_of_hanging()
    {
        var adapter = new TestAdapter { ReplyTimeout = TimeSpan.FromMilliseconds(50) };

        TestFlowException failure = await Should.ThrowAsync<TestFlowException>(
            new TestFlow(adapter, (ctx, ct) => Task.CompletedTask).Send("help").AssertReply("help card").StartTestAsync());

        failure.Message.ShouldContain("Expected a message, but the bot sent nothing within");
    }

    [Fact]
    public async Task A_wrong_reply_text_fails_naming_both_texts()
    {
        TestFlowException failure = await Should.ThrowAsync<TestFlowException>(
            new TestFlow(new TestAdapter(), (ctx, ct) => ctx.SendActivityAsync("nope", ct)).Send("help").AssertReply("help card").StartTestAsync());

        failure.Message.ShouldBe("Expected the reply \"help card\", but the bot said \"nope\".");
    }

    [Fact]
    public async Task An_unasserted_reply_fails_assert_no_reply()
    {
        await Should.ThrowAsync<TestFlowException>(
            new TestFlow(new TestAdapter(), (ctx, ct) => ctx.SendActivityAsync("surprise", ct)).Send("hi").AssertNoReply().StartTestAsync());
    }

    [Fact]
    public async Task Assert_reply_refuses_a_typing_indicator()
    {
        await Should.ThrowAsync<TestFlowException>(
            new TestFlow(new TestAdapter(), (ctx, ct) => ctx.SendTypingAsync(ct)).Send("hi").AssertReply(_ => { }).StartTestAsync());
    }

    [Fact]
    public async Task Assert_update_refuses_a_new_message()
    {
        await Should.ThrowAsync<TestFlowException>(
            new TestFlow(new TestAdapter(), (ctx, ct) => ctx.SendActivityAsync("new", ct)).Send("hi").AssertUpdate(_ => { }).StartTestAsync());
    }

    [Fact]
    public async Task An_invoke_response_assertion_needs_an_invoke_first()
    {
        await Should.ThrowAsync<TestFlowException>(
            new TestFlow(new TestAdapter(), (ctx, ct) => Task.CompletedTask).Send("hi").AssertInvokeResponse(_ => { }).StartTestAsync());
    }

    [Fact]
    public async Task A_reply_sent_after_the_turn_returned_is_still_awaited()
    {
        var adapter = new TestAdapter();
        TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Task? background = null;

        await new TestFlow(adapter, (ctx, ct) =>
            {
                ConversationReference reference = ctx.ConversationReference;
                background = Task.Run(async () =>
                {
                    await started.Task;
                    await adapter.ContinueConversationAsync(reference, (proactive, token) => proactive.SendActivityAsync("report ready", token), CancellationToken.None);
                }, CancellationToken.None);
                started.SetResult();
                return Task.CompletedTask;
            })
            .Send("analyze")
            .AssertReply("report ready")
            .StartTestAsync();

        await background!;
    }

    [Fact]
    public async Task A_proactive_continuation_posts_to_the_stored_conversation()
    {
        var adapter = new TestAdapter(TestConversation.Personal());
        ConversationReference reference = TestConversation.Channel().ToReference();

        await new TestFlow(adapter, (ctx, ct) => Task.CompletedTask)
            .ContinueConversation(reference, async (ctx, ct) =>
            {
                ctx.Activity.Type.ShouldBe(ActivityTypes.Event);
                ctx.Activity.Name.ShouldBe(ActivityNames.ContinueConversation);
                await ctx.SendActivityAsync("URL now malicious", ct);
            })
            .AssertReply(a =>
            {
                a.Text.ShouldBe("URL now malicious");
                a.Conversation!.Id.ShouldBe(reference.Conversation!.Id);
                a.ServiceUrl.ShouldBe(reference.ServiceUrl);
                a.From!.Id.ShouldBe(reference.Bot!.Id);
                a.ReplyToId.ShouldBeNull();
            })
            .StartTestAsync();
    }

    [Fact]
    public async Task A_proactive_continuation_of_a_reference_with_an_activity_id_replies_to_it()
    {
        var adapter = new TestAdapter();
        ConversationReference reference = adapter.Conversation.ToReference() with { ActivityId = "1759881511856" };

        await new TestFlow(adapter, (ctx, ct) => Task.CompletedTask)
            .ContinueConversation(reference, (ctx, ct) => ctx.SendActivityAsync("in thread", ct))
            .AssertReply(a => a.ReplyToId.ShouldBe("1759881511856"))
            .StartTestAsync();
    }

    [Fact]
    public async Task Card_actions_target_the_bots_last_card_by_default()
    {
        CardAction? received = null;
        TeamsBotApplication bot = new TeamsBotApplication()
            .OnMessage("^alert$", (ctx, ct) => ctx.SendActivityAsync("card", ct))
            .OnCardAction(async (ctx, action, ct) =>
            {
                received = action;
                await ctx.UpdateActivityAsync(new Activity { Id = action.CardActivityId, Text = "acknowledged" }, ct);
                return null;
            });

        await new TestFlow(new TestAdapter(), bot)
            .Send("alert").AssertReply("card")
            .SendCardAction(new { verb = "ack" })
            .AssertUpdate(a =>
            {
                a.Id.ShouldBe("activity-1");
                a.Text.ShouldBe("acknowledged");
            })
            .StartTestAsync();

        received!.CardActivityId.ShouldBe("activity-1");
    }

    [Fact]
    public async Task Created_conversations_are_recorded_and_continued()
    {
        var adapter = new TestAdapter();
        ConversationReference? created = null;

        await new TestFlow(adapter, async (ctx, ct) =>
            {
                created = await ctx.Adapter.CreateConversationAsync(
                    ctx.Activity.ServiceUrl!,
                    ConversationParameters.ForPersonalChat(adapter.Conversation.Bot, new ChannelAccount("29:analyst"), TestConversation.DefaultTenantId),
                    (proactive, token) => proactive.SendActivityAsync("hello analyst", token),
                    ct);
            })
            .Send("dm analyst")
            .AssertReply(a =>
            {
                a.Text.ShouldBe("hello analyst");
                a.Conversation!.Id.ShouldBe(created!.Conversation!.Id);
                a.Recipient!.Id.ShouldBe("29:analyst");
            })
            .StartTestAsync();

        TestCreatedConversation record = adapter.CreatedConversations.ShouldHaveSingleItem();
        record.Parameters.TenantId.ShouldBe(TestConversation.DefaultTenantId);
        created!.Conversation!.ConversationType.ShouldBe(ConversationTypes.Personal);
    }

    [Fact]
    public async Task A_new_channel_thread_posts_its_first_message_in_the_thread()
    {
        var adapter = new TestAdapter();
        const string Channel = "19:alerts@thread.tacv2";

        await new TestFlow(adapter, (ctx, ct) => ctx.Adapter.CreateConversationAsync(
                ctx.Activity.ServiceUrl!,
                ConversationParameters.ForChannelThread(Channel, TestConversation.DefaultTenantId, Activity.CreateMessageActivity("New alert")),
                null,
                ct))
            .Send("post alert")
            .AssertReply(a =>
            {
                a.Text.ShouldBe("New alert");
                a.Conversation!.Id.ShouldStartWith(Channel + ";messageid=");
            })
            .StartTestAsync();
    }

    [Fact]
    public async Task A_bot_exception_fails_the_flow_as_it_is()
    {
        await Should.ThrowAsync<InvalidOperationException>(
            new TestFlow(new TestAdapter(), (ctx, ct) => throw new InvalidOperationException("bug")).Send("hi").StartTestAsync());
    }
}
