using System.Text.Json;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.BotFramework.Testing;
using ChatOpsBot.BotFramework.Tests.Connector;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Support;
using ChatOpsBot.Tests.Teams.Support;

namespace ChatOpsBot.Tests.Teams;

/// <summary>
/// The Teams glue in <see cref="TestAdapter"/> conversations, no HTTP: every kind of turn becomes a request for the
/// command layer, and its answers come back into the conversation as Adaptive Card messages.
/// </summary>
public sealed class TeamsBotConversationTests : IAsyncLifetime
{
    private const string ReaderId = "0d6e8f2a-1b3c-4d5e-8f7a-9b0c1d2e3f4a";

    private TeamsBotHarness _harness = null!;
    private FakeHttpServer? _files;

    public async Task InitializeAsync() => _harness = await TeamsBotHarness.StartAsync();

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        if (_files is not null)
        {
            await _files.DisposeAsync();
        }
    }

    [Fact]
    public async Task Help_is_answered_with_a_full_width_help_card_replying_to_the_message()
    {
        var adapter = new TestAdapter();
        Activity help = adapter.MakeMessage("help");

        await new TestFlow(adapter, _harness.Bot)
            .Send(help)
            .AssertTyping()
            .AssertReply(reply =>
            {
                Attachment card = reply.Attachments.ShouldHaveSingleItem();
                card.ContentType.ShouldBe("application/vnd.microsoft.card.adaptive");
                CardText(reply).ShouldContain("ChatOpsBot commands");
                card.Content!.Value.GetProperty("msteams").GetProperty("width").GetString().ShouldBe("Full");
                reply.ReplyToId.ShouldBe(help.Id);
                reply.Summary.ShouldNotBeNullOrWhiteSpace();
            })
            .AssertNoReply()
            .StartTestAsync();
    }

    [Theory]
    [InlineData("/help")]
    [InlineData("help")]
    [InlineData("  HELP ")]
    public async Task In_a_channel_the_mention_and_the_slash_are_stripped(string typed)
    {
        var adapter = new TestAdapter(TestConversation.Channel());

        await new TestFlow(adapter, _harness.Bot)
            .Send(typed)
            .AssertTyping()
            .AssertReply(reply =>
            {
                CardText(reply).ShouldContain("ChatOpsBot commands");
                reply.Conversation!.Id.ShouldBe(adapter.Conversation.Conversation.Id);
            })
            .StartTestAsync();
    }

    [Fact]
    public async Task A_header_block_sent_as_teams_html_keeps_its_lines()
    {
        var adapter = new TestAdapter();
        Activity message = adapter.MakeMessage(string.Empty);
        message.Text = "<p>headers</p><p>Received: from smtp.payroll-update.example (smtp.payroll-update.example [192.0.2.77])</p>"
            + "<p>&nbsp;by mx2.contoso.example; Mon, 11 May 2026 16:02:44 +0000</p><p>From: &quot;Payroll&quot; &lt;payroll@contoso-payroll.example&gt;</p>"
            + "<p>Subject: Updated salary statement</p>";

        await new TestFlow(adapter, _harness.Bot)
            .Send(message)
            .AssertTyping()
            .AssertReply(reply =>
            {
                string card = CardText(reply);
                card.ShouldContain("Headers:");
                card.ShouldContain("Updated salary statement");
                // One hop: the folded "by" line stayed with its Received header.
                card.ShouldContain("Received hops (1, oldest first)");
                card.ShouldContain("payroll@contoso-payroll");
            })
            .StartTestAsync();
    }

    [Fact]
    public async Task A_flattened_text_with_an_html_rendering_is_read_from_the_rendering()
    {
        var adapter = new TestAdapter();
        Activity message = adapter.MakeMessage("headersReceived: from a.example (a.example [192.0.2.1]) by b.exampleSubject: Invoice due");
        message.Attachments =
        [
            new Attachment
            {
                ContentType = "text/html",
                Content = JsonSerializer.SerializeToElement(
                    "<div><div>headers</div><div>Received: from a.example (a.example [192.0.2.1]) by b.example</div><div>Subject: Invoice due</div></div>"),
            },
        ];

        await new TestFlow(adapter, _harness.Bot)
            .Send(message)
            .AssertTyping()
            .AssertReply(reply => CardText(reply).ShouldContain("Invoice due"))
            .StartTestAsync();
    }

    [Fact]
    public async Task A_button_on_the_help_card_is_a_card_action_and_is_answered()
    {
        var adapter = new TestAdapter();

        await new TestFlow(adapter, _harness.Bot)
            .Send("help")
            .AssertTyping()
            .AssertReply(reply => CardText(reply).ShouldContain("ChatOpsBot commands"))
            .SendCardAction(new { verb = "whoami" })
            .AssertTyping()
            .AssertReply(reply =>
            {
                string card = CardText(reply);
                card.ShouldContain("Roles are granted to this id");
                card.ShouldContain(adapter.Conversation.User.AadObjectId!);
                card.ShouldContain("analyst");
            })
            .AssertNoReply()
            .StartTestAsync();
    }

    [Fact]
    public async Task An_action_execute_is_answered_at_once_and_leaves_the_card_as_it_is()
    {
        var adapter = new TestAdapter();

        await new TestFlow(adapter, _harness.Bot)
            .SendInvoke("adaptiveCard/action", new { action = new { type = "Action.Execute", verb = "whoami", data = new { } }, trigger = "manual" }, replyToId: "card-1")
            .AssertInvokeResponse(response =>
            {
                response.Status.ShouldBe(200);
                AdaptiveCardInvokeResponse body = response.Body.ShouldBeOfType<AdaptiveCardInvokeResponse>();
                body.StatusCode.ShouldBe(200);
                body.Type.ShouldBe(AdaptiveCardInvokeResponse.MessageType);
                body.Value.ShouldBe("Working on it…");
            })
            .AssertTyping()
            .AssertReply(reply => CardText(reply).ShouldContain("Roles are granted to this id"))
            .AssertNoReply()
            .StartTestAsync();
    }

    [Fact]
    public async Task A_reader_pressing_a_responder_button_is_refused_in_a_new_message_and_the_card_is_not_updated()
    {
        var adapter = new TestAdapter(TestConversation.Personal() with
        {
            User = new ChannelAccount("29:1reader", "Rita Reader") { AadObjectId = ReaderId },
        });

        await new TestFlow(adapter, _harness.Bot)
            .SendCardAction(new { verb = "vip remove", address = "jane.doe@contoso.example" }, cardActivityId: "activity-with-the-button")
            .AssertTyping()
            .AssertReply(reply =>
            {
                CardText(reply).ShouldContain("Not allowed");
                reply.Id.ShouldNotBe("activity-with-the-button");
            })
            .AssertNoReply()
            .StartTestAsync();
        adapter.History.ShouldNotContain(o => o.Kind == TestOutboundKind.Updated);
        AuditEntry entry = _harness.Audit.Entries.ShouldHaveSingleItem();
        entry.ActorId.ShouldBe(ReaderId);
        entry.Outcome.ShouldBe(AuditOutcome.Denied);
        entry.Command.ShouldBe("vip remove");
    }

    [Fact]
    public async Task An_install_announced_by_both_events_welcomes_once_and_stores_a_reference_without_activity_id()
    {
        var adapter = new TestAdapter();
        Activity installation = adapter.MakeActivity(ActivityTypes.InstallationUpdate);
        installation.Action = InstallationUpdateActions.Add;
        Activity membersAdded = adapter.MakeActivity(ActivityTypes.ConversationUpdate);
        membersAdded.MembersAdded = [adapter.Conversation.User, adapter.Conversation.Bot];
        // A second conversation's install, after both: its welcome leaves the one outbox queue after any repeat.
        Activity otherInstall = adapter.MakeActivity(ActivityTypes.InstallationUpdate);
        otherInstall.Action = InstallationUpdateActions.Add;
        otherInstall.Conversation = new ConversationAccount("a:1another-conversation", ConversationTypes.Personal, TestConversation.DefaultTenantId);

        await new TestFlow(adapter, _harness.Bot)
            .Send(installation)
            .Send(membersAdded)
            .Send(otherInstall)
            .AssertReply(welcome =>
            {
                CardText(welcome).ShouldContain("I am ChatOpsBot");
                CardText(welcome).ShouldContain("Hello, Test User!");
                welcome.Conversation!.Id.ShouldBe(adapter.Conversation.Conversation.Id);
                welcome.ReplyToId.ShouldBeNull("a welcome is a new post");
            })
            .AssertReply(welcome => welcome.Conversation!.Id.ShouldBe("a:1another-conversation"))
            .AssertNoReply()
            .StartTestAsync();

        StoredConversation stored = (await _harness.Conversations.GetAsync("msteams", adapter.Conversation.Conversation.Id!, CancellationToken.None)).ShouldNotBeNull();
        ConversationReference reference = JsonSerializer.Deserialize<ConversationReference>(stored.ReferenceJson, BotJson.Options)!;
        reference.ActivityId.ShouldBeNull();
        reference.ServiceUrl.ShouldBe(adapter.Conversation.ServiceUrl);
        reference.Bot!.Id.ShouldBe(adapter.Conversation.Bot.Id);
        stored.TenantId.ShouldBe(TestConversation.DefaultTenantId);
    }

    [Fact]
    public async Task A_welcome_in_a_channel_greets_no_one_by_name_and_lists_what_everyone_may_do()
    {
        var adapter = new TestAdapter(TestConversation.Channel());
        Activity installation = adapter.MakeActivity(ActivityTypes.InstallationUpdate);
        installation.Action = InstallationUpdateActions.Add;

        await new TestFlow(adapter, _harness.Bot)
            .Send(installation)
            .AssertReply(welcome =>
            {
                string card = CardText(welcome);
                card.ShouldContain("Hello!");
                card.ShouldNotContain("Test User");
                card.ShouldNotContain("metrics", Case.Sensitive);
            })
            .StartTestAsync();
    }

    [Fact]
    public async Task A_personal_file_is_downloaded_only_when_the_command_reads_it_and_then_analysed()
    {
        await using TeamsBotHarness harness = await TeamsBotHarness.StartAsync(settings =>
        {
            settings["Bot:Files:AllowedHosts:0"] = "127.0.0.1";
            settings["Bot:Files:AllowHttpForTests"] = "true";
            settings["Bot:Files:AllowLoopbackForTests"] = "true";
        });
        _files = await FakeHttpServer.StartAsync();
        _files.Handler = (context, _) => context.Response.Body.WriteAsync(Samples.Bytes("phish.eml")).AsTask();
        var adapter = new TestAdapter();
        Activity message = adapter.MakeMessage(string.Empty);
        message.Attachments =
        [
            new Attachment
            {
                ContentType = FileDownloadInfo.ContentType,
                Name = "phish.eml",
                Content = BotJson.ToElement(new FileDownloadInfo { DownloadUrl = new Uri(_files.BaseUri, "phish.eml?tempauth=x").AbsoluteUri, FileType = "eml", UniqueId = "1" }),
            },
            new Attachment { ContentType = "image/png", ContentUrl = new Uri(_files.BaseUri, "v3/attachments/1/views/original").AbsoluteUri },
        ];

        await new TestFlow(adapter, harness.Bot)
            .Send(message)
            .AssertTyping()
            .AssertReply(reply => CardText(reply).ShouldContain("score"))
            .StartTestAsync();

        _files.Requests.ShouldHaveSingleItem().RawTarget.ShouldBe("/phish.eml?tempauth=x", "the inline image is not fetched");
    }

    [Fact]
    public async Task A_personal_outlook_msg_is_downloaded_and_analysed_like_an_eml()
    {
        await using TeamsBotHarness harness = await TeamsBotHarness.StartAsync(settings =>
        {
            settings["Bot:Files:AllowedHosts:0"] = "127.0.0.1";
            settings["Bot:Files:AllowHttpForTests"] = "true";
            settings["Bot:Files:AllowLoopbackForTests"] = "true";
        });
        byte[] msg = ChatOpsBot.Mail.Tests.Outlook.EmlToMsg.Convert(Samples.Bytes("phish.eml"));
        _files = await FakeHttpServer.StartAsync();
        _files.Handler = (context, _) => context.Response.Body.WriteAsync(msg).AsTask();
        var adapter = new TestAdapter();
        Activity message = adapter.MakeMessage(string.Empty);
        message.Attachments =
        [
            new Attachment
            {
                ContentType = FileDownloadInfo.ContentType,
                Name = "phish.msg",
                Content = BotJson.ToElement(new FileDownloadInfo { DownloadUrl = new Uri(_files.BaseUri, "phish.msg?tempauth=x").AbsoluteUri, FileType = "msg", UniqueId = "2" }),
            },
        ];

        await new TestFlow(adapter, harness.Bot)
            .Send(message)
            .AssertTyping()
            .AssertReply(reply =>
            {
                string card = CardText(reply);
                card.ShouldContain("MALICIOUS (score 100/100): Your password expi");
            })
            .StartTestAsync();

        _files.Requests.ShouldHaveSingleItem().RawTarget.ShouldBe("/phish.msg?tempauth=x");
    }

    [Fact]
    public async Task An_inline_image_is_not_a_file_the_text_beside_it_is_what_counts()
    {
        var adapter = new TestAdapter();
        Activity message = adapter.MakeMessage("whoami");
        message.Attachments = [new Attachment { ContentType = "image/png", ContentUrl = "https://smba.trafficmanager.net/amer/v3/attachments/0-wus/views/original" }];

        await new TestFlow(adapter, _harness.Bot)
            .Send(message)
            .AssertTyping()
            .AssertReply(reply => CardText(reply).ShouldContain("Roles are granted to this id"))
            .StartTestAsync();
    }

    private static string CardText(Activity reply) =>
        reply.Attachments?.FirstOrDefault()?.Content?.GetRawText() ?? string.Empty;
}
