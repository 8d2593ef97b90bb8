using System.Text.Json;
using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Tests.Schema;

public sealed class ActivityTests
{
    private static Activity Incoming() => JsonSerializer.Deserialize<Activity>(Samples.Read("teams-channel-message-with-mention.json"), BotJson.Options)!;

    [Fact]
    public void Create_reply_swaps_sender_and_recipient_and_replies_to_the_activity()
    {
        Activity incoming = Incoming();

        Activity reply = incoming.CreateReply("pong");

        reply.Type.ShouldBe(ActivityTypes.Message);
        reply.Text.ShouldBe("pong");
        reply.From!.Id.ShouldBe("28:0b6fe6d1-fece-44f7-9a48-56465e2d5ab8");
        reply.Recipient!.Id.ShouldBe(incoming.From!.Id);
        reply.Recipient.Name.ShouldBe("rido");
        reply.Recipient.AadObjectId.ShouldBeNull();
        reply.ReplyToId.ShouldBe("1759944781430");
        reply.Conversation.ShouldBe(incoming.Conversation);
        reply.ServiceUrl.ShouldBe(incoming.ServiceUrl);
        reply.ChannelId.ShouldBe("msteams");
        reply.Locale.ShouldBe("en-US");
        reply.Attachments.ShouldBeNull();
        reply.Entities.ShouldBeNull();
        reply.ChannelData.ShouldBeNull();
    }

    [Fact]
    public void Create_reply_on_an_activity_without_addresses_does_not_throw()
    {
        Activity reply = new Activity { Type = ActivityTypes.Message }.CreateReply();

        reply.Text.ShouldBe(string.Empty);
        reply.From.ShouldBeNull();
        reply.Recipient.ShouldBeNull();
        reply.Conversation.ShouldBeNull();
    }

    [Fact]
    public void Conversation_reference_holds_what_a_proactive_message_needs_and_serialises_compactly()
    {
        Activity incoming = Incoming();

        ConversationReference reference = incoming.GetConversationReference();

        reference.ActivityId.ShouldBe(incoming.Id);
        reference.User.ShouldBe(incoming.From);
        reference.Bot.ShouldBe(incoming.Recipient);
        reference.Conversation.ShouldBe(incoming.Conversation);
        reference.ChannelId.ShouldBe("msteams");
        reference.ServiceUrl.ShouldBe(incoming.ServiceUrl);
        reference.Locale.ShouldBe("en-US");

        string json = JsonSerializer.Serialize(reference, BotJson.Options);
        ConversationReference restored = JsonSerializer.Deserialize<ConversationReference>(json, BotJson.Options)!;
        restored.Conversation!.TenantId.ShouldBe("50612dbb-0237-4969-b378-8d42590f9c00");
        restored.User!.AadObjectId.ShouldBe(incoming.From!.AadObjectId);
        restored.ServiceUrl.ShouldBe(incoming.ServiceUrl);
        JsonSerializer.Serialize(restored, BotJson.Options).ShouldBe(json);
    }

    [Fact]
    public void Applying_a_reference_outgoing_addresses_bot_to_user_and_replies_to_its_activity()
    {
        ConversationReference reference = Incoming().GetConversationReference();

        Activity message = Activity.CreateMessageActivity("alert").ApplyConversationReference(reference);

        message.From.ShouldBe(reference.Bot);
        message.Recipient.ShouldBe(reference.User);
        message.Conversation.ShouldBe(reference.Conversation);
        message.ServiceUrl.ShouldBe(reference.ServiceUrl);
        message.ChannelId.ShouldBe(reference.ChannelId);
        message.ReplyToId.ShouldBe(reference.ActivityId);
        message.Id.ShouldBeNull();
    }

    [Fact]
    public void Applying_a_reference_without_activity_id_posts_instead_of_replying()
    {
        ConversationReference reference = Incoming().GetConversationReference() with { ActivityId = null };

        Activity message = Activity.CreateMessageActivity("alert").ApplyConversationReference(reference);

        message.ReplyToId.ShouldBeNull();
    }

    [Fact]
    public void Applying_a_reference_incoming_addresses_user_to_bot_and_takes_its_activity_id()
    {
        ConversationReference reference = Incoming().GetConversationReference();

        Activity activity = new Activity { Type = ActivityTypes.Event, Locale = "fr-FR" }
            .ApplyConversationReference(reference with { Locale = null }, isIncoming: true);

        activity.From.ShouldBe(reference.User);
        activity.Recipient.ShouldBe(reference.Bot);
        activity.Id.ShouldBe(reference.ActivityId);
        activity.ReplyToId.ShouldBeNull();
        activity.Locale.ShouldBe("fr-FR");
    }

    [Fact]
    public void Continuation_activity_is_a_continue_conversation_event_whose_reply_reaches_the_user()
    {
        ConversationReference reference = Incoming().GetConversationReference() with { ActivityId = null };

        Activity continuation = reference.ToContinuationActivity();
        Activity reply = continuation.CreateReply("later");

        continuation.Type.ShouldBe(ActivityTypes.Event);
        continuation.Name.ShouldBe(ActivityNames.ContinueConversation);
        continuation.From.ShouldBe(reference.User);
        continuation.Recipient.ShouldBe(reference.Bot);
        continuation.Conversation.ShouldBe(reference.Conversation);
        continuation.ServiceUrl.ShouldBe(reference.ServiceUrl);
        reply.From!.Id.ShouldBe(reference.Bot!.Id);
        reply.Recipient!.Id.ShouldBe(reference.User!.Id);
        reply.ReplyToId.ShouldBeNull();
    }

