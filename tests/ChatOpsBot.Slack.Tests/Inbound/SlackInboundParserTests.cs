using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsBot.Slack.Inbound;
using ChatOpsBot.Slack.Tests.Support;

namespace ChatOpsBot.Slack.Tests.Inbound;

public class SlackInboundParserTests
{
    [Fact]
    public void UrlVerificationCarriesTheChallenge()
    {
        SlackEventsPayload? payload = SlackInboundParser.ParseEvents(Samples.Bytes("slack-url-verification.json"));

        payload.ShouldBeOfType<SlackUrlVerification>().Challenge.ShouldBe("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
    }

    [Fact]
    public void AnAppMentionIsACommandWithoutTheBotsMention()
    {
        SlackEventCallback callback = SlackInboundParser.ParseEvents(Samples.Bytes("slack-event-app-mention.json")).ShouldBeOfType<SlackEventCallback>();

        callback.EventId.ShouldBe("Ev111");
        SlackMessageEvent message = callback.Event.ShouldBeOfType<SlackMessageEvent>();
        message.IsAppMention.ShouldBeTrue();
        message.Text.ShouldBe("Hi there!");
        message.UserId.ShouldBe("W222");
        message.ChannelId.ShouldBe("C111");
        message.Ts.ShouldBe("1595926230.009600");
        message.TeamId.ShouldBe("T111");
    }

    [Fact]
    public void AFileShareInAChannelWithoutAMentionIsIgnored()
    {
        // The bolt fixture's file_share is in a channel ("channel_type": "channel"): mentions reach the bot as app_mention.
        SlackEventCallback callback = SlackInboundParser.ParseEvents(Samples.Bytes("slack-event-message-file-share.json")).ShouldBeOfType<SlackEventCallback>();

        callback.Event.ShouldBeNull();
        callback.IgnoredBecause!.ShouldContain("without a mention");
    }

    [Fact]
    public void AFileShareInADirectMessageCarriesItsFiles()
    {
        byte[] body = Edit("slack-event-message-file-share.json", ev => ev["channel_type"] = "im");

        SlackMessageEvent message = SlackInboundParser.ParseEvents(body).ShouldBeOfType<SlackEventCallback>().Event.ShouldBeOfType<SlackMessageEvent>();

        message.IsDirectMessage.ShouldBeTrue();
        message.Text.ShouldBe("Hi there!");
        SlackFile file = message.Files.ShouldHaveSingleItem();
        file.Id.ShouldBe("F111");
        file.Name.ShouldBe("file.png");
        file.MimeType.ShouldBe("image/png");
        file.Size.ShouldBe(92582);
        file.Mode.ShouldBe("hosted");
        file.UrlPrivateDownload.ShouldBe("https://files.slack.com/files-pri/T111-F111/download/file.png");
        file.IsEmailForward.ShouldBeFalse();
        file.NeedsFileInfo.ShouldBeFalse();
    }

    [Fact]
    public void TheBotsOwnMessageIsIgnoredByUserIdFromTheAuthorizations()
    {
        // authorizations[0] is the bot, U222.
        byte[] body = Edit("slack-event-message-file-share.json", ev =>
        {
            ev["channel_type"] = "im";
            ev["user"] = "U222";
        });

        SlackInboundParser.ParseEvents(body).ShouldBeOfType<SlackEventCallback>().IgnoredBecause.ShouldBe("the bot's own message");
    }

    [Theory]
    [InlineData("bot_id", "B123")]
    [InlineData("subtype", "bot_message")]
    [InlineData("subtype", "message_changed")]
    [InlineData("subtype", "message_deleted")]
    [InlineData("subtype", "channel_join")]
    public void BotMessagesAndEditsAreIgnored(string field, string value)
    {
        byte[] body = Edit("slack-event-message-file-share.json", ev =>
        {
            ev["channel_type"] = "im";
            ev[field] = value;
        });

        SlackEventCallback callback = SlackInboundParser.ParseEvents(body).ShouldBeOfType<SlackEventCallback>();

        callback.Event.ShouldBeNull();
    }

    [Fact]
    public void AnotherBotsAppMentionIsIgnored()
    {
        byte[] body = Edit("slack-event-app-mention.json", ev => ev["bot_id"] = "B999");

        SlackInboundParser.ParseEvents(body).ShouldBeOfType<SlackEventCallback>().IgnoredBecause.ShouldBe("a bot's message");
    }

    [Fact]
    public void FileSharedCarriesOnlyIds()
    {
        SlackEventCallback callback = SlackInboundParser.ParseEvents(Samples.Bytes("slack-event-file-shared.json")).ShouldBeOfType<SlackEventCallback>();

        SlackFileSharedEvent shared = callback.Event.ShouldBeOfType<SlackFileSharedEvent>();
        shared.FileId.ShouldBe("F2147483862");
        shared.UserId.ShouldBe("U0Z7K8SRH");
        shared.ChannelId.ShouldBe("D01315BHHSN");
        shared.EventId.ShouldBe("Ev123ABC456");
    }

    [Theory]
    [InlineData("{\"type\":\"app_rate_limited\",\"minute_rate_limited\":1}")]
    [InlineData("{\"type\":\"event_callback\",\"event\":{\"type\":\"message\"}}")]
    [InlineData("{\"type\":\"url_verification\"}")]
    [InlineData("{\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event\":\"text\"}")]
    public void UnsupportedOrIncompletePayloadsAreNotEvents(string json)
    {
        SlackInboundParser.ParseEvents(Encoding.UTF8.GetBytes(json)).ShouldBeOfType<SlackUnsupportedPayload>();
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("{\"type\":")]
    [InlineData("payload=%7B%7D")]
    public void NonObjectsAreNull(string body)
    {
        SlackInboundParser.ParseEvents(Encoding.UTF8.GetBytes(body)).ShouldBeNull();
    }

    [Fact]
    public void OverlongIdsAreNotIds()
    {
        byte[] body = Edit("slack-event-app-mention.json", ev => ev["user"] = new string('U', 65));

        SlackInboundParser.ParseEvents(body).ShouldBeOfType<SlackEventCallback>().Event.ShouldBeNull();
    }

    [Fact]
    public void ASlashCommandFormIsParsedAndDecoded()
    {
        SlackSlashCommand command = SlackInboundParser.ParseSlashCommand(Samples.Bytes("slack-slash-command.form.txt")).ShouldNotBeNull();

        command.Command.ShouldBe("/hello-world");
        command.Text.ShouldBe("Hi");
        command.UserId.ShouldBe("W111");
        command.UserName.ShouldBe("primary-owner");
        command.ChannelId.ShouldBe("C111");
        command.TeamId.ShouldBe("T111");
        command.ResponseUrl.ShouldBe("https://hooks.slack.com/commands/T111/111/xxxxx");
        command.TriggerId.ShouldBe("111.111.xxx");
    }

    [Fact]
    public void TheSignatureVectorsFormIsASlashCommandWithEmptyText()
    {
        SlackSlashCommand command = SlackInboundParser.ParseSlashCommand(Encoding.UTF8.GetBytes(Samples.SignatureVector().Body)).ShouldNotBeNull();

        command.Command.ShouldBe("/webhook-collect");
        command.Text.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("user_id=U1&channel_id=C1")]
    [InlineData("command=%2Fchatops&channel_id=C1")]
    [InlineData("command=%2Fchatops&user_id=U1&user_id=U2&channel_id=C1")]
    [InlineData("command=%2Fchatops&user_id=U1&channel_id=C1%FF%FE")]
    public void ASlashCommandWithoutItsFieldsOrWithTwoUsersIsRefused(string form)
    {
        SlackInboundParser.ParseSlashCommand(Encoding.Latin1.GetBytes(form)).ShouldBeNull();
    }

    [Fact]
    public void ASlashCommandWithAResponseUrlThatIsNotAWebUrlHasNone()
    {
        SlackSlashCommand command = SlackInboundParser.ParseSlashCommand("command=%2Fchatops&user_id=U1&channel_id=C1&text=help&response_url=file%3A%2F%2F%2Fetc%2Fpasswd"u8.ToArray()).ShouldNotBeNull();

        command.ResponseUrl.ShouldBeNull();
        command.Text.ShouldBe("help");
    }

    [Fact]
    public void ABlockActionsPayloadIsParsedFromTheForm()
    {
        byte[] body = Encoding.ASCII.GetBytes("payload=" + WebUtility.UrlEncode(Samples.Text("slack-block-actions.json")));

        SlackBlockActions actions = SlackInboundParser.ParseBlockActions(body).ShouldNotBeNull();

        actions.UserId.ShouldBe("W111");
        actions.UserName.ShouldBe("primary-owner");
        actions.TeamId.ShouldBe("T111");
        actions.ChannelId.ShouldBe("C111");
        actions.MessageTs.ShouldBe("111.222");
        actions.IsEphemeral.ShouldBeTrue();
        actions.ResponseUrl.ShouldBe("https://hooks.slack.com/actions/T111/111/random-value");
        SlackAction action = actions.Actions.ShouldHaveSingleItem();
        action.ActionId.ShouldBe("a");
        action.Value.ShouldBe("click_me_123");
        action.ActionTs.ShouldBe("1596530385.194939");
    }

    [Theory]
    [InlineData("payload=%7B%22type%22%3A%22view_submission%22%7D")]
    [InlineData("payload=not-json")]
    [InlineData("token=x")]
    [InlineData("payload=%7B%22type%22%3A%22block_actions%22%2C%22user%22%3A%7B%22id%22%3A%22U1%22%7D%2C%22actions%22%3A%5B%5D%7D")]
    public void OtherInteractionsAreNotBlockActions(string form)
    {
        SlackInboundParser.ParseBlockActions(Encoding.ASCII.GetBytes(form)).ShouldBeNull();
    }

    private static byte[] Edit(string sample, Action<JsonObject> editEvent)
    {
        JsonObject root = JsonNode.Parse(Samples.Text(sample))!.AsObject();
        editEvent(root["event"]!.AsObject());
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
