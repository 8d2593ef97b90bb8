using System.Net;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Cards.BlockKit;
using ChatOpsBot.Slack;
using ChatOpsBot.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Tests.Slack;

public sealed class SlackAlertSenderTests
{
    [Theory]
    [InlineData("not_in_channel", "invite the bot")]
    [InlineData("channel_not_found", "check the id")]
    [InlineData("is_archived", "archived")]
    [InlineData("invalid_auth", "reinstall the app")]
    [InlineData("account_inactive", "reinstall the app")]
    [InlineData("token_revoked", "reinstall the app")]
    [InlineData("missing_scope", "chat:write")]
    [InlineData("msg_too_long", "content")]
    [InlineData("invalid_blocks", "content")]
    [InlineData("some_code_slack_adds_later", "some_code_slack_adds_later")]
    public void WhatSlackRefusedFailsPermanentlySayingWhatToFix(string error, string fix)
    {
        AlertSendResult result = SlackAlertSender.Classify(new SlackApiException("chat.postMessage", error, HttpStatusCode.OK));

        result.Status.ShouldBe(AlertSendStatus.PermanentFailure);
        result.Error.ShouldNotBeNull().ShouldContain(error);
        result.Error.ShouldContain(fix);
    }

    [Theory]
    [InlineData(SlackApiException.RateLimited, HttpStatusCode.TooManyRequests)]
    [InlineData("rate_limited", HttpStatusCode.OK)]
    [InlineData(SlackApiException.Unreachable, null)]
    [InlineData("service_unavailable", HttpStatusCode.OK)]
    [InlineData("http_408", HttpStatusCode.RequestTimeout)]
    public void WhatSlackCertainlyDidNotPostIsRetried(string error, HttpStatusCode? status)
    {
        AlertSendResult result = SlackAlertSender.Classify(new SlackApiException("chat.postMessage", error, status));

        result.Status.ShouldBe(AlertSendStatus.RetryableFailure);
    }

    [Theory]
    [InlineData(SlackApiException.Timeout, null)]
    [InlineData(SlackApiException.ConnectionLost, null)]
    [InlineData(SlackApiException.InvalidResponse, HttpStatusCode.OK)]
    [InlineData("http_500", HttpStatusCode.InternalServerError)]
    [InlineData("http_503", HttpStatusCode.ServiceUnavailable)]
    [InlineData("internal_error", HttpStatusCode.OK)]
    [InlineData("fatal_error", HttpStatusCode.OK)]
    public void WhatSlackMayHavePostedIsUnknownAndNeverRetried(string error, HttpStatusCode? status)
    {
        AlertSendResult result = SlackAlertSender.Classify(new SlackApiException("chat.postMessage", error, status));

        result.Status.ShouldBe(AlertSendStatus.OutcomeUnknown);
        result.Error.ShouldNotBeNull().ShouldContain("may have posted");
    }

    [Theory]
    [InlineData("message_not_found", "deleted")]
    [InlineData("cant_update_message", "edit")]
    [InlineData("edit_window_closed", "edit")]
    [InlineData("channel_not_found", "check the id")]
    [InlineData("is_archived", "archived")]
    [InlineData("invalid_auth", "reinstall the app")]
    [InlineData("token_revoked", "reinstall the app")]
    [InlineData("missing_scope", "chat:write")]
    [InlineData("invalid_blocks", "content")]
    public void AnUpdateSlackRefusedForGoodIsGivenUp(string error, string fix)
    {
        AlertSendResult result = SlackAlertSender.ClassifyUpdate(new SlackApiException("chat.update", error, HttpStatusCode.OK));

        result.Status.ShouldBe(AlertSendStatus.PermanentFailure);
        result.Error.ShouldNotBeNull().ShouldStartWith("Slack chat.update: " + error);
        result.Error.ShouldContain(fix);
    }

