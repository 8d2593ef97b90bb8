using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.BotFramework.Tests.Schema;

public sealed class SampleRoundTripTests
{
    public static TheoryData<string> ActivitySamples => new(Samples.ActivityFiles);

    [Theory]
    [MemberData(nameof(ActivitySamples))]
    public void Activity_sample_round_trips_without_losing_or_changing_anything(string file)
    {
        string json = Samples.Read(file);

        Activity activity = JsonSerializer.Deserialize<Activity>(json, BotJson.Options)!;
        string written = JsonSerializer.Serialize(activity, BotJson.Options);

        JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(written)).ShouldBeTrue(
            $"round trip of {file} changed it:\n{written}");
    }

    [Theory]
    [MemberData(nameof(ActivitySamples))]
    public void Activity_sample_keeps_only_unmodelled_members_in_extension_data(string file)
    {
        Activity activity = JsonSerializer.Deserialize<Activity>(Samples.Read(file), BotJson.Options)!;

        // localTimezone etc. are modelled; nothing the bot reads should fall through to the bag.
        string[] extra = activity.Properties?.Keys.ToArray() ?? [];
        extra.ShouldBeEmpty();
    }

    [Fact]
    public void Create_conversation_requests_from_the_capture_round_trip_as_conversation_parameters()
    {
        JsonNode capture = Samples.Node("teams-connector-create-conversation.json");
        foreach (JsonNode? body in new[]
                 {
                     capture["personal_1to1"]!["request"]!["body"],
                     capture["channel_thread"]!["request"]!["body"],
                     capture["docs_variant_1to1_with_channelData_tenant"]!["body"],
                 })
        {
            ConversationParameters parameters = body.Deserialize<ConversationParameters>(BotJson.Options)!;
            JsonNode written = JsonSerializer.SerializeToNode(parameters, BotJson.Options)!;
            JsonNode.DeepEquals(body, written).ShouldBeTrue(written.ToJsonString());
            parameters.Properties.ShouldBeNull();
        }
    }

    [Fact]
    public void Create_conversation_responses_from_the_capture_deserialise()
    {
        JsonNode capture = Samples.Node("teams-connector-create-conversation.json");

        ConversationResourceResponse personal = capture["personal_1to1"]!["response"]!["body"].Deserialize<ConversationResourceResponse>(BotJson.Options)!;
        ConversationResourceResponse thread = capture["channel_thread"]!["response"]!["body"].Deserialize<ConversationResourceResponse>(BotJson.Options)!;

        personal.Id.ShouldStartWith("a:1p0iicaJlVi");
        personal.ActivityId.ShouldBeNull();
        thread.Id.ShouldBe("19:LydFnezGKSkhYoiLNP6kZ8AuXQr36EDAkvG9CNJSPKc1@thread.tacv2;messageid=1776390257332");
        thread.ActivityId.ShouldBe("1776390257332");
    }

    [Fact]
    public void Connector_error_bodies_deserialise_with_code_message_and_inner_error()
    {
        JsonNode samples = Samples.Node("bf-connector-error-response.json");

        ErrorResponse slack = samples["slack_channel_example"]!["body"].Deserialize<ErrorResponse>(BotJson.Options)!;
        ErrorResponse teams = samples["teams_example"]!["body"].Deserialize<ErrorResponse>(BotJson.Options)!;

        slack.Error!.Code.ShouldBe("BadArgument");
        slack.Error.Message.ShouldBe("Slack API error");
        slack.Error.InnerHttpError!.StatusCode.ShouldBe(200);
        slack.Error.InnerHttpError.Body!.Value.GetProperty("error").GetString().ShouldBe("channel_not_found");
        teams.Error!.Code.ShouldBe("BadSyntax");
        teams.Error.Message.ShouldBe("Incorrect conversation creation parameters");
        teams.Error.InnerHttpError.ShouldBeNull();
    }

    [Fact]
    public void Adaptive_card_invoke_responses_serialise_to_the_documented_bodies()
    {
        JsonNode samples = Samples.Node("teams-invoke-responses.json");
        JsonElement card = samples["card_replace"]!["value"].Deserialize<JsonElement>();

        AssertSameJson(AdaptiveCardInvokeResponse.Card(card), samples["card_replace"]!);
        AssertSameJson(AdaptiveCardInvokeResponse.Message("Your response was recorded."), samples["message_toast"]!);
        AssertSameJson(AdaptiveCardInvokeResponse.Error(400, "BadRequest", "Missing action property"), samples["error"]!);
    }

    [Fact]
    public void Action_submit_value_arrives_as_the_merged_object_with_inputs_as_strings()
    {
        JsonNode fragment = Samples.Node("teams-action-submit-value.fragment.json");
        Activity activity = new JsonObject
        {
            ["type"] = "message",
            ["value"] = fragment["activity_value_received_by_bot"]!.DeepClone(),
        }.Deserialize<Activity>(BotJson.Options)!;

        JsonElement value = activity.Value!.Value;
        value.GetProperty("id_number").GetString().ShouldBe("30");
        value.GetProperty("id_text").GetString().ShouldBe("Kyle");
        value.GetProperty("prop1").GetBoolean().ShouldBeTrue();
        activity.Text.ShouldBeNull();
    }

    [SharedFolderTheory]
    [MemberData(nameof(CopiedSamples))]
    public void Copied_sample_is_identical_to_the_shared_original(string file)
    {
        File.ReadAllText(SharedFolder.PathTo(Path.Combine("samples", "channels", file)))
            .ShouldBe(Samples.Read(file));
    }

    public static TheoryData<string> CopiedSamples =>
        new(Directory.GetFiles(Samples.Folder, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    private static void AssertSameJson<T>(T value, JsonNode expected)
    {
        JsonNode written = JsonSerializer.SerializeToNode(value, BotJson.Options)!;
        JsonNode.DeepEquals(written, expected).ShouldBeTrue($"{written.ToJsonString()} != {expected.ToJsonString()}");
    }
}
