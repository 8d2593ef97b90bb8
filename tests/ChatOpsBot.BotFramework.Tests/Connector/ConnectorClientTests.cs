using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsBot.BotFramework.Connector;
using ChatOpsBot.BotFramework.Schema;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.BotFramework.Tests.Connector;

public sealed class ConnectorClientTests : IAsyncLifetime
{
    private const string ConversationId = "19:6848757105754c8981c67612732d9aa7@thread.tacv2;messageid=1759881511856";
    private const string EscapedConversationId = "19%3A6848757105754c8981c67612732d9aa7%40thread.tacv2%3Bmessageid%3D1759881511856";
    private ConnectorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ConnectorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Send_to_conversation_posts_the_activity_with_the_bot_token()
    {
        Activity activity = Activity.CreateMessageActivity("hello <at>Ann</at>");

        ResourceResponse response = await _harness.Client.SendToConversationAsync(_harness.ServiceUrl, ConversationId, activity, CancellationToken.None);

        response.Id.ShouldBe("1777000000001");
        RecordedRequest request = _harness.Connector.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.RawTarget.ShouldBe($"/amer/v3/conversations/{EscapedConversationId}/activities");
        request.Header("Authorization").ShouldBe("Bearer eyJ0eXAi.token-1");
        request.Header("Content-Type").ShouldBe("application/json; charset=utf-8");
        request.Body.ShouldBe("""{"type":"message","text":"hello <at>Ann</at>"}""");
    }

    [Fact]
    public async Task Typing_is_a_typing_activity_sent_to_the_conversation()
    {
        await _harness.Client.SendToConversationAsync(_harness.ServiceUrl, "a:1xH4", Activity.CreateTypingActivity(), CancellationToken.None);

        RecordedRequest request = _harness.Connector.Requests.ShouldHaveSingleItem();
        request.RawTarget.ShouldBe("/amer/v3/conversations/a%3A1xH4/activities");
        request.Body.ShouldBe("""{"type":"typing"}""");
    }

    [Fact]
    public async Task Reply_posts_to_the_activity_and_sets_reply_to_id()
    {
        Activity reply = Activity.CreateMessageActivity("pong");

        await _harness.Client.ReplyToActivityAsync(_harness.ServiceUrl, ConversationId, "1759944781430", reply, CancellationToken.None);

        RecordedRequest request = _harness.Connector.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.RawTarget.ShouldBe($"/amer/v3/conversations/{EscapedConversationId}/activities/1759944781430");
        JsonNode.Parse(request.Body)!["replyToId"]!.GetValue<string>().ShouldBe("1759944781430");
        request.Header("Authorization").ShouldBe("Bearer eyJ0eXAi.token-1");
    }

    [Fact]
    public async Task Update_puts_the_new_content_under_the_activity_id()
    {
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(context, 200, """{"id":"1767765488332"}""");
        Activity updated = Activity.CreateMessageActivity("approved");

        ResourceResponse response = await _harness.Client.UpdateActivityAsync(_harness.ServiceUrl, "a:1", "1767765488332", updated, CancellationToken.None);

        response.Id.ShouldBe("1767765488332");
        RecordedRequest request = _harness.Connector.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("PUT");
        request.RawTarget.ShouldBe("/amer/v3/conversations/a%3A1/activities/1767765488332");
        request.Body.ShouldBe("""{"type":"message","id":"1767765488332","text":"approved"}""");
    }

    [Fact]
    public async Task Delete_sends_no_body_and_accepts_an_empty_answer()
    {
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(context, 200);

        await _harness.Client.DeleteActivityAsync(_harness.ServiceUrl, "a:1", "1767765488332", CancellationToken.None);

        RecordedRequest request = _harness.Connector.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("DELETE");
        request.RawTarget.ShouldBe("/amer/v3/conversations/a%3A1/activities/1767765488332");
        request.Body.ShouldBeEmpty();
        request.Header("Authorization").ShouldBe("Bearer eyJ0eXAi.token-1");
        _harness.Logs.Records.ShouldNotContain(r => r.Level >= LogLevel.Warning, _harness.Logs.AllText);
    }

