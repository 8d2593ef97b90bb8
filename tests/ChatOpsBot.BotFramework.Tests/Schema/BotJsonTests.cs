using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Tests.Schema;

public sealed class BotJsonTests
{
    [Fact]
    public void Writes_camel_case_and_leaves_out_nulls()
    {
        Activity activity = new() { Type = ActivityTypes.Message, Text = "hi", ReplyToId = null, InputHint = InputHints.AcceptingInput };

        string json = JsonSerializer.Serialize(activity, BotJson.Options);

        json.ShouldBe("""{"type":"message","text":"hi","inputHint":"acceptingInput"}""");
    }

    [Fact]
    public void Reads_member_names_case_insensitively()
    {
        Activity activity = JsonSerializer.Deserialize<Activity>("""{"Type":"message","SERVICEURL":"https://x/","from":{"ID":"29:a"}}""", BotJson.Options)!;

        activity.Type.ShouldBe("message");
        activity.ServiceUrl.ShouldBe("https://x/");
        activity.From!.Id.ShouldBe("29:a");
    }

    [Theory]
    [InlineData("""{"type":"message","serviceUrl":"https://a/","serviceUrl":"https://evil/"}""")]
    [InlineData("""{"type":"message","serviceUrl":"https://a/","ServiceUrl":"https://evil/"}""")]
    [InlineData("""{"type":"message","from":{"id":"29:a","id":"29:b"}}""")]
    [InlineData("""{"type":"message","unknown":1,"unknown":2}""")]
    [InlineData("""{"type":"message","value":{"verb":"a","verb":"b"}}""")]
    public void Rejects_duplicate_members_so_no_two_readers_can_disagree(string json)
    {
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<Activity>(json, BotJson.Options));
    }

    [Fact]
    public void Unknown_members_survive_a_round_trip_at_every_level()
    {
        const string Json = """
            {"type":"message","deliveryMode":"normal","from":{"id":"29:a","userRole":"user"},
             "conversation":{"id":"a:1","extra":[1,2]},
             "attachments":[{"contentType":"x","future":true}],
             "entities":[{"type":"mention","mentioned":{"id":"28:b"},"text":"<at>b</at>","zzz":null}],
             "channelData":{"tenant":{"id":"t"},"anything":{"deep":[{"x":1}]}},"value":[1,"two",null]}
            """;

        Activity activity = JsonSerializer.Deserialize<Activity>(Json, BotJson.Options)!;
        JsonNode written = JsonSerializer.SerializeToNode(activity, BotJson.Options)!;

        JsonNode.DeepEquals(JsonNode.Parse(Json), written).ShouldBeTrue(written.ToJsonString());
        activity.Properties!["deliveryMode"].GetString().ShouldBe("normal");
        activity.From!.Properties!["userRole"].GetString().ShouldBe("user");
    }

    [Theory]
    [InlineData("2025-10-08T17:33:01.4953744Z")]
    [InlineData("2017-02-01T21:10:07.437Z")]
    [InlineData("2021-11-09T04:47:30Z")]
    [InlineData("2026-01-06T22:04:59.89-08:00")]
    [InlineData("2026-01-06T22:04:59+05:30")]
    public void Timestamps_are_written_back_in_the_form_they_came(string timestamp)
    {
        string json = $$"""{"timestamp":"{{timestamp}}"}""";

        Activity activity = JsonSerializer.Deserialize<Activity>(json, BotJson.Options)!;

        JsonSerializer.Serialize(activity, BotJson.Options).ShouldBe(json);
    }

    [Theory]
    [InlineData("""{"timestamp":"yesterday"}""")]
    [InlineData("""{"timestamp":12345}""")]
    [InlineData("""{"membersAdded":{"id":"x"}}""")]
    [InlineData("""{"text":{"a":1}}""")]
    [InlineData("""[1,2]""")]
    public void Malformed_activities_fail_with_a_json_exception(string json)
    {
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<Activity>(json, BotJson.Options));
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_rejected()
    {
        string json = """{"type":"message","value":""" + new string('[', 100) + new string(']', 100) + "}";

        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<Activity>(json, BotJson.Options));
    }

    [Fact]
    public void Missing_type_reads_as_null_for_the_caller_to_reject()
    {
        Activity activity = JsonSerializer.Deserialize<Activity>("""{"text":"hi"}""", BotJson.Options)!;

        activity.Type.ShouldBeNull();
        activity.IsType(ActivityTypes.Message).ShouldBeFalse();
    }

    [Fact]
    public void Shared_options_cannot_be_modified()
    {
        BotJson.Options.IsReadOnly.ShouldBeTrue();
        Should.Throw<InvalidOperationException>(() => BotJson.Options.PropertyNameCaseInsensitive = false);
    }

    [Fact]
    public void Json_null_for_value_and_channel_data_reads_as_absent()
    {
        Activity activity = JsonSerializer.Deserialize<Activity>("""{"type":"message","value":null,"channelData":null}""", BotJson.Options)!;

        activity.Value.ShouldBeNull();
        activity.ChannelData.ShouldBeNull();
        activity.GetTeamsChannelData().ShouldBeNull();
    }
}
