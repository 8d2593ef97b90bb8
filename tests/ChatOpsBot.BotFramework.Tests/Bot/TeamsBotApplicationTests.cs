using System.Text.Json;
using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.BotFramework.Testing;
using ChatOpsBot.BotFramework.Tests.Schema;

namespace ChatOpsBot.BotFramework.Tests.Bot;

public sealed class TeamsBotApplicationTests
{
    [Fact]
    public async Task The_first_registered_pattern_matching_the_text_handles_it_case_insensitively()
    {
        TeamsBotApplication bot = new TeamsBotApplication()
            .OnMessage("^help$", (ctx, ct) => ctx.SendActivityAsync("help card", ct))
            .OnMessage("^audit", (ctx, ct) => ctx.SendActivityAsync("audit: " + ctx.Text, ct))
            .OnMessage("^audit config$", (ctx, ct) => ctx.SendActivityAsync("never reached", ct))
            .OnMessage((ctx, ct) => ctx.SendActivityAsync("unknown command", ct));

        await new TestFlow(new TestAdapter(), bot)
            .Send("HELP").AssertReply("help card")
            .Send("audit config").AssertReply("audit: audit config")
            .Send("what?").AssertReply("unknown command")
            .StartTestAsync();
    }

    [Fact]
    public async Task A_regex_route_is_made_case_insensitive_too()
    {
        TeamsBotApplication bot = new TeamsBotApplication()
            .OnMessage(new System.Text.RegularExpressions.Regex("^decode (?<url>\\S+)$"), (ctx, ct) => ctx.SendActivityAsync("decoding", ct));

        await new TestFlow(new TestAdapter(), bot).Send("DECODE https://x").AssertReply("decoding").StartTestAsync();
    }

    [Fact]
    public async Task Without_a_matching_route_or_fallback_a_message_gets_no_answer()
    {
        TeamsBotApplication bot = new TeamsBotApplication().OnMessage("^help$", (ctx, ct) => ctx.SendActivityAsync("help", ct));

        await new TestFlow(new TestAdapter(), bot).Send("nothing").AssertNoReply().StartTestAsync();
    }

    [Fact]
    public async Task In_a_channel_the_bots_mention_is_stripped_before_routing()
    {
        var adapter = new TestAdapter(TestConversation.Channel());
        TeamsBotApplication bot = new TeamsBotApplication()
            .OnMessage("^help$", (ctx, ct) => ctx.SendActivityAsync($"[{ctx.Text}] raw [{ctx.Activity.Text}]", ct));

        await new TestFlow(adapter, bot)
            .Send("help")
            .AssertReply("[help] raw [<at>ChatOpsBot</at> help]")
            .StartTestAsync();
    }

    [Fact]
    public void The_captured_channel_message_loses_only_the_bots_mention()
    {
        Activity activity = JsonSerializer.Deserialize<Activity>(Samples.Read("teams-channel-message-with-mention.json"), BotJson.Options)!;
        var context = new TurnContext(new TestAdapter(), activity);

        context.Text.ShouldBe("reply to thread");
    }

    [Fact]
    public void Mentions_of_other_people_stay_in_the_text()
    {
        var adapter = new TestAdapter(TestConversation.GroupChat());
        Activity activity = adapter.MakeMessage("block <at>Mallory</at>");
        activity.Entities!.Add(new Mention(new ChannelAccount("29:mallory", "Mallory"), "<at>Mallory</at>").ToEntity());

        new TurnContext(adapter, activity).Text.ShouldBe("block <at>Mallory</at>");
    }

    [Fact]
    public void A_mention_of_someone_named_like_the_bot_is_not_stripped()
    {
        var adapter = new TestAdapter(TestConversation.Personal());
        Activity activity = adapter.MakeMessage("<at>ChatOpsBot</at> help");
        activity.Entities = [new Mention(new ChannelAccount("29:impostor", "ChatOpsBot"), "<at>ChatOpsBot</at>").ToEntity()];

        new TurnContext(adapter, activity).Text.ShouldBe("<at>ChatOpsBot</at> help");
    }

    [Fact]
    public void In_personal_chat_the_text_is_only_trimmed()
    {
        var adapter = new TestAdapter(TestConversation.Personal());
        Activity activity = adapter.MakeMessage("  status  ");

        activity.Text.ShouldBe("  status  ");
        new TurnContext(adapter, activity).Text.ShouldBe("status");
    }

