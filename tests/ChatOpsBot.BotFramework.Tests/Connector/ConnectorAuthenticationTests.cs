using ChatOpsBot.BotFramework.Connector;
using ChatOpsBot.BotFramework.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.BotFramework.Tests.Connector;

public sealed class ConnectorAuthenticationTests
{
    private static Task<ResourceResponse> SendAsync(ConnectorHarness harness, string? serviceUrl = null) =>
        harness.Client.SendToConversationAsync(serviceUrl ?? harness.ServiceUrl, "a:1", Activity.CreateMessageActivity("hi"), CancellationToken.None);

    [Fact]
    public async Task Single_tenant_tokens_come_from_the_app_tenant_by_client_credentials()
    {
        await using ConnectorHarness harness = await ConnectorHarness.StartAsync();

        await SendAsync(harness);

        RecordedRequest tokenRequest = harness.TokenRequests.ShouldHaveSingleItem();
        tokenRequest.Method.ShouldBe("POST");
        tokenRequest.RawTarget.ShouldBe($"/{ConnectorHarness.TenantId}/oauth2/v2.0/token");
        Dictionary<string, string> form = ParseForm(tokenRequest.Body);
        form["grant_type"].ShouldBe("client_credentials");
        form["client_id"].ShouldBe(ConnectorHarness.AppId);
        form["client_secret"].ShouldBe(ConnectorHarness.AppSecret);
        form["scope"].ShouldBe("https://api.botframework.com/.default");
        harness.Connector.Requests.ShouldHaveSingleItem().Header("Authorization").ShouldBe("Bearer eyJ0eXAi.token-1");
    }

    [Fact]
    public async Task Multi_tenant_tokens_come_from_the_botframework_tenant()
    {
        await using ConnectorHarness harness = await ConnectorHarness.StartAsync(settings =>
        {
            settings["MicrosoftAppType"] = "MultiTenant";
            settings["MicrosoftAppTenantId"] = null;
        });

        await SendAsync(harness);

        harness.TokenRequests.ShouldHaveSingleItem().RawTarget.ShouldBe("/botframework.com/oauth2/v2.0/token");
    }

    [Fact]
    public async Task A_valid_token_is_reused_from_the_cache_without_a_second_token_request()
    {
        await using ConnectorHarness harness = await ConnectorHarness.StartAsync();

        await SendAsync(harness);
        await SendAsync(harness);
        await harness.Client.DeleteActivityAsync(harness.ServiceUrl, "a:1", "2", CancellationToken.None);

        harness.TokenRequests.Count.ShouldBe(1);
        harness.Connector.Requests.Select(r => r.Header("Authorization")).Distinct().ShouldBe(["Bearer eyJ0eXAi.token-1"]);
    }

    [Fact]
    public async Task A_token_near_expiry_is_renewed_before_use()
    {
        await using ConnectorHarness harness = await ConnectorHarness.StartAsync();
        harness.TokenLifetimeSeconds = 120; // inside MSAL's five-minute refresh margin

        await SendAsync(harness);
        await SendAsync(harness);

        harness.TokenRequests.Count.ShouldBe(2);
        harness.Connector.Requests.Select(r => r.Header("Authorization")).ShouldBe(["Bearer eyJ0eXAi.token-1", "Bearer eyJ0eXAi.token-2"]);
    }

    [Fact]
    public async Task A_rejected_secret_fails_with_the_entra_error_and_nothing_is_sent()
    {
        await using ConnectorHarness harness = await ConnectorHarness.StartAsync();
        harness.TokenEndpoint.Handler = (context, _) => ConnectorHarness.Respond(context, 401, """
            {"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]}
            """);

        BotAuthenticationException exception = await Should.ThrowAsync<BotAuthenticationException>(() => SendAsync(harness));

        exception.Message.ShouldContain("invalid_client");
        exception.Message.ShouldContain("AADSTS7000215");
        exception.Message.ShouldNotContain(ConnectorHarness.AppSecret);
        harness.Connector.Requests.ShouldBeEmpty();
        harness.Logs.AllText.ShouldNotContain(ConnectorHarness.AppSecret);
    }

    [Fact]
    public async Task Anonymous_mode_sends_no_authorization_header_and_asks_for_no_token()
    {
        await using ConnectorHarness harness = await ConnectorHarness.StartAsync(settings =>
        {
            settings["MicrosoftAppId"] = "";
            settings["MicrosoftAppPassword"] = "";
        });

        await SendAsync(harness);

        harness.Services.GetRequiredService<IBotTokenProvider>().ShouldBeOfType<AnonymousBotTokenProvider>();
        harness.Connector.Requests.ShouldHaveSingleItem().Header("Authorization").ShouldBeNull();
        harness.TokenRequests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("https://evil.example/amer/")]
    [InlineData("http://10.0.0.8:56150/_connector")]
    [InlineData("http://localhost.evil.example:56150/_connector")]
    public async Task Anonymous_mode_still_refuses_untrusted_service_urls_off_loopback(string serviceUrl)
    {
        await using ConnectorHarness harness = await ConnectorHarness.StartAsync(settings => settings["MicrosoftAppId"] = "");

        // Refused before any connection is attempted.
        await Should.ThrowAsync<UntrustedServiceUrlException>(() => SendAsync(harness, serviceUrl));
    }