    [Theory]
    [InlineData(SlackApiException.RateLimited, HttpStatusCode.TooManyRequests)]
    [InlineData(SlackApiException.Unreachable, null)]
    [InlineData("service_unavailable", HttpStatusCode.OK)]
    [InlineData(SlackApiException.Timeout, null)]
    [InlineData(SlackApiException.ConnectionLost, null)]
    [InlineData(SlackApiException.InvalidResponse, HttpStatusCode.OK)]
    [InlineData("http_502", HttpStatusCode.BadGateway)]
    [InlineData("internal_error", HttpStatusCode.OK)]
    public void AnUpdateThatMayOrMayNotHaveArrivedIsRetriedBecauseRepeatingItIsHarmless(string error, HttpStatusCode? status)
    {
        AlertSendResult result = SlackAlertSender.ClassifyUpdate(new SlackApiException("chat.update", error, status, TimeSpan.FromSeconds(20)));

        result.Status.ShouldBe(AlertSendStatus.RetryableFailure);
        result.RetryAfter.ShouldBe(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task AnUpdateWithSlackOffOrANonSlackTargetCallsNothingAndIsGivenUp()
    {
        var api = new NeverCalledWebApi();
        var off = new SlackAlertSender(api, Options.Create(new SlackOptions()));
        var on = new SlackAlertSender(api, Options.Create(new SlackOptions { BotToken = "xoxb-1", SigningSecret = "0123456789abcdef0123" }));
        AlertTarget.TryParse("conversation:slack:soc-alerts", out AlertTarget? byName, out _).ShouldBeTrue();

        AlertSendResult whileOff = await off.UpdateAsync(Message(), "1700000000.000100", default);
        AlertSendResult named = await on.UpdateAsync(Message() with { Target = byName! }, "1700000000.000100", default);

        whileOff.Status.ShouldBe(AlertSendStatus.PermanentFailure);
        named.Status.ShouldBe(AlertSendStatus.PermanentFailure);
    }

    [Fact]
    public void ARateLimitSaysHowLongSlackAskedToWaitAndHandsTheWaitToTheOutbox()
    {
        AlertSendResult result = SlackAlertSender.Classify(
            new SlackApiException("chat.postMessage", SlackApiException.RateLimited, HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(30)));

        result.Error.ShouldNotBeNull().ShouldContain("wait 30 s");
        result.RetryAfter.ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task WithSlackOffOrANameForAnIdNothingIsCalledAndTheDeliveryFailsPermanently()
    {
        var api = new NeverCalledWebApi();
        var off = new SlackAlertSender(api, Options.Create(new SlackOptions()));
        var on = new SlackAlertSender(api, Options.Create(new SlackOptions { BotToken = "xoxb-1", SigningSecret = "0123456789abcdef0123" }));
        AlertMessage message = Message();

        AlertSendResult whileOff = await off.SendAsync(message, "C0SOC", default);
        AlertSendResult byName = await on.SendAsync(message, "#soc-alerts", default);

        whileOff.Status.ShouldBe(AlertSendStatus.PermanentFailure);
        whileOff.Error.ShouldNotBeNull().ShouldContain("Slack is off");
        byName.Status.ShouldBe(AlertSendStatus.PermanentFailure);
        (await on.ReconcileAsync(new AlertDeliveryCheck("a", message.Target, "k", null), "C0SOC", default)).Status.ShouldBe(AlertReconcileStatus.Unknown);
    }

    [Theory]
    [InlineData("C024BE91L", true)]
    [InlineData("G0PRIVATE1", true)]
    [InlineData("D0DIRECT", true)]
    [InlineData("#soc", false)]
    [InlineData("soc-alerts", false)]
    [InlineData("c024be91l", false)]
    [InlineData("U024BE7LH", false)]
    [InlineData("C", false)]
    public void SlackConversationIdsAreRecognised(string id, bool valid)
    {
        SlackConversationIds.IsValid(id).ShouldBe(valid);
    }

    [Fact]
    public void ASlackAlertTargetNamedByChannelNameIsRefusedAtStartWithWhereToFindTheId()
    {
        var options = new AlertsOptions();
        options.Targets.Add("conversation:slack:C024BE91L");
        options.Targets.Add("conversation:msteams:19:abc@thread.tacv2");
        options.Targets.Add("conversation:slack:soc-alerts");

        ValidateOptionsResult result = new SlackAlertTargetsValidator().Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldHaveSingleItem().ShouldStartWith("Alerts:Targets[2] names a Slack conversation by 'soc-alerts'");
        result.FailureMessage!.ShouldContain("Channel ID");
    }

    private static AlertMessage Message()
    {
        AlertTarget.TryParse("conversation:slack:C0SOC", out AlertTarget? target, out _).ShouldBeTrue();
        var payload = new AlertPayload { Kind = AlertKinds.ClickedUrlMalicious, Headline = "h", DetectedBy = "d" };
        DateTimeOffset now = DateTimeOffset.UnixEpoch;
        var alert = new AlertRecord("alt-0123456789abcdef01234567", AlertKinds.ClickedUrlMalicious, "k", AlertStatuses.Open, payload, now, now, now, null, null, null, null, null, 0, null);
        return new AlertMessage(alert, target!, "chatopsbot.alt-0123456789abcdef01234567.0011223344556677", ChatOpsBot.Alerts.Cards.AlertCard.Build(alert, now), 1);
    }

    private sealed class NeverCalledWebApi : ISlackWebApi
    {
        public Task<SlackMessageRef> PostMessageAsync(string channel, BlockKitMessage message, string? threadTs, CancellationToken cancellationToken) => throw new InvalidOperationException("not expected");

        public Task<SlackMessageRef> PostProactiveMessageAsync(string channel, BlockKitMessage message, SlackMessageMetadata? metadata, CancellationToken cancellationToken) => throw new InvalidOperationException("not expected");

        public Task<SlackMessageRef> UpdateMessageAsync(string channel, string ts, BlockKitMessage message, CancellationToken cancellationToken) => throw new InvalidOperationException("not expected");

        public Task<SlackMessageRef> UpdateProactiveMessageAsync(string channel, string ts, BlockKitMessage message, CancellationToken cancellationToken) => throw new InvalidOperationException("not expected");

        public Task<string> PostEphemeralAsync(string channel, string user, BlockKitMessage message, string? threadTs, CancellationToken cancellationToken) => throw new InvalidOperationException("not expected");

        public Task<ChatOpsBot.Slack.Inbound.SlackFile> GetFileInfoAsync(string fileId, CancellationToken cancellationToken) => throw new InvalidOperationException("not expected");

        public Task<string> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken) => throw new InvalidOperationException("not expected");
    }
}