    [Fact]
    public void A_mention_entity_without_text_is_removed_by_the_bots_name()
    {
        var adapter = new TestAdapter(TestConversation.Channel());
        Activity activity = adapter.MakeMessage("help");
        activity.Entities = [new Mention(adapter.Conversation.Bot, null).ToEntity()];

        new TurnContext(adapter, activity).Text.ShouldBe("help");
    }

    [Fact]
    public async Task Action_submit_reaches_the_card_action_handler_as_a_non_invoke_with_its_verb_and_data()
    {
        CardAction? received = null;
        TeamsBotApplication bot = new TeamsBotApplication()
            .OnMessage((ctx, ct) => ctx.SendActivityAsync("fallback", ct))
            .OnCardAction((ctx, action, ct) =>
            {
                received = action;
                return Task.FromResult<AdaptiveCardInvokeResponse?>(AdaptiveCardInvokeResponse.Message("ignored for submit"));
            });
        var adapter = new TestAdapter();

        await new TestFlow(adapter, bot)
            .SendCardAction(new { verb = "block_sender", sender = "evil@example.com", id_text = "30" }, cardActivityId: "card-7")
            .AssertNoReply()
            .StartTestAsync();

        received.ShouldNotBeNull();
        received.IsInvoke.ShouldBeFalse();
        received.Verb.ShouldBe("block_sender");
        received.Data.GetProperty("sender").GetString().ShouldBe("evil@example.com");
        received.CardActivityId.ShouldBe("card-7");
        received.Actor!.Id.ShouldBe(adapter.Conversation.User.Id);
    }

