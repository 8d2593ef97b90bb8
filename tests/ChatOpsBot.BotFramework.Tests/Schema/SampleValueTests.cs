using System.Text.Json;
using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Tests.Schema;

public sealed class SampleValueTests
{
    private static Activity Load(string file) => JsonSerializer.Deserialize<Activity>(Samples.Read(file), BotJson.Options)!;

    [Fact]
    public void Personal_message_has_sender_conversation_text_and_tenant()
    {
        Activity activity = Load("teams-personal-message.json");

        activity.IsType(ActivityTypes.Message).ShouldBeTrue();
        activity.Id.ShouldBe("1485983408511");
        activity.Timestamp.ShouldBe(new DateTimeOffset(2017, 2, 1, 21, 10, 7, 437, TimeSpan.Zero));
        activity.LocalTimestamp!.Value.Offset.ShouldBe(TimeSpan.FromHours(-7));
        activity.ServiceUrl.ShouldBe("https://smba.trafficmanager.net/amer/");
        activity.ChannelId.ShouldBe(Channels.MsTeams);
        activity.From!.Name.ShouldBe("Megan Bowen");
        activity.From.AadObjectId.ShouldBe("7faf8ab2-3d56-4244-b585-20c8a42ed2b8");
        activity.Recipient!.Id.ShouldBe("28:c9e8c047-2a74-40a2-b28a-b162d5f5327c");
        activity.Conversation!.ConversationType.ShouldBe(ConversationTypes.Personal);
        activity.Conversation.Id!.ShouldStartWith("a:17I0kl9");
        activity.Text.ShouldBe("Hello Teams TestBot.Sending bold-italic rich text");
        activity.TextFormat.ShouldBe(TextFormatTypes.Plain);
        activity.Locale.ShouldBe("en-US");
        activity.Attachments!.Single().ContentType.ShouldBe("text/html");
        activity.Attachments![0].Content!.Value.GetString()!.ShouldContain("<strong>bold</strong>");
        activity.Entities!.Single().Type.ShouldBe(Entity.ClientInfoType);
        activity.Entities![0].Properties!["platform"].GetString().ShouldBe("Windows");
        activity.GetTenantId().ShouldBe("72f988bf-86f1-41af-91ab-2d7cd011db47");
        activity.GetMentions().ShouldBeEmpty();
    }

    [Fact]
    public void Channel_thread_message_has_mention_of_the_bot_and_teams_channel_data()
    {
        Activity activity = Load("teams-channel-message-with-mention.json");

        activity.Conversation!.IsGroup.ShouldBe(true);
        activity.Conversation.ConversationType.ShouldBe(ConversationTypes.Channel);
        activity.Conversation.Id.ShouldBe("19:6848757105754c8981c67612732d9aa7@thread.tacv2;messageid=1759881511856");
        activity.Conversation.TenantId.ShouldBe("50612dbb-0237-4969-b378-8d42590f9c00");
        activity.LocalTimezone.ShouldBe("America/Los_Angeles");
        activity.Timestamp!.Value.Ticks.ShouldBe(new DateTimeOffset(2025, 10, 8, 17, 33, 1, TimeSpan.Zero).Ticks + 4_953_744);

        Mention mention = activity.GetMentions().ShouldHaveSingleItem();
        mention.Mentioned.Id.ShouldBe(activity.Recipient!.Id);
        mention.Mentioned.Name.ShouldBe("ridotest");
        mention.Text.ShouldBe("<at>ridotest</at>");

        TeamsChannelData channelData = activity.GetTeamsChannelData()!;
        channelData.Tenant!.Id.ShouldBe("50612dbb-0237-4969-b378-8d42590f9c00");
        channelData.Channel!.Id.ShouldBe("19:6848757105754c8981c67612732d9aa7@thread.tacv2");
        channelData.Team!.Id.ShouldBe("19:66P469zibfbsGI-_a0aN_toLTZpyzS6u7CT3TsXdgPw1@thread.tacv2");
        channelData.Properties!["teamsChannelId"].GetString().ShouldBe("19:6848757105754c8981c67612732d9aa7@thread.tacv2");
    }