    [Fact]
    public void Mentions_skip_entities_that_are_not_well_formed_mentions()
    {
        Activity activity = JsonSerializer.Deserialize<Activity>("""
            {"type":"message","text":"<at>Bot</at> hi","entities":[
              {"type":"mention","mentioned":"28:x","text":"<at>Bot</at>"},
              {"type":"mention","text":"<at>Bot</at>"},
              {"type":"mention","mentioned":{"id":42}},
              {"type":"Mention","mentioned":{"id":"28:bot","name":"Bot"},"text":7},
              {"type":"clientInfo","mentioned":{"id":"28:other"}}]}
            """, BotJson.Options)!;

        Mention mention = activity.GetMentions().ShouldHaveSingleItem();
        mention.Mentioned.Id.ShouldBe("28:bot");
        mention.Text.ShouldBeNull();
    }

    [Fact]
    public void Mention_to_entity_writes_the_documented_outbound_shape()
    {
        Entity entity = new Mention(new ChannelAccount("29:u", "Ann"), "<at>Ann</at>").ToEntity();

        JsonSerializer.Serialize(entity, BotJson.Options)
            .ShouldBe("""{"type":"mention","mentioned":{"id":"29:u","name":"Ann"},"text":"<at>Ann</at>"}""");
        entity.AsMention()!.Mentioned.Name.ShouldBe("Ann");
    }

    [Theory]
    [InlineData("""{"channelData":"tenant"}""")]
    [InlineData("""{"channelData":[{"tenant":{"id":"t"}}]}""")]
    [InlineData("""{"channelData":{"tenant":"t"}}""")]
    [InlineData("""{"channelData":{"tenant":{"id":5}}}""")]
    public void Malformed_channel_data_reads_as_absent(string json)
    {
        Activity activity = JsonSerializer.Deserialize<Activity>(json, BotJson.Options)!;

        activity.GetTeamsChannelData().ShouldBeNull();
        activity.GetTenantId().ShouldBeNull();
    }

    [Fact]
    public void Tenant_from_the_conversation_wins_over_channel_data()
    {
        Activity activity = JsonSerializer.Deserialize<Activity>(
            """{"conversation":{"id":"a:1","tenantId":"from-conversation"},"channelData":{"tenant":{"id":"from-channel-data"}}}""",
            BotJson.Options)!;

        activity.GetTenantId().ShouldBe("from-conversation");
    }

    [Theory]
    [InlineData("""{"contentType":"application/vnd.microsoft.teams.file.download.info","content":"https://x/"}""")]
    [InlineData("""{"contentType":"application/vnd.microsoft.teams.file.download.info"}""")]
    [InlineData("""{"contentType":"application/vnd.microsoft.teams.file.download.info","content":{"downloadUrl":["https://x/"]}}""")]
    [InlineData("""{"contentType":"image/png","content":{"downloadUrl":"https://x/"}}""")]
    public void File_download_info_is_null_for_other_or_malformed_attachments(string json)
    {
        Attachment attachment = JsonSerializer.Deserialize<Attachment>(json, BotJson.Options)!;

        FileDownloadInfo.FromAttachment(attachment).ShouldBeNull();
    }

    [Fact]
    public void Personal_chat_parameters_match_the_captured_request_and_add_the_documented_tenant()
    {
        ConversationParameters parameters = ConversationParameters.ForPersonalChat(
            new ChannelAccount("28:3738fe3d-bca2-479d-8e45-1660de89ee41"),
            new ChannelAccount("29:user"),
            "3f3d1cea-7a18-41af-872b-cfbbd5140984");

        JsonSerializer.Serialize(parameters, BotJson.Options).ShouldBe(
            """{"isGroup":false,"bot":{"id":"28:3738fe3d-bca2-479d-8e45-1660de89ee41"},"members":[{"id":"29:user"}],"tenantId":"3f3d1cea-7a18-41af-872b-cfbbd5140984","channelData":{"tenant":{"id":"3f3d1cea-7a18-41af-872b-cfbbd5140984"}}}""");
    }

    [Fact]
    public void Channel_thread_parameters_carry_the_activity_channel_and_tenant()
    {
        ConversationParameters parameters = ConversationParameters.ForChannelThread(
            "19:LydFnezGKSkhYoiLNP6kZ8AuXQr36EDAkvG9CNJSPKc1@thread.tacv2",
            "3f3d1cea-7a18-41af-872b-cfbbd5140984",
            Activity.CreateMessageActivity("[Diagnostic] channel thread"));

        JsonSerializer.Serialize(parameters, BotJson.Options).ShouldBe(
            """{"isGroup":true,"tenantId":"3f3d1cea-7a18-41af-872b-cfbbd5140984","activity":{"type":"message","text":"[Diagnostic] channel thread"},"channelData":{"tenant":{"id":"3f3d1cea-7a18-41af-872b-cfbbd5140984"},"channel":{"id":"19:LydFnezGKSkhYoiLNP6kZ8AuXQr36EDAkvG9CNJSPKc1@thread.tacv2"}}}""");
    }

    [Fact]
    public void Invoke_response_body_is_serialised_by_its_runtime_type()
    {
        InvokeResponse response = new(200, AdaptiveCardInvokeResponse.Message("done"));

        JsonSerializer.Serialize(response.Body, BotJson.Options)
            .ShouldBe("""{"statusCode":200,"type":"application/vnd.microsoft.activity.message","value":"done"}""");
    }

    [Fact]
    public void Attachment_from_content_serialises_the_card_with_the_given_options()
    {
        Attachment attachment = Attachment.FromContent(Attachment.AdaptiveCardContentType, new { type = "AdaptiveCard", version = "1.5" });

        JsonSerializer.Serialize(attachment, BotJson.Options)
            .ShouldBe("""{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","version":"1.5"}}""");
    }
}