    [Fact]
    public async Task Action_execute_reaches_the_same_handler_and_its_card_result_is_the_invoke_response()
    {
        CardAction? received = null;
        JsonElement newCard = JsonSerializer.SerializeToElement(new { type = "AdaptiveCard", version = "1.5" });
        TeamsBotApplication bot = new TeamsBotApplication().OnCardAction((ctx, action, ct) =>
        {
            received = action;
            return Task.FromResult<AdaptiveCardInvokeResponse?>(AdaptiveCardInvokeResponse.Card(newCard));
        });

        await new TestFlow(new TestAdapter(), bot)
            .SendInvoke("adaptiveCard/action", new { action = new { type = "Action.Execute", verb = "refresh", data = new { page = 2 } }, trigger = "manual" })
            .AssertInvokeResponse(response =>
            {
                response.Status.ShouldBe(200);
                var body = response.Body.ShouldBeOfType<AdaptiveCardInvokeResponse>();
                body.StatusCode.ShouldBe(200);
                body.Type.ShouldBe("application/vnd.microsoft.card.adaptive");
            })
            .StartTestAsync();

        received.ShouldNotBeNull();
        received.IsInvoke.ShouldBeTrue();
        received.Verb.ShouldBe("refresh");
        received.Data.GetProperty("page").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task The_captured_action_execute_invoke_reaches_the_handler()
    {
        Activity invoke = JsonSerializer.Deserialize<Activity>(Samples.Read("teams-adaptivecard-action-invoke.json"), BotJson.Options)!;
        CardAction? received = null;
        TeamsBotApplication bot = new TeamsBotApplication().OnCardAction((ctx, action, ct) =>
        {
            received = action;
            return Task.FromResult<AdaptiveCardInvokeResponse?>(AdaptiveCardInvokeResponse.Message("Thanks"));
        });

        InvokeResponse? response = await new TestAdapter().ProcessActivityAsync(invoke, bot);

        received!.Data.GetProperty("feedback").GetString().ShouldBe("test invokes");
        received.CardActivityId.ShouldBe("1767765488332");
        response!.Status.ShouldBe(200);
        response.Body.ShouldBe(AdaptiveCardInvokeResponse.Message("Thanks"));
    }

    [Fact]
    public async Task An_execute_handler_with_nothing_to_say_answers_with_a_message()
    {
        TeamsBotApplication bot = new TeamsBotApplication().OnCardAction((ctx, action, ct) => Task.FromResult<AdaptiveCardInvokeResponse?>(null));

        await new TestFlow(new TestAdapter(), bot)
            .SendInvoke("adaptiveCard/action", new { action = new { type = "Action.Execute", verb = "ack" } })
            .AssertInvokeResponse(r => r.Body.ShouldBe(AdaptiveCardInvokeResponse.Message(TeamsBotApplication.DefaultExecuteMessage)))
            .StartTestAsync();
    }

    [Fact]
    public async Task A_card_action_invoke_without_an_action_is_answered_with_a_400_error_body()
    {
        bool called = false;
        TeamsBotApplication bot = new TeamsBotApplication().OnCardAction((ctx, action, ct) =>
        {
            called = true;
            return Task.FromResult<AdaptiveCardInvokeResponse?>(null);
        });

        await new TestFlow(new TestAdapter(), bot)
            .SendInvoke("adaptiveCard/action", new { trigger = "manual" })
            .AssertInvokeResponse(r =>
            {
                r.Status.ShouldBe(200);
                var body = r.Body.ShouldBeOfType<AdaptiveCardInvokeResponse>();
                body.StatusCode.ShouldBe(400);
                body.Type.ShouldBe("application/vnd.microsoft.error");
            })
            .StartTestAsync();

        called.ShouldBeFalse();
    }

    [Fact]
    public async Task An_invoke_nobody_handles_is_answered_501()
    {
        TeamsBotApplication bot = new TeamsBotApplication().OnMessage((ctx, ct) => Task.CompletedTask);

        await new TestFlow(new TestAdapter(), bot)
            .SendInvoke("composeExtension/query", new { })
            .AssertInvokeResponse(r =>
            {
                r.Status.ShouldBe(501);
                r.Body.ShouldBeNull();
            })
            .SendInvoke("adaptiveCard/action", new { action = new { type = "Action.Execute", verb = "x" } })
            .AssertInvokeResponse(r => r.Status.ShouldBe(501))
            .StartTestAsync();
    }

    [Fact]
    public async Task A_named_invoke_handler_answers_its_invokes()
    {
        TeamsBotApplication bot = new TeamsBotApplication()
            .OnInvoke("fileConsent/invoke", (ctx, ct) => Task.FromResult(new InvokeResponse(200)));

        await new TestFlow(new TestAdapter(), bot)
            .SendInvoke("fileConsent/invoke", new { action = "decline" })
            .AssertInvokeResponse(r => r.Status.ShouldBe(200))
            .SendInvoke("fileconsent/invoke", new { action = "decline" })
            .AssertInvokeResponse(r => r.Status.ShouldBe(501))
            .StartTestAsync();
    }

    [Theory]
    [InlineData("teams-installationUpdate-add-team.json", 1, 0)]
    [InlineData("teams-conversationUpdate-bot-added-to-team.json", 1, 1)]
    public async Task Install_fires_once_per_install_activity(string sample, int installs, int conversationUpdates)
    {
        int installCount = 0;
        int updateCount = 0;
        TeamsBotApplication bot = new TeamsBotApplication()
            .OnInstall((ctx, ct) => Task.FromResult(++installCount))
            .OnConversationUpdate((ctx, ct) => Task.FromResult(++updateCount));
        Activity activity = JsonSerializer.Deserialize<Activity>(Samples.Read(sample), BotJson.Options)!;

        await new TestAdapter().ProcessActivityAsync(activity, bot);

        installCount.ShouldBe(installs);
        updateCount.ShouldBe(conversationUpdates);
    }

    [Fact]
    public async Task Install_fires_once_when_the_bot_and_the_user_are_added_to_a_personal_chat()
    {
        int installCount = 0;
        TeamsBotApplication bot = new TeamsBotApplication().OnInstall((ctx, ct) => Task.FromResult(++installCount));
        Activity activity = JsonSerializer.Deserialize<Activity>(Samples.Read("teams-conversationUpdate-bot-added-personal.json"), BotJson.Options)!;
        // The published sample has placeholders ("28:<BOT ID>") where the recipient should be the added bot.
        activity.Recipient = new ChannelAccount(activity.MembersAdded![0].Id!, "ChatOpsBot");

        await new TestAdapter().ProcessActivityAsync(activity, bot);

        activity.MembersAdded.Count.ShouldBe(2);
        installCount.ShouldBe(1);
    }

    [Theory]
    [InlineData("remove")]
    [InlineData("add-upgrade")]
    [InlineData("remove-upgrade")]
    public async Task Other_installation_updates_are_not_installs(string action)
    {
        int installCount = 0;
        TeamsBotApplication bot = new TeamsBotApplication().OnInstall((ctx, ct) => Task.FromResult(++installCount));
        var adapter = new TestAdapter();
        Activity activity = adapter.MakeActivity(ActivityTypes.InstallationUpdate);
        activity.Action = action;

        await adapter.ProcessActivityAsync(activity, bot);

        installCount.ShouldBe(0);
    }

    [Fact]
    public async Task A_conversation_update_adding_only_users_is_not_an_install()
    {
        int installCount = 0;
        int updateCount = 0;
        TeamsBotApplication bot = new TeamsBotApplication()
            .OnInstall((ctx, ct) => Task.FromResult(++installCount))
            .OnConversationUpdate((ctx, ct) => Task.FromResult(++updateCount));
        var adapter = new TestAdapter(TestConversation.Channel());
        Activity activity = adapter.MakeActivity(ActivityTypes.ConversationUpdate);
        activity.MembersAdded = [new ChannelAccount("29:new-analyst"), new ChannelAccount("29:another")];

        await adapter.ProcessActivityAsync(activity, bot);

        installCount.ShouldBe(0);
        updateCount.ShouldBe(1);
    }

    [Fact]
    public async Task A_personal_file_message_reaches_the_file_handler_without_inline_images_or_html()
    {
        IReadOnlyList<TeamsFile>? files = null;
        TeamsBotApplication bot = new TeamsBotApplication()
            .OnFile((ctx, f, ct) =>
            {
                files = f;
                return Task.CompletedTask;
            })
            .OnMessage((ctx, ct) => ctx.SendActivityAsync("text", ct));
        var adapter = new TestAdapter(TestConversation.Personal());
        Activity activity = adapter.MakeMessage(string.Empty);
        List<Attachment> attachments = [.. JsonSerializer.Deserialize<Activity>(Samples.Read("teams-file-attachment-personal.fragment.json"), BotJson.Options)!.Attachments!];
        attachments.Add(new Attachment { ContentType = "image/png", ContentUrl = "https://smba.trafficmanager.net/amer/v3/attachments/1/views/original" });
        attachments.Add(new Attachment { ContentType = "text/html", Content = JsonSerializer.SerializeToElement("<p>file</p>") });
        activity.Attachments = attachments;

        await new TestFlow(adapter, bot).Send(activity).AssertNoReply().StartTestAsync();

        files.ShouldNotBeNull();
        TeamsFile file = files.ShouldHaveSingleItem();
        file.Name.ShouldBe("file_example.txt");
        file.DownloadInfo.DownloadUrl.ShouldBe("https://download.link");
        file.DownloadInfo.FileType.ShouldBe("txt");
    }

    [Fact]
    public async Task An_inline_image_alone_is_an_ordinary_message()
    {
        bool fileHandlerCalled = false;
        TeamsBotApplication bot = new TeamsBotApplication()
            .OnFile((ctx, f, ct) =>
            {
                fileHandlerCalled = true;
                return Task.CompletedTask;
            })
            .OnMessage((ctx, ct) => ctx.SendActivityAsync("text: " + ctx.Text, ct));
        var adapter = new TestAdapter();
        Activity activity = adapter.MakeMessage("look");
        activity.Attachments = [new Attachment { ContentType = "image/png", ContentUrl = "https://smba.trafficmanager.net/amer/v3/attachments/1/views/original" }];

        await new TestFlow(adapter, bot).Send(activity).AssertReply("text: look").StartTestAsync();

        fileHandlerCalled.ShouldBeFalse();
    }

    [Fact]
    public async Task File_attachments_outside_personal_chat_do_not_reach_the_file_handler()
    {
        bool fileHandlerCalled = false;
        TeamsBotApplication bot = new TeamsBotApplication()
            .OnFile((ctx, f, ct) =>
            {
                fileHandlerCalled = true;
                return Task.CompletedTask;
            })
            .OnMessage((ctx, ct) => ctx.SendActivityAsync("text", ct));
        var adapter = new TestAdapter(TestConversation.Channel());
        Activity activity = adapter.MakeMessage("see file");
        activity.Attachments = JsonSerializer.Deserialize<Activity>(Samples.Read("teams-file-attachment-personal.fragment.json"), BotJson.Options)!.Attachments;

        await new TestFlow(adapter, bot).Send(activity).AssertReply("text").StartTestAsync();

        fileHandlerCalled.ShouldBeFalse();
    }

    [Fact]
    public async Task A_pathological_pattern_times_out_as_no_match_instead_of_stalling()
    {
        TeamsBotApplication bot = new TeamsBotApplication()
            .OnMessage("^(a+)+$", (ctx, ct) => ctx.SendActivityAsync("matched", ct))
            .OnMessage((ctx, ct) => ctx.SendActivityAsync("fallback", ct));

        await new TestFlow(new TestAdapter(), bot)
            .Send(new string('a', 40) + "!")
            .AssertReply("fallback")
            .StartTestAsync();
    }
}