    [Fact]
    public void Action_execute_invoke_has_name_value_and_reply_to_id()
    {
        Activity activity = Load("teams-adaptivecard-action-invoke.json");

        activity.IsType(ActivityTypes.Invoke).ShouldBeTrue();
        activity.Name.ShouldBe(ActivityNames.AdaptiveCardAction);
        activity.Id.ShouldBe("f:17b96347-e8b4-f340-10bc-eb52fc1a6ad4");
        activity.ReplyToId.ShouldBe("1767765488332");
        JsonElement action = activity.Value!.Value.GetProperty("action");
        action.GetProperty("type").GetString().ShouldBe("Action.Execute");
        action.GetProperty("data").GetProperty("feedback").GetString().ShouldBe("test invokes");
        activity.Value.Value.GetProperty("trigger").GetString().ShouldBe("manual");
        activity.GetTeamsChannelData()!.Properties!["legacy"].GetProperty("replyToId").GetString()
            .ShouldBe("1:12SWreU4430kJA9eZCb1kXDuo6A8KdDEGB6d9TkjuDYM");
    }

    [Fact]
    public void Message_back_card_action_carries_text_value_and_reply_to_id()
    {
        Activity activity = Load("teams-messageback-cardaction-inbound.json");

        activity.Text.ShouldBe("User just clicked the MessageBack button");
        activity.Value!.Value.GetProperty("property").GetString().ShouldBe("propertyValue");
        activity.ReplyToId.ShouldBe("1575667808184");
        activity.Conversation!.TenantId.ShouldBeNull();
        activity.GetTenantId().ShouldBe("bec8e231-67ad-484e-87f4-3e5438390a77");
    }

    [Fact]
    public void Installation_update_in_a_team_has_action_and_selected_channel()
    {
        Activity activity = Load("teams-installationUpdate-add-team.json");

        activity.IsType(ActivityTypes.InstallationUpdate).ShouldBeTrue();
        activity.Action.ShouldBe(InstallationUpdateActions.Add);
        TeamsChannelData channelData = activity.GetTeamsChannelData()!;
        channelData.Settings!.SelectedChannel!.Id.ShouldBe("19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2");
        channelData.Team!.Name.ShouldBe("TestTeam2022");
        channelData.Team.AadGroupId.ShouldBe("da849743-4259-475f-ae7a-4f4b0fb49943");
        activity.Conversation!.Name.ShouldBe("2021 Test Channel");
        activity.GetTenantId().ShouldBe("b28fdbfd-2b78-4f93-b0f8-8881793f0f8f");
    }

    [Fact]
    public void Bot_added_to_team_lists_the_bot_among_members_added()
    {
        Activity activity = Load("teams-conversationUpdate-bot-added-to-team.json");

        activity.IsType(ActivityTypes.ConversationUpdate).ShouldBeTrue();
        activity.MembersAdded!.ShouldHaveSingleItem().Id.ShouldBe(activity.Recipient!.Id);
        activity.GetTeamsChannelData()!.EventType.ShouldBe("teamMemberAdded");
        activity.MembersRemoved.ShouldBeNull();
    }

    [Fact]
    public void Bot_added_to_personal_chat_lists_bot_and_user()
    {
        Activity activity = Load("teams-conversationUpdate-bot-added-personal.json");

        activity.MembersAdded!.Select(m => m.Id).ShouldBe(["28:f5d48856-5b42-41a0-8c3a-c5f944b679b0", "29:<userID>"]);
        activity.MembersAdded![1].AadObjectId.ShouldBe("***");
        activity.GetTenantId().ShouldBe("<TENANT ID>");
    }

    [Fact]
    public void File_attachment_reads_as_file_download_info()
    {
        Activity activity = Load("teams-file-attachment-personal.fragment.json");

        Attachment attachment = activity.Attachments!.ShouldHaveSingleItem();
        attachment.Name.ShouldBe("file_example.txt");
        attachment.ContentUrl.ShouldStartWith("https://contoso.sharepoint.com/personal/");
        FileDownloadInfo info = FileDownloadInfo.FromAttachment(attachment)!;
        info.DownloadUrl.ShouldBe("https://download.link");
        info.UniqueId.ShouldBe("1150D938-8870-4044-9F2C-5BBDEBA70C9D");
        info.FileType.ShouldBe("txt");
        info.Properties!["etag"].GetString().ShouldBe("123");
    }
}
