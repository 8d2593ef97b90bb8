using System.Text.Json;
using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.BotFramework.Testing;
using ChatOpsBot.Commands;
using ChatOpsBot.Teams;

namespace ChatOpsBot.Tests.Teams;

public sealed class TeamsRequestsTests
{
    [Fact]
    public void The_actor_is_the_entra_object_id_with_the_display_name_for_show()
    {
        ChatActor actor = TeamsRequests.Actor(new ChannelAccount("29:1mri", "Megan Bowen") { AadObjectId = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8" });

        actor.ShouldBe(new ChatActor("7faf8ab2-3d56-4244-b585-20c8a42ed2b8", "Megan Bowen"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("7faf8ab2\u0000admin")]
    public void Without_a_usable_object_id_the_actor_has_no_id_and_never_falls_back_to_the_mri(string? aadObjectId)
    {
        ChatActor actor = TeamsRequests.Actor(new ChannelAccount("admin-object-id", "admin-object-id") { AadObjectId = aadObjectId });

        actor.Id.ShouldBeEmpty();
    }

    [Fact]
    public void An_overlong_object_id_is_not_an_id()
    {
        TeamsRequests.Actor(new ChannelAccount("29:x") { AadObjectId = new string('a', TeamsRequests.MaxIdChars + 1) }).Id.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("personal", null, ConversationKind.Personal)]
    [InlineData("channel", true, ConversationKind.Channel)]
    [InlineData("groupChat", true, ConversationKind.Group)]
    [InlineData("GROUPCHAT", true, ConversationKind.Group)]
    [InlineData(null, true, ConversationKind.Group)]
    [InlineData("somethingNew", true, ConversationKind.Group)]
    [InlineData(null, null, ConversationKind.Personal)]
    public void Conversation_kinds_follow_the_conversation_type_and_unknown_groups_are_never_private(string? type, bool? isGroup, ConversationKind expected)
    {
        TeamsRequests.KindOf(new ConversationAccount("c", type) { IsGroup = isGroup }).ShouldBe(expected);
    }

    [Fact]
    public void Card_data_becomes_string_arguments_without_the_verb_and_teams_own_keys()
    {
        JsonElement data = JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["verb"] = "vip add",
            ["name"] = "Jane Doe",
            ["days"] = 7,
            ["confirmed"] = true,
            ["msteams"] = new { type = "messageBack" },
            ["nested"] = new { a = 1 },
            ["list"] = new List<int> { 1, 2 },
            ["nothing"] = null,
        });

        IReadOnlyDictionary<string, string> args = TeamsRequests.Arguments(data);

        args.ShouldBe(new Dictionary<string, string> { ["name"] = "Jane Doe", ["days"] = "7", ["confirmed"] = "true" }, ignoreOrder: true);
    }

    [Fact]
    public void Card_data_that_is_not_an_object_has_no_arguments()
    {
        TeamsRequests.Arguments(JsonSerializer.SerializeToElement("help")).ShouldBeEmpty();
    }

    [Fact]
    public void A_card_action_names_its_card_and_its_verb()
    {
        var adapter = new TestAdapter();
        Activity submit = adapter.MakeCardSubmit(new { verb = " whoami ", extra = "1" }, cardActivityId: "1777000000009");
        var turn = new TurnContext(adapter, submit);

        ChatRequest request = TeamsRequests.CardAction(turn, CardAction.FromSubmit(submit)!);

        request.Action.ShouldNotBeNull();
        request.Action.Verb.ShouldBe("whoami");
        request.Action.CardMessageId.ShouldBe("1777000000009");
        request.Action.Args.ShouldBe(new Dictionary<string, string> { ["extra"] = "1" });
        request.Actor.Id.ShouldBe(adapter.Conversation.User.AadObjectId);
        request.Channel.ShouldBe(ChatChannels.Teams);
        request.CorrelationId.ShouldBe(submit.Id);
    }

    [Theory]
    [InlineData("1777000000001", true)]
    [InlineData("f:1234-abcd", true)]
    [InlineData("49bfdd72-8a3d-4182-b929-e078b14cf883", true)]
    [InlineData("id with spaces", false)]
    [InlineData("<script>", false)]
    [InlineData(null, false)]
    public void The_correlation_id_is_the_activity_id_when_it_is_a_plain_id(string? id, bool kept)
    {
        string correlationId = TeamsRequests.CorrelationId(new Activity { Id = id });

        if (kept)
        {
            correlationId.ShouldBe(id);
        }
        else
        {
            correlationId.ShouldStartWith("teams-");
            correlationId.Length.ShouldBe("teams-".Length + 32);
        }
    }
}
