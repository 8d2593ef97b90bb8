using System.Net;
using System.Text.Json.Nodes;
using ChatOpsBot.BotFramework.Tests.Connector;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Support;
using ChatOpsBot.Tests.Teams.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Teams;

/// <summary>
/// Teams end to end through the real host in anonymous local mode: activities posted to <c>/api/messages</c> as Teams
/// (or Agents Playground) posts them, answers collected at a fake Connector on 127.0.0.1.
/// </summary>
public sealed class TeamsHostFunctionalTests : IAsyncLifetime
{
    private TeamsTestHost _host = null!;

    private TeamsActivities Activities => _host.Activities;

    private FakeConnector Connector => _host.Connector;

    public async Task InitializeAsync() => _host = await TeamsTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_install_announced_twice_stores_the_conversation_and_welcomes_exactly_once()
    {
        (await _host.PostAsync(Activities.InstallationUpdate())).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _host.PostAsync(Activities.BotAddedConversationUpdate())).StatusCode.ShouldBe(HttpStatusCode.OK);
        // Welcomes leave through one queue in order: once this later conversation's welcome is out, any second
        // welcome for the first conversation would be out too.
        (await _host.PostAsync(Activities.InstallationUpdate("a:1another-personal-conversation"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Connector.WaitForAsync(c => c.HasCardWith("I am ChatOpsBot") && c.Path.Contains("another", StringComparison.Ordinal), "the second conversation's welcome");

        ConnectorCall welcome = Connector.Cards.Where(c => c.HasCardWith("I am ChatOpsBot") && !c.Path.Contains("another", StringComparison.Ordinal)).ShouldHaveSingleItem();
        welcome.Method.ShouldBe("POST");
        welcome.Path.ShouldBe($"/amer/v3/conversations/{Uri.EscapeDataString(TeamsActivities.PersonalConversation)}/activities", "a new post, not a reply to the install event");
        welcome.CardJson.ShouldContain("Hello, Ana Lyst!");
        welcome.Activity!["attachments"]![0]!["contentType"]!.GetValue<string>().ShouldBe("application/vnd.microsoft.card.adaptive");
        welcome.Activity!["attachments"]![0]!["content"]!["msteams"]!["width"]!.GetValue<string>().ShouldBe("Full");

        StoredConversation stored = (await _host.Services.GetRequiredService<IConversationStore>()
            .GetAsync("msteams", TeamsActivities.PersonalConversation, CancellationToken.None)).ShouldNotBeNull();
        stored.ServiceUrl.ShouldBe(Connector.ServiceUrl);
        stored.TenantId.ShouldBe(TeamsActivities.TenantId);
        stored.Scope.ShouldBe("personal");
        JsonNode reference = JsonNode.Parse(stored.ReferenceJson)!;
        reference["activityId"].ShouldBeNull("a stored reference posts anew instead of replying to the install event");
        reference["conversation"]!["id"]!.GetValue<string>().ShouldBe(TeamsActivities.PersonalConversation);
        reference["bot"]!["id"]!.GetValue<string>().ShouldBe(TeamsActivities.BotId);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("/help")]
    [InlineData("HELP")]
    public async Task Help_in_personal_chat_answers_with_the_help_card_as_a_reply(string text)
    {
        JsonObject message = Activities.Message(text);

        using HttpResponseMessage response = await _host.PostAsync(message);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBeEmpty();
        ConnectorCall help = await Connector.WaitForCardAsync("ChatOpsBot commands");
        help.Method.ShouldBe("POST");
        help.TargetActivityId.ShouldBe(message["id"]!.GetValue<string>());
        help.Authorization.ShouldBeNull("anonymous local mode sends no token");
        Connector.Calls.ShouldContain(c => c.IsTyping);
    }

    [Fact]
    public async Task A_channel_message_mentioning_the_bot_is_read_without_the_mention_and_answered_in_its_thread()
    {
        (await _host.PostAsync(Activities.ChannelMention("/whoami"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        ConnectorCall whoami = await Connector.WaitForCardAsync("Roles are granted to this id");
        whoami.CardJson.ShouldContain(TeamsActivities.Analyst.AadObjectId!);
        whoami.Path.ShouldStartWith($"/amer/v3/conversations/{Uri.EscapeDataString(TeamsActivities.ChannelConversation)}/activities/");
    }

    [Fact]
    public async Task A_slow_analyze_of_a_forwarded_eml_shows_a_progress_card_then_updates_it_with_the_verdict()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using FakeHttpServer files = await FakeHttpServer.StartAsync();
        files.Handler = async (context, _) =>
        {
            // Holds the download until the test has seen the progress card: the command is slow for certain.
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(Samples.Bytes("phish.eml"));
        };
        await using TeamsTestHost host = await TeamsTestHost.StartAsync(settings =>
        {
            settings["Bot:Files:AllowedHosts:0"] = "127.0.0.1";
            settings["Bot:Files:AllowHttpForTests"] = "true";
            settings["Bot:Files:AllowLoopbackForTests"] = "true";
            settings["Commands:ProgressDelay"] = "00:00:00.050";
        });
        string downloadUrl = new Uri(files.BaseUri, "personal/ana/phish.eml?tempauth=secret-token").AbsoluteUri;

        (await host.PostAsync(host.Activities.FileMessage("phish.eml", downloadUrl, text: "analyze"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        ConnectorCall progress = await host.Connector.WaitForCardAsync("Analyzing");
        host.Connector.Calls.ShouldNotContain(c => c.Method == "PUT");
        release.SetResult();
        ConnectorCall update = await host.Connector.WaitForAsync(c => c.Method == "PUT", "the update of the progress card");
        update.TargetActivityId.ShouldNotBeNull();
        host.Connector.Calls.Count(c => c.Method == "POST" && c.CardJson.Length > 0).ShouldBe(1, "the verdict replaces the progress card rather than following it");
        update.CardJson.ShouldContain("score");
        update.CardJson.ShouldNotContain("Analyzing");
        progress.Method.ShouldBe("POST");
        RecordedRequest download = files.Requests.ShouldHaveSingleItem();
        download.RawTarget.ShouldBe("/personal/ana/phish.eml?tempauth=secret-token");
        download.Header("Authorization").ShouldBeNull("a download URL is pre-authenticated; the bot's token never goes there");
    }

    [Fact]
    public async Task A_file_from_a_host_off_the_allow_list_is_refused_without_a_download()
    {
        await using FakeHttpServer files = await FakeHttpServer.StartAsync();
        files.Handler = (context, _) => context.Response.Body.WriteAsync(Samples.Bytes("phish.eml")).AsTask();
        string downloadUrl = new Uri(files.BaseUri, "phish.eml").AbsoluteUri;

        // The default allow-list (SharePoint, OneDrive) and no test flags: a loopback http URL is refused outright.
        (await _host.PostAsync(Activities.FileMessage("phish.eml", downloadUrl))).StatusCode.ShouldBe(HttpStatusCode.OK);

        ConnectorCall error = await Connector.WaitForCardAsync("could not download");
        error.CardJson.ShouldContain("phish[.]eml", Case.Sensitive);
        files.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_action_submit_from_the_help_card_reaches_the_bot_and_is_answered()
    {
        (await _host.PostAsync(Activities.Message("help"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        ConnectorCall help = await Connector.WaitForCardAsync("ChatOpsBot commands");
        JsonObject whoAmIButtonData = ButtonData(help, "Who am I?");
        string helpCardId = help.CreatedId;

        (await _host.PostAsync(Activities.Submit(whoAmIButtonData, helpCardId))).StatusCode.ShouldBe(HttpStatusCode.OK);

        ConnectorCall whoami = await Connector.WaitForCardAsync("Roles are granted to this id");
        whoami.CardJson.ShouldContain(TeamsActivities.Analyst.AadObjectId!);
        whoami.CardJson.ShouldContain("analyst");
    }

    [Fact]
    public async Task An_action_execute_gets_its_invoke_response_at_once_and_the_answer_as_a_message()
    {
        using HttpResponseMessage response = await _host.PostAsync(Activities.Execute("whoami", new JsonObject(), cardId: "1777000000042"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonNode body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["statusCode"]!.GetValue<int>().ShouldBe(200);
        body["type"]!.GetValue<string>().ShouldBe("application/vnd.microsoft.activity.message", "a message leaves the card as it is");
        body["value"]!.GetValue<string>().ShouldBe("Working on it…");
        ConnectorCall whoami = await Connector.WaitForCardAsync("Roles are granted to this id");
        whoami.Method.ShouldBe("POST");
        Connector.Calls.ShouldNotContain(c => c.Method == "PUT");
    }

    [Fact]
    public async Task A_reader_pressing_a_responder_only_button_is_refused_and_the_card_is_left_unchanged()
    {
        var button = new JsonObject { ["verb"] = "vip add", ["name"] = "Jane Doe", ["address"] = "jane.doe@contoso.example" };

        (await _host.PostAsync(Activities.Submit(button, cardId: "1777000000077", from: TeamsActivities.Reader))).StatusCode.ShouldBe(HttpStatusCode.OK);

        ConnectorCall refusal = await Connector.WaitForCardAsync("Not allowed");
        refusal.Method.ShouldBe("POST");
        refusal.CardJson.ShouldContain("responder");
        await WaitForAuditAsync(1);
        Connector.Calls.ShouldNotContain(c => c.Method == "PUT", "the card that holds the button is not touched");
        (await _host.Services.GetRequiredService<IVipStore>().ListAsync(CancellationToken.None)).ShouldBeEmpty();
        AuditEntry entry = (await _host.Services.GetRequiredService<IAuditLog>().LatestAsync(1, CancellationToken.None)).ShouldHaveSingleItem();
        entry.ActorId.ShouldBe(TeamsActivities.Reader.AadObjectId);
        entry.Outcome.ShouldBe(AuditOutcome.Denied);
    }

    [Fact]
    public async Task A_redelivered_activity_is_processed_once()
    {
        JsonObject message = Activities.Message("help");

        (await _host.PostAsync(message)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _host.PostAsync(message)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _host.PostAsync(Activities.Message("whoami"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Both requests that were queued have been fully handled once their two audit entries exist.
        await WaitForAuditAsync(2);
        await Connector.WaitForCardAsync("Roles are granted to this id");
        Connector.Cards.Count(c => c.HasCardWith("ChatOpsBot commands")).ShouldBe(1);
        (await _host.Services.GetRequiredService<IAuditLog>().LatestAsync(10, CancellationToken.None)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task The_actor_is_the_entra_object_id_never_the_mri_or_the_name()
    {
        var impostor = new TeamsUser(TeamsActivities.Analyst.Mri, TeamsActivities.Analyst.Name, AadObjectId: null);

        (await _host.PostAsync(Activities.Message("vip list", impostor))).StatusCode.ShouldBe(HttpStatusCode.OK);

        ConnectorCall refusal = await Connector.WaitForCardAsync("Not allowed");
        refusal.CardJson.ShouldContain("reader");
    }

    [Fact]
    public async Task A_full_queue_answers_busy_at_once()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using FakeHttpServer files = await FakeHttpServer.StartAsync();
        files.Handler = async (context, _) =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await context.Response.Body.WriteAsync(Samples.Bytes("phish.eml"));
        };
        await using TeamsTestHost host = await TeamsTestHost.StartAsync(settings =>
        {
            settings["Bot:Files:AllowedHosts:0"] = "127.0.0.1";
            settings["Bot:Files:AllowHttpForTests"] = "true";
            settings["Bot:Files:AllowLoopbackForTests"] = "true";
            settings["Commands:Workers"] = "1";
            settings["Commands:QueueCapacity"] = "1";
        });
        string downloadUrl = new Uri(files.BaseUri, "phish.eml").AbsoluteUri;

        // One request holds the only worker (its download waits), one waits in the queue, the third finds it full.
        (await host.PostAsync(host.Activities.FileMessage("phish.eml", downloadUrl))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await WaitUntilAsync(() => files.Requests.Count == 1);
        (await host.PostAsync(host.Activities.Message("help"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.PostAsync(host.Activities.Message("whoami"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        ConnectorCall busy = await host.Connector.WaitForCardAsync("I'm busy");
        busy.Method.ShouldBe("POST");
        release.SetResult();
        await host.Connector.WaitForCardAsync("ChatOpsBot commands");
    }

    private static JsonObject ButtonData(ConnectorCall card, string title)
    {
        JsonArray actions = card.Activity!["attachments"]![0]!["content"]!["actions"]!.AsArray();
        JsonNode button = actions.Single(a => a!["title"]!.GetValue<string>() == title)!;
        return button["data"]!.AsObject().DeepClone().AsObject();
    }

    private async Task WaitForAuditAsync(int count)
    {
        IAuditLog audit = _host.Services.GetRequiredService<IAuditLog>();
        await WaitUntilAsync(async () => (await audit.LatestAsync(count, CancellationToken.None)).Count >= count);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            // Polls state the bot changes in the background; the timeout is only a safety net.
            await Task.Delay(20, timeout.Token);
        }
    }
}