    [Fact]
    public async Task Anonymous_mode_calls_a_local_emulators_loopback_connector_without_a_token()
    {
        // Agents Playground serves its Connector on http://localhost:PORT, a port nobody can list in advance.
        await using ConnectorHarness harness = await ConnectorHarness.StartAsync(settings => settings["MicrosoftAppId"] = "");

        await SendAsync(harness, new Uri(harness.Untrusted.BaseUri, "_connector").AbsoluteUri);

        RecordedRequest call = harness.Untrusted.Requests.ShouldHaveSingleItem();
        call.RawTarget.ShouldBe("/_connector/v3/conversations/a%3A1/activities");
        call.Header("Authorization").ShouldBeNull();
        harness.TokenRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task With_an_app_id_a_loopback_connector_off_the_list_is_refused()
    {
        await using ConnectorHarness harness = await ConnectorHarness.StartAsync();

        await Should.ThrowAsync<UntrustedServiceUrlException>(() => SendAsync(harness, harness.Untrusted.BaseUri.AbsoluteUri));

        harness.Untrusted.Requests.ShouldBeEmpty();
        harness.TokenRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_forged_activity_with_an_untrusted_service_url_gets_no_call_and_no_token()
    {
        await using ConnectorHarness harness = await ConnectorHarness.StartAsync();
        Activity forged = new()
        {
            Type = ActivityTypes.Message,
            Id = "1759944781430",
            ServiceUrl = new Uri(harness.Untrusted.BaseUri, "amer/").AbsoluteUri,
            Conversation = new ConversationAccount("a:victim"),
            From = new ChannelAccount("29:attacker"),
            Recipient = new ChannelAccount("28:" + ConnectorHarness.AppId),
        };
        Activity reply = forged.CreateReply("secret verdict");

        UntrustedServiceUrlException exception = await Should.ThrowAsync<UntrustedServiceUrlException>(() =>
            harness.Client.ReplyToActivityAsync(reply.ServiceUrl!, reply.Conversation!.Id!, forged.Id!, reply, CancellationToken.None));

        exception.Message.ShouldContain("not on Bot:TrustedServiceUrls");
        exception.Message.ShouldContain($"127.0.0.1:{harness.Untrusted.Port}");
        exception.StatusCode.ShouldBeNull();
        harness.Untrusted.Requests.ShouldBeEmpty();
        harness.TokenRequests.ShouldBeEmpty();
        LogRecord log = harness.Logs.Records.Where(r => r.Level == LogLevel.Warning).ShouldHaveSingleItem();
        log.Message.ShouldContain("Refused Connector ReplyToActivity");
        log.Message.ShouldContain("1759944781430");
        log.Message.ShouldContain("a:victim");
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/")]
    [InlineData("http://127.0.0.1:1/amer/")]
    [InlineData("not a url")]
    public async Task Every_operation_checks_the_service_url(string serviceUrl)
    {
        await using ConnectorHarness harness = await ConnectorHarness.StartAsync();
        IConnectorClient client = harness.Client;
        Activity activity = Activity.CreateMessageActivity("x");

        await Should.ThrowAsync<UntrustedServiceUrlException>(() => client.SendToConversationAsync(serviceUrl, "a:1", activity, CancellationToken.None));
        await Should.ThrowAsync<UntrustedServiceUrlException>(() => client.ReplyToActivityAsync(serviceUrl, "a:1", "1", activity, CancellationToken.None));
        await Should.ThrowAsync<UntrustedServiceUrlException>(() => client.UpdateActivityAsync(serviceUrl, "a:1", "1", activity, CancellationToken.None));
        await Should.ThrowAsync<UntrustedServiceUrlException>(() => client.DeleteActivityAsync(serviceUrl, "a:1", "1", CancellationToken.None));
        await Should.ThrowAsync<UntrustedServiceUrlException>(() => client.CreateConversationAsync(serviceUrl, new ConversationParameters(), CancellationToken.None));

        harness.TokenRequests.ShouldBeEmpty();
        harness.Connector.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_token_never_appears_in_logs()
    {
        await using ConnectorHarness harness = await ConnectorHarness.StartAsync();
        harness.Connector.Handler = (context, _) => ConnectorHarness.Respond(context, 403, """{"error":{"code":"BotNotInConversationRoster","message":"gone"}}""");

        await Should.ThrowAsync<ConnectorException>(() => SendAsync(harness));

        harness.Connector.Requests.ShouldHaveSingleItem().Header("Authorization").ShouldBe("Bearer eyJ0eXAi.token-1");
        harness.Logs.Records.ShouldNotBeEmpty();
        harness.Logs.AllText.ShouldNotContain("eyJ0eXAi.token-1");
        harness.Logs.AllText.ShouldNotContain(ConnectorHarness.AppSecret);
    }

    private static Dictionary<string, string> ParseForm(string body) =>
        body.Split('&').Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
}
