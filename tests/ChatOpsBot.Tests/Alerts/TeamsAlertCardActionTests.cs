using System.Net;
using System.Text.Json.Nodes;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Cards;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.TestSupport;
using ChatOpsBot.Tests.Alerts.Support;
using ChatOpsBot.Tests.Teams.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Alerts;

/// <summary>
/// The alert card's buttons on a card the outbox posted proactively, through the real host: the bot is installed in a
/// team channel (its reference stored), the monitor raises an alert, the outbox posts it to that channel, and a click
/// on Acknowledge or Snooze, as Teams delivers it to <c>/api/messages</c>, updates that very activity in place.
/// </summary>
public sealed class TeamsAlertCardActionTests : IAsyncLifetime
{
    private const string SocChannel = "19:5ocA1erts0c0ffee0123456789abcdef@thread.tacv2";
    private static readonly DateTimeOffset s_start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _time = new(s_start);
    private FakeMimecastServer _mimecast = null!;
    private TeamsTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _mimecast = await FakeMimecastServer.StartAsync();
        _mimecast.ClickLogs =
        [
            Clicks.Record(s_start.AddDays(-1), "https://evil.example/r", "alice@corp.example"),
            Clicks.Record(s_start.AddMinutes(-5), "https://evil.example/r", "erin@corp.example", scanResult: "malicious", action: "block"),
        ];
        _host = await TeamsTestHost.StartAsync(
            settings =>
            {
                foreach ((string key, string? value) in IntegrationHostSettings.Mimecast(_mimecast))
                {
                    settings[key] = value;
                }

                settings["Alerts:Targets:0"] = AlertTarget.Conversation("msteams", SocChannel).Value;
                settings["Security:Responders:0"] = TeamsActivities.Analyst.AadObjectId;
            },
            services => services.AddSingleton<TimeProvider>(_time));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _mimecast.DisposeAsync();
    }

    [Fact]
    public async Task AcknowledgingTheProactivelyPostedCardUpdatesThatActivityInPlaceAndRemovesTheButtons()
    {
        (string cardId, string alertId) = await InstallAndPostAlertAsync();

        (await _host.PostAsync(ChannelClick(AlertCard.AcknowledgeVerb, alertId, cardId))).StatusCode.ShouldBe(HttpStatusCode.OK);

        ConnectorCall update = await _host.Connector.WaitForAsync(c => c.Method == "PUT" && c.HasCardWith("Acknowledged by"), "the acknowledged card");
        update.TargetActivityId.ShouldBe(cardId);
        update.Activity!["id"]!.GetValue<string>().ShouldBe(cardId);
        update.CardJson.ShouldContain("Acknowledged by Ana Lyst at 2026-11-02 09:00:00 UTC");
        update.CardJson.ShouldNotContain("Action.Submit");
        (update.Activity!["attachments"]![0]!["content"]!["actions"]?.AsArray() ?? []).ShouldBeEmpty();
        _host.Connector.Calls.Count(c => c.Method == "POST" && c.HasCardWith("Acknowledged by")).ShouldBe(0, "the answer replaces the card instead of posting a new one");

        AlertRecord alert = (await _host.Services.GetRequiredService<IAlertService>().GetAsync(alertId, CancellationToken.None)).ShouldNotBeNull();
        alert.Status.ShouldBe(AlertStatuses.Acknowledged);
        alert.AcknowledgedBy.ShouldBe(new AlertActor(TeamsActivities.Analyst.AadObjectId!, "Ana Lyst"));
    }

    [Fact]
    public async Task SnoozingTheProactivelyPostedCardUpdatesThatActivityInPlace()
    {
        (string cardId, string alertId) = await InstallAndPostAlertAsync();

        (await _host.PostAsync(ChannelClick(AlertCard.SnoozeVerb, alertId, cardId))).StatusCode.ShouldBe(HttpStatusCode.OK);

        ConnectorCall update = await _host.Connector.WaitForAsync(c => c.Method == "PUT" && c.HasCardWith("Snoozed by"), "the snoozed card");
        update.TargetActivityId.ShouldBe(cardId);
        update.CardJson.ShouldContain("Snoozed by Ana Lyst until 2026-11-03 09:00:00 UTC");
        (await _host.Services.GetRequiredService<IAlertService>().GetAsync(alertId, CancellationToken.None))!.Status.ShouldBe(AlertStatuses.Snoozed);
    }

    /// <summary>Installs the bot in the SOC channel, raises the alert and lets the outbox post it; the card's activity id and the alert id.</summary>
    private async Task<(string CardId, string AlertId)> InstallAndPostAlertAsync()
    {
        JsonObject install = _host.Activities.InstallationUpdate(SocChannel);
        install["conversation"]!["conversationType"] = "channel";
        install["conversation"]!["isGroup"] = true;
        (await _host.PostAsync(install)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await _host.Services.GetRequiredService<UrlMonitor>().RunOnceAsync(CancellationToken.None)).AlertsRaised.ShouldBe(1);
        DeliveryRunResult run = await _host.Services.GetRequiredService<AlertDeliveryService>().DeliverDueAsync(CancellationToken.None);
        run.Sent.ShouldBe(1);

        ConnectorCall posted = _host.Connector.Calls.Where(c => c.Method == "POST" && c.HasCardWith("alert ack")).ShouldHaveSingleItem();
        posted.Path.ShouldBe($"/amer/v3/conversations/{Uri.EscapeDataString(SocChannel)}/activities");
        string alertId = (await _host.Services.GetRequiredService<IAlertService>().RecentAsync(1, CancellationToken.None)).Single().AlertId;
        return (posted.CreatedId, alertId);
    }

    /// <summary>
    /// An Action.Submit click on the card in the channel, as Teams sends it: the card is the root of a thread, so the
    /// conversation id names that thread, and <c>replyToId</c> is the card's activity id.
    /// </summary>
    private JsonObject ChannelClick(string verb, string alertId, string cardId)
    {
        JsonObject click = _host.Activities.Submit(
            new JsonObject { ["verb"] = verb, [AlertCard.AlertIdKey] = alertId },
            cardId,
            conversation: $"{SocChannel};messageid={cardId}");
        click["conversation"]!["conversationType"] = "channel";
        click["conversation"]!["isGroup"] = true;
        return click;
    }
}
