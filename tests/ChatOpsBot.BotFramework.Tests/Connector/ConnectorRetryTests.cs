using System.Net;
using ChatOpsBot.BotFramework.Connector;
using ChatOpsBot.BotFramework.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.BotFramework.Tests.Connector;

public sealed class ConnectorRetryTests : IAsyncLifetime
{
    private ConnectorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ConnectorHarness.StartAsync(settings =>
    {
        settings["Bot:Connector:MaxRetries"] = "3";
        settings["Bot:Connector:BaseDelay"] = "00:00:01";
        settings["Bot:Connector:MaxDelay"] = "00:00:20";
        settings["Bot:Connector:MaxRetryAfter"] = "00:01:00";
    });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<ResourceResponse> ReplyAsync() => _harness.Client.ReplyToActivityAsync(
        _harness.ServiceUrl, "a:conversation-7", "1759944781430", Activity.CreateMessageActivity("hi"), CancellationToken.None);

    private Task<ResourceResponse> UpdateAsync() => _harness.Client.UpdateActivityAsync(
        _harness.ServiceUrl, "a:conversation-7", "1759944781430", Activity.CreateMessageActivity("edited"), CancellationToken.None);

    /// <summary>Answers with <paramref name="failures"/> in turn, then 201.</summary>
    private void FailFirst(params Func<Microsoft.AspNetCore.Http.HttpContext, Task>[] failures)
    {
        int calls = 0;
        _harness.Connector.Handler = (context, _) =>
        {
            int call = Interlocked.Increment(ref calls);
            return call <= failures.Length
                ? failures[call - 1](context)
                : ConnectorHarness.Respond(context, 201, """{"id":"sent-after-retry"}""");
        };
    }

