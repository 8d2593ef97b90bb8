using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.BotFramework.Testing;
using ChatOpsBot.Storage;
using Microsoft.Extensions.DependencyInjection;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Cards;
using ChatOpsBot.Intake;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Tests.Alerts.Support;
using ChatOpsBot.Tests.Intake.Support;
using ChatOpsBot.Tests.Storage;

namespace ChatOpsBot.Tests.Intake;

public sealed class ReportMailboxTests : IAsyncLifetime
{
    private readonly string _folder = TestDatabase.NewFolder();
    private readonly FakeAlertChannel _soc = new();
    private FakeGraphServer _graph = null!;

    public async Task InitializeAsync() => _graph = await FakeGraphServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _graph.DisposeAsync();
        TestDatabase.ReleaseAndDeleteFolder(_folder);
    }

    private Task<ReportMailboxHost> StartAsync(Action<Dictionary<string, string?>>? adjust = null, Action<IServiceCollection>? services = null) =>
        ReportMailboxHost.StartAsync(_folder, _graph, _soc, adjust, services);

    private IReadOnlyList<JsonObject> MailTo(string address) =>
        [.. _graph.SentMail.Where(m => m["toRecipients"]![0]!["emailAddress"]!["address"]!.GetValue<string>() == address)];

    private static string Subject(JsonObject mail) => mail["subject"]!.GetValue<string>();

    private static string Body(JsonObject mail) => mail["body"]!["content"]!.GetValue<string>();

    [Fact]
    public async Task AnAttachedAndAnInlineForwardEachGiveOneSocCardAndOneVerdictReplyAndASecondRunDoesNothing()
    {
        FakeGraphMessage attached = _graph.AddMessage(IntakeSamples.Bytes("report-attached.eml"), "FW: Action required", "reporter@contoso.example", "Rita Reporter");
        FakeGraphMessage inline = _graph.AddMessage(IntakeSamples.Bytes("report-inline.eml"), "FW: Invoice 7731 overdue", "omar.inline@contoso.example", "Omar Inline");
        await using ReportMailboxHost host = await StartAsync();

        ReportMailboxRunResult first = await host.Poller.RunOnceAsync(CancellationToken.None);
        DeliveryRunResult delivered = await host.Delivery.DeliverDueAsync(CancellationToken.None);

        first.ShouldBe(new ReportMailboxRunResult(Listed: 2, Analysed: 2, AlreadyKnown: 0, Filed: 2, Acknowledged: 2, Replied: 2, Failed: 0, Throttled: false));
        delivered.Sent.ShouldBe(2);
        List<AlertMessage> posts = [.. _soc.Posts];
        posts.Count.ShouldBe(2);
        posts.ShouldAllBe(p => p.Alert.Kind == AlertKinds.MailReport && p.Target.Value == "conversation:msteams:" + ReportMailboxHost.SocConversation);
        string attachedCard = CardJson.Serialize(posts.Single(p => p.Alert.Payload.Recipient == "reporter@contoso.example").Card);
        string inlineCard = CardJson.Serialize(posts.Single(p => p.Alert.Payload.Recipient == "omar.inline@contoso.example").Card);
        // The original is analysed, not the forward: its sender and subject are on the card, defanged.
        // (Card text is markdown-escaped and JSON-encoded: "\\[.\\]" is the defanged dot.)
        attachedCard.ShouldContain("security-noreply@micros0ft-secure\\\\[.\\\\]example");
        attachedCard.ShouldContain("forwarded as an attachment");
        inlineCard.ShouldContain("billing@invoices-paypa1\\\\[.\\\\]example");
        inlineCard.ShouldContain("forwarded inline");
        attachedCard.ShouldNotContain("https://login.micros0ft-secure.example");
        inlineCard.ShouldNotContain("https://pay.invoices-paypa1.example");

        List<MailReport> reports = await host.ReportsAsync();
        reports.Count.ShouldBe(2);
        foreach (MailReport report in reports)
        {
            IReadOnlyList<JsonObject> mail = MailTo(report.Reporter!);
            mail.Count.ShouldBe(2);
            Subject(mail[0]).ShouldStartWith("We received your report");
            Subject(mail[1]).ShouldStartWith("Your report:");
            Body(mail[1]).ShouldContain("Report id: " + report.ReportId);
            report.AlertId.ShouldNotBeNull();
            report.FiledAt.ShouldNotBeNull();
            posts.Single(p => p.Alert.AlertId == report.AlertId).Alert.Payload.CardJson!.ShouldContain(report.ReportId);
        }

        // The reported subject carried a link: in the reply it is defanged and not a link.
        Body(MailTo("reporter@contoso.example")[1]).ShouldNotContain("https://");
        Body(MailTo("reporter@contoso.example")[1]).ShouldContain("hxxps://login[.]micros0ft-secure[.]example/x");
        _graph.Message(attached.Id).FolderId.ShouldBe(FakeGraphServer.ProcessedFolderId);
        _graph.Message(inline.Id).FolderId.ShouldBe(FakeGraphServer.ProcessedFolderId);
        _graph.Message(attached.Id).IsRead.ShouldBeTrue();

        ReportMailboxRunResult second = await host.Poller.RunOnceAsync(CancellationToken.None);
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        second.Listed.ShouldBe(0);
        second.Analysed.ShouldBe(0);
        _soc.Posts.Count.ShouldBe(2);
        _graph.SentMail.Count.ShouldBe(4);

        JobStatus status = await MailboxStatusAsync(host);
        status.Enabled.ShouldBeTrue();
        status.LastOutcome.ShouldBe("succeeded");
        status.LastError.ShouldBeNull();
        status.LastRunFinishedAt.ShouldNotBeNull();
        status.RecordsIngested.ShouldBe(2, "two reports analysed over both runs");
        status.AlertsRaised.ShouldBe(2);
    }

    private static async Task<JobStatus> MailboxStatusAsync(ReportMailboxHost host) =>
        (await host.Services.GetRequiredService<IAlertService>().GetStatusAsync(CancellationToken.None)).Jobs.Single(j => j.JobName == "report-mailbox");

    [Fact]
    public async Task A429WithRetryAfterDelaysTheRunAndLosesNothing()
    {
        _graph.AddMessage(IntakeSamples.Bytes("report-attached.eml"));
        _graph.AddMessage(IntakeSamples.Bytes("report-inline.eml"), fromAddress: "omar.inline@contoso.example");
        _graph.EnqueueFault("value", FakeGraphServer.Throttled(retryAfterSeconds: 1));
        await using ReportMailboxHost host = await StartAsync();

        ReportMailboxRunResult run = await host.Poller.RunOnceAsync(CancellationToken.None);
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        run.Analysed.ShouldBe(2);
        run.Throttled.ShouldBeFalse();
        _graph.Count("GET", "/$value").ShouldBe(3);
        _soc.Posts.Count.ShouldBe(2);
        _graph.InFolder(FakeGraphServer.InboxId).ShouldBeEmpty();
        host.LogText.ShouldContain("retrying after 00:00:01");
    }

    [Fact]
    public async Task ThrottlingBeyondTheWaitLimitEndsTheRunAndTheNextRunTakesUpTheRest()
    {
        FakeGraphMessage first = _graph.AddMessage(IntakeSamples.Bytes("report-attached.eml"));
        FakeGraphMessage second = _graph.AddMessage(IntakeSamples.Bytes("report-inline.eml"), fromAddress: "omar.inline@contoso.example");
        await using ReportMailboxHost host = await StartAsync();
        // The first message's MIME comes; the second's is throttled for an hour, more than this client waits.
        _graph.EnqueueFault("value", FakeFault.Slow(TimeSpan.Zero));
        _graph.EnqueueFault("value", FakeGraphServer.Throttled(retryAfterSeconds: 3600));

        ReportMailboxRunResult throttled = await host.Poller.RunOnceAsync(CancellationToken.None);

        throttled.Throttled.ShouldBeTrue();
        throttled.Analysed.ShouldBe(1);
        (await MailboxStatusAsync(host)).LastError!.ShouldStartWith("stopped early, the rest waits for the next run");
        _graph.Message(first.Id).FolderId.ShouldBe(FakeGraphServer.ProcessedFolderId);
        _graph.Message(second.Id).FolderId.ShouldBe(FakeGraphServer.InboxId);
        _graph.Message(second.Id).IsRead.ShouldBeFalse();

        ReportMailboxRunResult next = await host.Poller.RunOnceAsync(CancellationToken.None);
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        next.Analysed.ShouldBe(1);
        next.Throttled.ShouldBeFalse();
        _soc.Posts.Count.ShouldBe(2);
        (await host.AlertsAsync()).Count.ShouldBe(2);
        _graph.Message(second.Id).FolderId.ShouldBe(FakeGraphServer.ProcessedFolderId);
        MailTo("omar.inline@contoso.example").Count(m => Subject(m).StartsWith("Your report:", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task AStopBetweenTheAnalysisAndTheMoveDoesNotPostTheReportTwice()
    {
        FakeGraphMessage message = _graph.AddMessage(IntakeSamples.Bytes("report-attached.eml"));
        // The verdict is committed, then the process "dies" before the message leaves the folder: the move fails.
        _graph.EnqueueFault("move", FakeGraphServer.Error(500, "ErrorInternalServerError", "An internal server error occurred."));
        await using (ReportMailboxHost host = await StartAsync())
        {
            ReportMailboxRunResult run = await host.Poller.RunOnceAsync(CancellationToken.None);
            await host.Delivery.DeliverDueAsync(CancellationToken.None);

            run.Analysed.ShouldBe(1);
            run.Failed.ShouldBe(1);
            _graph.Message(message.Id).FolderId.ShouldBe(FakeGraphServer.InboxId);
        }

        // A restarted bot on the same database finds the message again and only finishes it.
        await using (ReportMailboxHost restarted = await StartAsync())
        {
            ReportMailboxRunResult run = await restarted.Poller.RunOnceAsync(CancellationToken.None);
            await restarted.Delivery.DeliverDueAsync(CancellationToken.None);

            run.Analysed.ShouldBe(0);
            run.AlreadyKnown.ShouldBe(1);
            run.Filed.ShouldBe(1);
            (await restarted.AlertsAsync()).Count.ShouldBe(1);
        }

        _soc.Posts.Count.ShouldBe(1);
        _graph.Count("GET", "/$value").ShouldBe(1);
        _graph.Message(message.Id).FolderId.ShouldBe(FakeGraphServer.ProcessedFolderId);
        MailTo("reporter@contoso.example").Count.ShouldBe(2);
    }

    [Fact]
    public async Task AFailedVerdictReplyIsSentOnALaterRunAfterTheMessageWasFiled()
    {
        FakeGraphMessage message = _graph.AddMessage(IntakeSamples.Bytes("report-attached.eml"));
        await using ReportMailboxHost host = await StartAsync(s => s["ReportMailbox:SendAcknowledgement"] = "false");
        _graph.EnqueueFault("sendMail", FakeGraphServer.Error(500, "ErrorInternalServerError", "An internal server error occurred."));

        ReportMailboxRunResult first = await host.Poller.RunOnceAsync(CancellationToken.None);

        first.Replied.ShouldBe(0);
        first.Filed.ShouldBe(1);
        _graph.Message(message.Id).FolderId.ShouldBe(FakeGraphServer.ProcessedFolderId);
        (await host.ReportsAsync()).Single().ReplyAttempts.ShouldBe(1);

        ReportMailboxRunResult second = await host.Poller.RunOnceAsync(CancellationToken.None);

        second.Replied.ShouldBe(1);
        MailTo("reporter@contoso.example").ShouldHaveSingleItem();
        (await host.ReportsAsync()).Single().RepliedAt.ShouldNotBeNull();
        (await host.Poller.RunOnceAsync(CancellationToken.None)).Replied.ShouldBe(0);
    }

    [Fact]
    public async Task AReporterWithAPersonalChatIsAnsweredInTeamsAndOthersByMail()
    {
        const string ritaObjectId = "7d0c3a52-1111-4c2e-9a51-0000000000a1";
        _graph.AddUser("reporter@contoso.example", ritaObjectId);
        _graph.AddUser("omar.inline@contoso.example", "7d0c3a52-2222-4c2e-9a51-0000000000b2");
        _graph.AddMessage(IntakeSamples.Bytes("report-attached.eml"), fromAddress: "reporter@contoso.example");
        _graph.AddMessage(IntakeSamples.Bytes("report-inline.eml"), fromAddress: "omar.inline@contoso.example");
        var teams = new TestAdapter();
        await using ReportMailboxHost host = await StartAsync(
            s => s["ReportMailbox:ReplyInTeams"] = "true",
            services => services.AddSingleton<BotAdapter>(teams));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var personal = new ConversationReference
        {
            ChannelId = "msteams",
            ServiceUrl = "https://smba.trafficmanager.net/emea/",
            Conversation = new ConversationAccount("a:1rita-personal", "personal"),
            User = new ChannelAccount("29:1rita", "Rita Reporter") { AadObjectId = ritaObjectId },
            Bot = new ChannelAccount("28:bot", "ChatOpsBot"),
        };
        // Omar's only chat with the bot is a channel: never used for a personal reply.
        var channel = personal with { Conversation = new ConversationAccount("19:general@thread.tacv2", "channel"), User = new ChannelAccount("29:1omar") { AadObjectId = "7d0c3a52-2222-4c2e-9a51-0000000000b2" } };
        IConversationStore store = host.Services.GetRequiredService<IConversationStore>();
        await store.UpsertAsync(new StoredConversation("msteams", "a:1rita-personal", personal.ServiceUrl!, null, "personal", JsonSerializer.Serialize(personal, BotJson.Options), now, now), CancellationToken.None);
        await store.UpsertAsync(new StoredConversation("msteams", "19:general@thread.tacv2", personal.ServiceUrl!, null, "channel", JsonSerializer.Serialize(channel, BotJson.Options), now, now), CancellationToken.None);

        ReportMailboxRunResult run = await host.Poller.RunOnceAsync(CancellationToken.None);

        run.Replied.ShouldBe(2);
        MailTo("reporter@contoso.example").ShouldBeEmpty();
        MailTo("omar.inline@contoso.example").Count.ShouldBe(2);
        List<TestOutbound> sent = [.. teams.History.Where(o => o.Kind == TestOutboundKind.Sent)];
        sent.Count.ShouldBe(2);
        sent.ShouldAllBe(o => o.Activity.Conversation!.Id == "a:1rita-personal");
        string verdictCard = JsonSerializer.Serialize(sent[1].Activity, BotJson.Options);
        verdictCard.ShouldContain("Your report:");
        verdictCard.ShouldContain((await host.ReportsAsync()).Single(r => r.Reporter == "reporter@contoso.example").ReportId);
    }

    [Fact]
    public async Task AnOutOfOfficeSentToTheReportAddressIsPostedButNeverAnswered()
    {
        byte[] ooo = Encoding.ASCII.GetBytes(
            "From: Rita Reporter <reporter@contoso.example>\r\nTo: phish-report@contoso.example\r\nSubject: Automatic reply: thanks\r\n"
            + "Auto-Submitted: auto-replied\r\nMessage-ID: <ooo-1@contoso.example>\r\nDate: Sun, 22 Nov 2026 09:00:00 +0000\r\n\r\nI am out of the office.\r\n");
        _graph.AddMessage(ooo, subject: "Automatic reply: thanks");
        await using ReportMailboxHost host = await StartAsync();

        ReportMailboxRunResult first = await host.Poller.RunOnceAsync(CancellationToken.None);
        ReportMailboxRunResult second = await host.Poller.RunOnceAsync(CancellationToken.None);
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        first.Analysed.ShouldBe(1);
        second.Replied.ShouldBe(0);
        _soc.Posts.Count.ShouldBe(1);
        _graph.SentMail.ShouldBeEmpty();
        (await host.ReportsAsync()).Single().ReplyError.ShouldNotBeNull().ShouldContain("RFC 3834");
    }

    [Fact]
    public async Task ReportersOutsideTheReplyDomainsGetNoMailButTheSocStillGetsTheCard()
    {
        _graph.AddMessage(IntakeSamples.Bytes("report-attached.eml"), fromAddress: "spoofed@elsewhere.example");
        await using ReportMailboxHost host = await StartAsync();

        ReportMailboxRunResult run = await host.Poller.RunOnceAsync(CancellationToken.None);
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        run.Analysed.ShouldBe(1);
        _soc.Posts.Count.ShouldBe(1);
        _graph.SentMail.ShouldBeEmpty();
    }

    [Fact]
    public async Task AdminTemplatesAreUsedAndAMessageTooLargeToAnalyseStillReachesTheSoc()
    {
        _graph.AddMessage(IntakeSamples.Bytes("report-attached.eml"), subject: "FW: big one");
        await using ReportMailboxHost host = await StartAsync(s =>
        {
            s["ReportMailbox:MaxMessageBytes"] = "1024";
            s["ReportMailbox:SendAcknowledgement"] = "false";
            s["ReportMailbox:Templates:VerdictSubject"] = "Security team: {verdict}";
            s["ReportMailbox:Templates:Unknown"] = "Merci! {subject} ({reportId})";
        });

        await host.Poller.RunOnceAsync(CancellationToken.None);
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        AlertMessage post = _soc.Posts.ShouldHaveSingleItem();
        post.Alert.Payload.Headline.ShouldBe("Reported mail could not be analysed");
        CardJson.Serialize(post.Card).ShouldContain("larger than ReportMailbox:MaxMessageBytes");
        JsonObject reply = MailTo("reporter@contoso.example").ShouldHaveSingleItem();
        Subject(reply).ShouldBe("Security team: not analysed automatically");
        MailReport report = (await host.ReportsAsync()).Single();
        Body(reply).ShouldBe($"Merci! FW: big one ({report.ReportId})");
        report.Verdict.ShouldBe(AnalysedMail.NotAnalysed);
    }

    [Fact]
    public async Task WithoutAProcessedFolderOnlyUnreadMessagesAreReadAndEachIsMarkedRead()
    {
        FakeGraphMessage message = _graph.AddMessage(IntakeSamples.Bytes("report-attached.eml"));
        FakeGraphMessage alreadyRead = _graph.AddMessage(IntakeSamples.Bytes("report-inline.eml"));
        alreadyRead.IsRead = true;
        await using ReportMailboxHost host = await StartAsync(s => s["ReportMailbox:ProcessedFolder"] = "");

        ReportMailboxRunResult run = await host.Poller.RunOnceAsync(CancellationToken.None);

        run.Listed.ShouldBe(1);
        _graph.Message(message.Id).IsRead.ShouldBeTrue();
        _graph.Message(message.Id).FolderId.ShouldBe(FakeGraphServer.InboxId);
        (await host.Poller.RunOnceAsync(CancellationToken.None)).Listed.ShouldBe(0);
    }

    [Fact]
    public async Task AMissingProcessedFolderStopsTheRunWithAClearErrorAndTouchesNothing()
    {
        _graph.AddMessage(IntakeSamples.Bytes("report-attached.eml"));
        await using ReportMailboxHost host = await StartAsync(s => s["ReportMailbox:ProcessedFolder"] = "Triage done");

        ReportMailboxRunResult run = await host.Poller.RunOnceAsync(CancellationToken.None);

        run.Listed.ShouldBe(0);
        host.LogText.ShouldContain("the folder 'Triage done' (ReportMailbox:ProcessedFolder) does not exist");
        (await host.ReportsAsync()).ShouldBeEmpty();
        JobStatus status = await MailboxStatusAsync(host);
        status.LastOutcome.ShouldBe("failed");
        status.LastError!.ShouldContain("'Triage done' (ReportMailbox:ProcessedFolder) does not exist");
    }

    [Fact]
    public async Task TheTokenAndTheSecretNeverReachTheLogs()
    {
        _graph.AddMessage(IntakeSamples.Bytes("report-attached.eml"));
        _graph.EnqueueFault("value", FakeGraphServer.Throttled(retryAfterSeconds: 0));
        await using ReportMailboxHost host = await StartAsync();

        await host.Poller.RunOnceAsync(CancellationToken.None);

        host.LogText.ShouldContain("Report mailbox run");
        host.LogText.ShouldNotContain(FakeGraphServer.AccessToken);
        host.LogText.ShouldNotContain("graph-client-secret-do-not-log");
    }

    [Fact]
    public async Task ADisabledMailboxMakesNoGraphCall()
    {
        _graph.AddMessage(IntakeSamples.Bytes("report-attached.eml"));
        await using ReportMailboxHost host = await StartAsync(s => s["ReportMailbox:Enabled"] = "false");

        (await host.Poller.RunOnceAsync(CancellationToken.None)).ShouldBe(ReportMailboxRunResult.Disabled);
        _graph.Requests.ShouldBeEmpty();
    }
}