    [Fact]
    public async Task Connector_and_token_calls_leave_url_logging_to_the_client()
    {
        // The HTTP client factory would log every request URI (conversation ids, tenant) at Information; the
        // ConnectorClient logs what an operator needs, with ids made printable.
        await _harness.Client.DeleteActivityAsync(_harness.ServiceUrl, "a:1", "1767765488332", CancellationToken.None);

        _harness.TokenRequests.ShouldHaveSingleItem();
        _harness.Logs.Records.ShouldNotContain(r => r.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal), _harness.Logs.AllText);
    }

    [Fact]
    public async Task Create_conversation_posts_the_parameters_and_reads_the_thread_ids()
    {
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(
            context, 201, """{"id":"19:LydF@thread.tacv2;messageid=1776390257332","activityId":"1776390257332"}""");
        ConversationParameters parameters = ConversationParameters.ForChannelThread(
            "19:LydF@thread.tacv2", ConnectorHarness.TenantId, Activity.CreateMessageActivity("[Diagnostic] channel thread"));

        ConversationResourceResponse response = await _harness.Client.CreateConversationAsync(_harness.ServiceUrl, parameters, CancellationToken.None);

        response.Id.ShouldBe("19:LydF@thread.tacv2;messageid=1776390257332");
        response.ActivityId.ShouldBe("1776390257332");
        RecordedRequest request = _harness.Connector.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.RawTarget.ShouldBe("/amer/v3/conversations");
        JsonNode.DeepEquals(JsonNode.Parse(request.Body), JsonSerializer.SerializeToNode(parameters, BotJson.Options)).ShouldBeTrue(request.Body);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(202)]
    public async Task Every_documented_success_status_is_accepted(int status)
    {
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(context, status, """{"id":"x1"}""");

        ResourceResponse response = await _harness.Client.SendToConversationAsync(_harness.ServiceUrl, "a:1", Activity.CreateMessageActivity("hi"), CancellationToken.None);

        response.Id.ShouldBe("x1");
    }

    [Fact]
    public async Task A_success_with_an_unreadable_body_is_still_a_success_and_is_logged()
    {
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(context, 201, "<html>ok</html>");

        ResourceResponse response = await _harness.Client.SendToConversationAsync(_harness.ServiceUrl, "a:1", Activity.CreateMessageActivity("hi"), CancellationToken.None);

        response.Id.ShouldBeNull();
        _harness.Connector.Requests.Count.ShouldBe(1);
        _harness.Logs.Records.ShouldContain(r => r.Level == LogLevel.Warning && r.Message.Contains("could not be read", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(202)]
    [InlineData(204)]
    public async Task An_empty_202_or_204_is_a_quiet_success(int status)
    {
        // Agents Playground acknowledges a typing indicator with an empty 202.
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(context, status);

        ResourceResponse response = await _harness.Client.SendToConversationAsync(_harness.ServiceUrl, "a:1", Activity.CreateTypingActivity(), CancellationToken.None);

        response.Id.ShouldBeNull();
        _harness.Connector.Requests.Count.ShouldBe(1);
        _harness.Logs.Records.ShouldNotContain(r => r.Message.Contains("could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_empty_201_is_still_logged_since_a_created_activity_has_an_id()
    {
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(context, 201);

        ResourceResponse response = await _harness.Client.SendToConversationAsync(_harness.ServiceUrl, "a:1", Activity.CreateMessageActivity("hi"), CancellationToken.None);

        response.Id.ShouldBeNull();
        _harness.Logs.Records.ShouldContain(r => r.Level == LogLevel.Warning && r.Message.Contains("could not be read", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a/b?c#d", "a%2Fb%3Fc%23d")]
    [InlineData("../../v3/attachments", "..%2F..%2Fv3%2Fattachments")]
    [InlineData("%2e%2e", "%252e%252e")]
    [InlineData("a b\u00e9", "a%20b%C3%A9")]
    [InlineData("x\r\nHost: evil", "x%0D%0AHost%3A%20evil")]
    public async Task Hostile_ids_stay_one_path_segment(string conversationId, string expected)
    {
        await _harness.Client.ReplyToActivityAsync(_harness.ServiceUrl, conversationId, "1/2", Activity.CreateMessageActivity("hi"), CancellationToken.None);

        _harness.Connector.Requests.ShouldHaveSingleItem().RawTarget.ShouldBe($"/amer/v3/conversations/{expected}/activities/1%2F2");
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(" ")]
    [InlineData("")]
    public async Task Dot_segment_and_empty_ids_are_refused_before_any_request(string id)
    {
        await Should.ThrowAsync<ArgumentException>(() =>
            _harness.Client.DeleteActivityAsync(_harness.ServiceUrl, id, "1", CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() =>
            _harness.Client.DeleteActivityAsync(_harness.ServiceUrl, "a:1", id, CancellationToken.None));

        _harness.Connector.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Overlong_ids_are_refused()
    {
        await Should.ThrowAsync<ArgumentException>(() => _harness.Client.SendToConversationAsync(
            _harness.ServiceUrl, new string('a', ConnectorClient.MaxIdLength + 1), Activity.CreateMessageActivity("hi"), CancellationToken.None));

        _harness.Connector.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Service_url_without_trailing_slash_and_with_query_keeps_its_path_and_drops_the_query()
    {
        string serviceUrl = _harness.ServiceUrl.TrimEnd('/') + "?x=1#frag";

        await _harness.Client.SendToConversationAsync(serviceUrl, "a:1", Activity.CreateMessageActivity("hi"), CancellationToken.None);

        _harness.Connector.Requests.ShouldHaveSingleItem().RawTarget.ShouldBe("/amer/v3/conversations/a%3A1/activities");
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        string elsewhere = new Uri(_harness.Untrusted.BaseUri, "v3/conversations/a%3A1/activities").AbsoluteUri;
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(context, 307, headers: h => h.Location = elsewhere);

        ConnectorException exception = await Should.ThrowAsync<ConnectorException>(() =>
            _harness.Client.SendToConversationAsync(_harness.ServiceUrl, "a:1", Activity.CreateMessageActivity("hi"), CancellationToken.None));

        exception.StatusCode.ShouldBe(HttpStatusCode.TemporaryRedirect);
        _harness.Connector.Requests.Count.ShouldBe(1);
        _harness.Untrusted.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_connector_that_stalls_mid_body_times_out_and_is_not_retried()
    {
        await using ConnectorHarness harness = await ConnectorHarness.StartAsync(settings => settings["Bot:Connector:RequestTimeout"] = "00:00:00.5");
        harness.Connector.Handler = async (context, _) =>
        {
            context.Response.StatusCode = 201;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"id\":");
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        };

        ConnectorException exception = await Should.ThrowAsync<ConnectorException>(() =>
            harness.Client.SendToConversationAsync(harness.ServiceUrl, "a:1", Activity.CreateMessageActivity("hi"), CancellationToken.None));

        exception.Message.ShouldContain("timed out");
        exception.StatusCode.ShouldBeNull();
        harness.Connector.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_turned_into_a_connector_error()
    {
        using CancellationTokenSource cancelled = new();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() =>
            _harness.Client.SendToConversationAsync(_harness.ServiceUrl, "a:1", Activity.CreateMessageActivity("hi"), cancelled.Token));
    }
}