    [Fact]
    public async Task Throttled_429_waits_the_retry_after_seconds_then_succeeds()
    {
        FailFirst(context => ConnectorHarness.Respond(
            context, 429, """{"error":{"code":"Throttled","message":"slow down"}}""", h => h.RetryAfter = "7"));

        ResourceResponse response = await ReplyAsync();

        response.Id.ShouldBe("sent-after-retry");
        _harness.Connector.Requests.Count.ShouldBe(2);
        _harness.Time.Delays.ShouldBe([TimeSpan.FromSeconds(7)]);
        LogRecord retry = _harness.Logs.Records.Where(r => r.Level == LogLevel.Warning && r.Category.EndsWith("ConnectorClient", StringComparison.Ordinal)).ShouldHaveSingleItem();
        retry.Message.ShouldContain("1759944781430");
        retry.Message.ShouldContain("a:conversation-7");
        retry.Message.ShouldContain("429");
        retry.Message.ShouldContain("Throttled");
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_measured_from_the_clock()
    {
        string date = InstantTimeProvider.Now.AddSeconds(12).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        FailFirst(context => ConnectorHarness.Respond(context, 503, headers: h => h.RetryAfter = date));

        await ReplyAsync();

        _harness.Time.Delays.ShouldBe([TimeSpan.FromSeconds(12)]);
    }

    [Fact]
    public async Task Retry_after_longer_than_the_bound_is_not_waited_for_but_surfaced()
    {
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(
            context, 429, """{"error":{"code":"Throttled","message":"later"}}""", h => h.RetryAfter = "3600");

        ConnectorException exception = await Should.ThrowAsync<ConnectorException>(ReplyAsync);

        exception.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        exception.ErrorCode.ShouldBe("Throttled");
        exception.RetryAfter.ShouldBe(TimeSpan.FromHours(1));
        _harness.Connector.Requests.Count.ShouldBe(1);
        _harness.Time.Delays.ShouldBeEmpty();
    }

    [Fact]
    public async Task Repeated_503s_back_off_exponentially_with_jitter_then_succeed()
    {
        Func<Microsoft.AspNetCore.Http.HttpContext, Task> unavailable = context => ConnectorHarness.Respond(context, 503);
        FailFirst(unavailable, unavailable, unavailable);

        ResourceResponse response = await ReplyAsync();

        response.Id.ShouldBe("sent-after-retry");
        _harness.Connector.Requests.Count.ShouldBe(4);
        _harness.Time.Delays.Count.ShouldBe(3);
        _harness.Time.Delays.ShouldAllBe(d => d > TimeSpan.Zero && d <= TimeSpan.FromSeconds(20));
        _harness.Logs.Records.Count(r => r.Level == LogLevel.Warning && r.Message.Contains("503", StringComparison.Ordinal)).ShouldBe(3);
        _harness.Logs.Records.ShouldNotContain(r => r.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Jittered_delays_differ_between_calls()
    {
        Func<Microsoft.AspNetCore.Http.HttpContext, Task> unavailable = context => ConnectorHarness.Respond(context, 503);
        for (int i = 0; i < 5; i++)
        {
            FailFirst(unavailable);
            await ReplyAsync();
        }

        _harness.Time.Delays.Count.ShouldBe(5);
        _harness.Time.Delays.Distinct().Count().ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task Persistent_5xx_on_an_update_gives_up_after_the_configured_retries_and_logs_every_failure()
    {
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(
            context, 500, """{"error":{"code":"ServiceError","message":"boom"}}""", h => h["MS-CV"] = "cv-123.1");

        ConnectorException exception = await Should.ThrowAsync<ConnectorException>(UpdateAsync);

        exception.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        exception.ErrorCode.ShouldBe("ServiceError");
        exception.CorrelationId.ShouldBe("cv-123.1");
        _harness.Connector.Requests.Count.ShouldBe(4);
        _harness.Logs.Records.Count(r => r.Level == LogLevel.Warning && r.Message.Contains("ServiceError", StringComparison.Ordinal)).ShouldBe(3);
        LogRecord final = _harness.Logs.Records.Where(r => r.Level == LogLevel.Error).ShouldHaveSingleItem();
        final.Message.ShouldContain("1759944781430");
        final.Message.ShouldContain("a:conversation-7");
        final.Message.ShouldContain("cv-123.1");
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task A_post_answered_with_a_5xx_that_may_follow_a_stored_activity_is_sent_once(int status)
    {
        // 500/502/504 can come after the Connector stored the message (a gateway giving up on a slow backend): a
        // repeated POST would post it twice. The caller gets the status and decides.
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(context, status, """{"error":{"code":"ServiceError","message":"gateway"}}""");

        ConnectorException exception = await Should.ThrowAsync<ConnectorException>(ReplyAsync);

        exception.StatusCode.ShouldBe((HttpStatusCode)status);
        _harness.Connector.Requests.Count.ShouldBe(1);
        _harness.Time.Delays.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_update_answered_with_502_is_repeated_because_a_put_is_idempotent()
    {
        FailFirst(context => ConnectorHarness.Respond(context, 502));

        ResourceResponse response = await UpdateAsync();

        response.Id.ShouldBe("sent-after-retry");
        _harness.Connector.Requests.Select(r => r.Method).ShouldBe(["PUT", "PUT"]);
    }

    [Fact]
    public async Task A_post_whose_connection_breaks_after_it_was_sent_is_not_repeated()
    {
        // The Connector read the whole request, then the connection went: it may have posted the message.
        _harness.Connector.Handler = (context, _) =>
        {
            context.Abort();
            return Task.CompletedTask;
        };

        ConnectorException exception = await Should.ThrowAsync<ConnectorException>(ReplyAsync);

        exception.StatusCode.ShouldBeNull();
        exception.InnerException.ShouldBeOfType<HttpRequestException>().HttpRequestError.ShouldNotBe(HttpRequestError.ConnectionError);
        _harness.Connector.Requests.Count.ShouldBe(1);
        _harness.Time.Delays.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_post_that_times_out_after_it_was_sent_is_not_repeated()
    {
        await using ConnectorHarness harness = await ConnectorHarness.StartAsync(settings =>
        {
            settings["Bot:Connector:MaxRetries"] = "3";
            settings["Bot:Connector:RequestTimeout"] = "00:00:00.300";
        });
        using var release = new CancellationTokenSource();
        harness.Connector.Handler = async (context, _) =>
        {
            // Holds the answer until the client has given up (or the test ends).
            using var held = CancellationTokenSource.CreateLinkedTokenSource(release.Token, context.RequestAborted);
            try
            {
                await Task.Delay(Timeout.Infinite, held.Token);
            }
            catch (OperationCanceledException)
            {
            }
        };

        ConnectorException exception = await Should.ThrowAsync<ConnectorException>(() => harness.Client.ReplyToActivityAsync(
            harness.ServiceUrl, "a:conversation-7", "1759944781430", Activity.CreateMessageActivity("hi"), CancellationToken.None));
        await release.CancelAsync();

        exception.Message.ShouldContain("timed out");
        exception.StatusCode.ShouldBeNull();
        harness.Connector.Requests.Count.ShouldBe(1);
        harness.Time.Delays.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_single_attempt_client_surfaces_a_throttle_with_its_retry_after_instead_of_waiting()
    {
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(
            context, 429, """{"error":{"code":"Throttled","message":"slow down"}}""", h => h.RetryAfter = "7");
        IConnectorClient singleAttempt = _harness.Services.GetRequiredKeyedService<IConnectorClient>(ConnectorClient.SingleAttemptKey);

        ConnectorException exception = await Should.ThrowAsync<ConnectorException>(() => singleAttempt.SendToConversationAsync(
            _harness.ServiceUrl, "a:conversation-7", Activity.CreateMessageActivity("alert"), CancellationToken.None));

        exception.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        exception.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
        _harness.Connector.Requests.Count.ShouldBe(1);
        _harness.Connector.Requests[0].Header("Authorization").ShouldBe("Bearer " + _harness.LastIssuedToken);
        _harness.Time.Delays.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(400, "BadArgument")]
    [InlineData(401, "BotNotRegistered")]
    [InlineData(403, "BotNotInConversationRoster")]
    [InlineData(403, "ConversationBlockedByUser")]
    [InlineData(404, "ConversationNotFound")]
    [InlineData(412, "PreconditionFailed")]
    [InlineData(413, "MessageSizeTooBig")]
    public async Task Other_4xx_are_not_retried_and_carry_the_bot_framework_error_code(int status, string code)
    {
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(
            context, status, $$$"""{"error":{"code":"{{{code}}}","message":"Details for {{{code}}}"}}""", h => h.RetryAfter = "1");

        ConnectorException exception = await Should.ThrowAsync<ConnectorException>(ReplyAsync);

        exception.StatusCode.ShouldBe((HttpStatusCode)status);
        exception.ErrorCode.ShouldBe(code);
        exception.Message.ShouldContain($"Details for {code}");
        _harness.Connector.Requests.Count.ShouldBe(1);
        _harness.Time.Delays.ShouldBeEmpty();
        _harness.Logs.Records.ShouldContain(r => r.Level == LogLevel.Error && r.Message.Contains(code, StringComparison.Ordinal) && r.Message.Contains("a:conversation-7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_captured_bad_syntax_error_body_is_parsed()
    {
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(
            context, 400, """{"error":{"code":"BadSyntax","message":"Incorrect conversation creation parameters"}}""");

        ConnectorException exception = await Should.ThrowAsync<ConnectorException>(() => _harness.Client.CreateConversationAsync(
            _harness.ServiceUrl, new ConversationParameters { IsGroup = true, TenantId = ConnectorHarness.TenantId }, CancellationToken.None));

        exception.ErrorCode.ShouldBe("BadSyntax");
        exception.Message.ShouldBe("CreateConversation failed: HTTP 400 BadSyntax: Incorrect conversation creation parameters");
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("""{"error":"just a string"}""")]
    [InlineData("""{"message":"no error member"}""")]
    [InlineData("")]
    public async Task Error_bodies_that_are_not_connector_errors_still_give_a_clear_exception(string body)
    {
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(context, 409, body);

        ConnectorException exception = await Should.ThrowAsync<ConnectorException>(ReplyAsync);

        exception.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        exception.ErrorCode.ShouldBeNull();
        exception.Message.ShouldStartWith("ReplyToActivity failed: HTTP 409");
    }

    [Fact]
    public async Task Remote_error_text_is_made_printable_and_shortened()
    {
        string message = "line one\r\nFAKE LOG LINE: admin logged in\u001b[31m" + new string('x', 5000);
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(
            context, 400, System.Text.Json.JsonSerializer.Serialize(new { error = new { code = "Bad\nArgument", message } }));

        ConnectorException exception = await Should.ThrowAsync<ConnectorException>(ReplyAsync);

        exception.Message.ShouldNotContain("\n");
        exception.Message.ShouldNotContain("\u001b");
        exception.Message.Length.ShouldBeLessThan(600);
        exception.ErrorCode.ShouldBe("Bad?Argument");
        _harness.Logs.AllText.ShouldNotContain("\u001b");
    }

    [Fact]
    public async Task An_echoed_token_is_redacted_from_exceptions_and_logs()
    {
        _harness.Connector.Handler = (context, request) => ConnectorHarness.Respond(
            context, 400, System.Text.Json.JsonSerializer.Serialize(new { error = new { code = "BadArgument", message = "You sent " + request.Header("Authorization") } }));

        ConnectorException exception = await Should.ThrowAsync<ConnectorException>(ReplyAsync);

        exception.Message.ShouldContain("[redacted]");
        exception.Message.ShouldNotContain("token-1");
        _harness.Logs.AllText.ShouldNotContain("eyJ0eXAi.token-1");
    }

    [Fact]
    public async Task An_oversized_error_body_is_not_read()
    {
        string huge = """{"error":{"code":"BadArgument","message":" """ + new string('x', 300 * 1024) + "\"}}";
        _harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(context, 400, huge);

        ConnectorException exception = await Should.ThrowAsync<ConnectorException>(ReplyAsync);

        exception.ErrorCode.ShouldBeNull();
        exception.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Connection_failures_are_retried_then_reported_without_a_status()
    {
        int closedPort = _harness.Connector.Port;
        string serviceUrl = _harness.ServiceUrl;
        await _harness.Connector.DisposeAsync();

        ConnectorException exception = await Should.ThrowAsync<ConnectorException>(() => _harness.Client.ReplyToActivityAsync(
            serviceUrl, "a:conversation-7", "1759944781430", Activity.CreateMessageActivity("hi"), CancellationToken.None));

        exception.StatusCode.ShouldBeNull();
        exception.InnerException.ShouldBeOfType<HttpRequestException>();
        exception.Message.ShouldContain($"127.0.0.1:{closedPort}");
        _harness.Time.Delays.Count.ShouldBe(3);
        _harness.Logs.Records.ShouldContain(r => r.Level == LogLevel.Error && r.Message.Contains("ConnectionError", StringComparison.Ordinal));
    }

    [Fact]
    public void Retry_after_header_values_are_read_as_delays_never_negative()
    {
        DateTimeOffset now = InstantTimeProvider.Now;

        ConnectorClient.ReadRetryAfter(new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(5)), now).ShouldBe(TimeSpan.FromSeconds(5));
        ConnectorClient.ReadRetryAfter(new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(-30)), now).ShouldBe(TimeSpan.Zero);
        ConnectorClient.ReadRetryAfter(new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddMinutes(2)), now).ShouldBe(TimeSpan.FromMinutes(2));
        ConnectorClient.ReadRetryAfter(null, now).ShouldBeNull();
    }
}
