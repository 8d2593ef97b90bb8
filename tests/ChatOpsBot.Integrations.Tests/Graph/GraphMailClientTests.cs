using System.Text;
using System.Text.Json.Nodes;
using ChatOpsBot.Integrations.Graph;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Abstractions.Authentication;

namespace ChatOpsBot.Integrations.Tests.Graph;

public sealed class GraphMailClientTests : IAsyncLifetime
{
    private const string Mailbox = FakeGraphServer.Mailbox;
    private FakeGraphServer _graph = null!;

    public async Task InitializeAsync() => _graph = await FakeGraphServer.StartAsync();

    public async Task DisposeAsync() => await _graph.DisposeAsync();

    internal static Dictionary<string, string?> Settings(FakeGraphServer graph) => new()
    {
        ["ReportMailbox:Graph:BaseUrl"] = graph.BaseUrl,
        ["ReportMailbox:Graph:TenantId"] = "00000000-0000-0000-0000-0000000000aa",
        ["ReportMailbox:Graph:ClientId"] = "00000000-0000-0000-0000-0000000000bb",
        ["ReportMailbox:Graph:ClientSecret"] = "graph-client-secret-do-not-log",
        ["ReportMailbox:Graph:AllowHttpOnLoopbackForTesting"] = "true",
        ["ReportMailbox:Graph:RetryBaseDelay"] = "00:00:00.010",
        ["ReportMailbox:Graph:RequestTimeout"] = "00:00:20",
    };

    private (ServiceProvider Provider, CapturingLoggerProvider Logs) Build(Action<Dictionary<string, string?>>? adjust = null)
    {
        Dictionary<string, string?> settings = Settings(_graph);
        adjust?.Invoke(settings);
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddGraphMailClient(configuration.GetSection("ReportMailbox:Graph"));
        services.AddSingleton(_graph.TokenProvider());
        return (services.BuildServiceProvider(validateScopes: true), logs);
    }

    private static byte[] Mime(string subject) => Encoding.ASCII.GetBytes($"From: a@b.example\r\nTo: c@d.example\r\nSubject: {subject}\r\n\r\nbody\r\n");

    [Fact]
    public async Task ListsTheFolderOldestFirstAcrossPagesWithTokenAndImmutableIds()
    {
        FakeGraphMessage first = _graph.AddMessage(Mime("one"));
        FakeGraphMessage second = _graph.AddMessage(Mime("two"));
        FakeGraphMessage third = _graph.AddMessage(Mime("three"));
        (ServiceProvider provider, _) = Build();
        using (provider)
        {
            IGraphMailClient client = provider.GetRequiredService<IGraphMailClient>();
            GraphMessagePage page1 = await client.ListMessagesAsync(Mailbox, "inbox", unreadOnly: false, pageSize: 2, nextLink: null, CancellationToken.None);
            GraphMessagePage page2 = await client.ListMessagesAsync(Mailbox, "inbox", false, 2, page1.NextLink, CancellationToken.None);

            page1.Messages.Select(m => m.Id).ShouldBe([first.Id, second.Id]);
            page1.NextLink.ShouldNotBeNull();
            page2.Messages.Select(m => m.Id).ShouldBe([third.Id]);
            page2.NextLink.ShouldBeNull();
            page1.Messages[0].FromAddress.ShouldBe("reporter@contoso.example");
            page1.Messages[0].InternetMessageId.ShouldBe(first.InternetMessageId);
            page1.Messages[0].ReceivedAt.ShouldBe(first.ReceivedAt);

            FakeGraphRequest listing = _graph.Requests[0];
            listing.Authorization.ShouldBe("Bearer " + FakeGraphServer.AccessToken);
            listing.Prefer.ShouldBe("IdType=\"ImmutableId\"");
            Uri.UnescapeDataString(listing.PathAndQuery).ShouldContain("$orderby=receivedDateTime asc");
            _graph.Requests.ShouldAllBe(r => r.Prefer == "IdType=\"ImmutableId\"");
        }
    }

    [Fact]
    public async Task UnreadOnlyPutsTheOrderedPropertyFirstInTheFilterAsGraphRequires()
    {
        FakeGraphMessage read = _graph.AddMessage(Mime("read"));
        read.IsRead = true;
        FakeGraphMessage unread = _graph.AddMessage(Mime("unread"));
        (ServiceProvider provider, _) = Build();
        using (provider)
        {
            GraphMessagePage page = await provider.GetRequiredService<IGraphMailClient>()
                .ListMessagesAsync(Mailbox, "inbox", unreadOnly: true, pageSize: 10, nextLink: null, CancellationToken.None);

            page.Messages.Select(m => m.Id).ShouldBe([unread.Id]);
        }
    }

    [Fact]
    public async Task ANextLinkToAnotherHostIsRefusedWithoutARequestOrToken()
    {
        _graph.AddMessage(Mime("one"));
        _graph.AddMessage(Mime("two"));
        await using FakeGraphServer other = await FakeGraphServer.StartAsync();
        _graph.NextLinkOverride = new Uri(other.Root, "v1.0/users/x/mailFolders/inbox/messages?$skiptoken=1").ToString().Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        (ServiceProvider provider, _) = Build();
        using (provider)
        {
            IGraphMailClient client = provider.GetRequiredService<IGraphMailClient>();
            GraphMessagePage page1 = await client.ListMessagesAsync(Mailbox, "inbox", false, 1, null, CancellationToken.None);

            GraphApiException error = await Should.ThrowAsync<GraphApiException>(() => client.ListMessagesAsync(Mailbox, "inbox", false, 1, page1.NextLink, CancellationToken.None));

            error.Kind.ShouldBe(GraphErrorKind.MalformedResponse);
            other.Requests.ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task TheMimeIsReturnedAsSentAndRefusedBeyondTheLimit()
    {
        byte[] mime = Mime("the whole message");
        FakeGraphMessage message = _graph.AddMessage(mime);
        (ServiceProvider provider, _) = Build();
        using (provider)
        {
            IGraphMailClient client = provider.GetRequiredService<IGraphMailClient>();

            (await client.GetMimeAsync(Mailbox, message.Id, 1024, CancellationToken.None)).ShouldBe(mime);
            (await client.GetMimeAsync(Mailbox, message.Id, mime.Length - 1, CancellationToken.None)).ShouldBeNull();
            _graph.Requests.Where(r => r.PathAndQuery.EndsWith("/$value", StringComparison.Ordinal))
                .ShouldAllBe(r => r.Authorization == "Bearer " + FakeGraphServer.AccessToken);
        }
    }

    [Fact]
    public async Task A429WithRetryAfterIsWaitedForAndTheCallSucceeds()
    {
        FakeGraphMessage message = _graph.AddMessage(Mime("throttled"));
        _graph.EnqueueFault("value", FakeGraphServer.Throttled(retryAfterSeconds: 1));
        (ServiceProvider provider, CapturingLoggerProvider logs) = Build();
        using (provider)
        {
            byte[]? mime = await provider.GetRequiredService<IGraphMailClient>().GetMimeAsync(Mailbox, message.Id, 1024, CancellationToken.None);

            mime.ShouldBe(message.Mime);
            _graph.Count("GET", "/$value").ShouldBe(2);
            logs.AllText.ShouldContain("retrying after 00:00:01");
        }
    }

    [Fact]
    public async Task ARetryAfterLongerThanTheLimitFailsAtOnceAsThrottled()
    {
        FakeGraphMessage message = _graph.AddMessage(Mime("throttled"));
        _graph.EnqueueFault("value", FakeGraphServer.Throttled(retryAfterSeconds: 3600));
        (ServiceProvider provider, _) = Build();
        using (provider)
        {
            GraphApiException error = await Should.ThrowAsync<GraphApiException>(
                () => provider.GetRequiredService<IGraphMailClient>().GetMimeAsync(Mailbox, message.Id, 1024, CancellationToken.None));

            error.Kind.ShouldBe(GraphErrorKind.Throttled);
            error.IsTransient.ShouldBeTrue();
            error.StatusCode.ShouldBe(429);
            _graph.Count("GET", "/$value").ShouldBe(1);
        }
    }

    [Fact]
    public async Task Repeated503sStopAfterMaxRetriesAsThrottled()
    {
        _graph.AddMessage(Mime("one"));
        for (int i = 0; i < 5; i++)
        {
            _graph.EnqueueFault("list", FakeGraphServer.Throttled(0, status: 503));
        }

        (ServiceProvider provider, _) = Build(s => s["ReportMailbox:Graph:MaxRetries"] = "2");
        using (provider)
        {
            GraphApiException error = await Should.ThrowAsync<GraphApiException>(
                () => provider.GetRequiredService<IGraphMailClient>().ListMessagesAsync(Mailbox, "inbox", false, 10, null, CancellationToken.None));

            error.Kind.ShouldBe(GraphErrorKind.Throttled);
            _graph.Count("GET", "/messages").ShouldBe(3);
        }
    }

    [Fact]
    public async Task ThrottledWritesAreRetriedWithTheSameBody()
    {
        FakeGraphMessage message = _graph.AddMessage(Mime("move me"));
        _graph.EnqueueFault("move", FakeGraphServer.Throttled(0));
        (ServiceProvider provider, _) = Build();
        using (provider)
        {
            string? id = await provider.GetRequiredService<IGraphMailClient>().MoveAsync(Mailbox, message.Id, FakeGraphServer.ProcessedFolderId, CancellationToken.None);

            id.ShouldBe(message.Id);
            _graph.Message(message.Id).FolderId.ShouldBe(FakeGraphServer.ProcessedFolderId);
            List<FakeGraphRequest> moves = [.. _graph.Requests.Where(r => r.PathAndQuery.EndsWith("/move", StringComparison.Ordinal))];
            moves.Count.ShouldBe(2);
            moves[1].Body.ShouldBe(moves[0].Body);
            FakeGraphServer.Property(JsonNode.Parse(moves[1].Body), "destinationId")!.GetValue<string>().ShouldBe(FakeGraphServer.ProcessedFolderId);
        }
    }

    [Fact]
    public async Task MarkReadFindFolderAndSendMailSpeakGraphsFormat()
    {
        FakeGraphMessage message = _graph.AddMessage(Mime("mark"));
        (ServiceProvider provider, _) = Build();
        using (provider)
        {
            IGraphMailClient client = provider.GetRequiredService<IGraphMailClient>();
            await client.MarkReadAsync(Mailbox, message.Id, CancellationToken.None);
            string? folder = await client.FindFolderIdAsync(Mailbox, FakeGraphServer.ProcessedFolderName, CancellationToken.None);
            string? missing = await client.FindFolderIdAsync(Mailbox, "Nope's", CancellationToken.None);
            await client.SendMailAsync(Mailbox, new GraphOutgoingMail("rita@contoso.example", "Thanks", "Plain <b>text</b>"), CancellationToken.None);

            _graph.Message(message.Id).IsRead.ShouldBeTrue();
            folder.ShouldBe(FakeGraphServer.ProcessedFolderId);
            missing.ShouldBeNull();
            Uri.UnescapeDataString(_graph.Requests.Last(r => r.PathAndQuery.Contains("mailFolders?", StringComparison.Ordinal)).PathAndQuery)
                .ShouldContain("displayName eq 'Nope''s'");
            JsonObject sent = _graph.SentMail.ShouldHaveSingleItem();
            sent["subject"]!.GetValue<string>().ShouldBe("Thanks");
            sent["body"]!["contentType"]!.GetValue<string>().ShouldBe("text");
            sent["body"]!["content"]!.GetValue<string>().ShouldBe("Plain <b>text</b>");
            sent["toRecipients"]![0]!["emailAddress"]!["address"]!.GetValue<string>().ShouldBe("rita@contoso.example");
            sent["internetMessageHeaders"]![0]!["name"]!.GetValue<string>().ShouldBe("X-Auto-Response-Suppress");
            sent["internetMessageHeaders"]![0]!["value"]!.GetValue<string>().ShouldBe("All");
            FakeGraphServer.Property(JsonNode.Parse(_graph.Requests[^1].Body), "saveToSentItems")!.GetValue<bool>().ShouldBeFalse();
        }
    }

    [Fact]
    public async Task AUserIsFoundByPrincipalNameOrByPrimaryAddressAndOtherwiseNotAtAll()
    {
        _graph.AddUser("rita@contoso.example", "11111111-1111-1111-1111-111111111111");
        _graph.AddUser("o'neil@contoso.example", "22222222-2222-2222-2222-222222222222", isUserPrincipalName: false);
        (ServiceProvider provider, _) = Build();
        using (provider)
        {
            IGraphMailClient client = provider.GetRequiredService<IGraphMailClient>();

            (await client.FindUserIdAsync("rita@contoso.example", CancellationToken.None)).ShouldBe("11111111-1111-1111-1111-111111111111");
            (await client.FindUserIdAsync("o'neil@contoso.example", CancellationToken.None)).ShouldBe("22222222-2222-2222-2222-222222222222");
            (await client.FindUserIdAsync("nobody@contoso.example", CancellationToken.None)).ShouldBeNull();
            Uri.UnescapeDataString(_graph.Requests.First(r => r.PathAndQuery.StartsWith("/v1.0/users?", StringComparison.Ordinal)).PathAndQuery)
                .ShouldContain("mail eq 'o''neil@contoso.example'");
        }
    }

    [Fact]
    public async Task A403IsForbiddenWithGraphsCodeAndTheFixAndNoSecretsAnywhere()
    {
        _graph.EnqueueFault("list", FakeGraphServer.Error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again."));
        (ServiceProvider provider, CapturingLoggerProvider logs) = Build();
        using (provider)
        {
            GraphApiException error = await Should.ThrowAsync<GraphApiException>(
                () => provider.GetRequiredService<IGraphMailClient>().ListMessagesAsync(Mailbox, "inbox", false, 10, null, CancellationToken.None));

            error.Kind.ShouldBe(GraphErrorKind.Forbidden);
            error.ErrorCode.ShouldBe("ErrorAccessDenied");
            error.Message.ShouldContain("HTTP 403 ErrorAccessDenied: Access is denied.");
            error.Message.ShouldContain("Mail.ReadWrite");
            error.Message.ShouldNotContain(FakeGraphServer.AccessToken);
            logs.AllText.ShouldNotContain(FakeGraphServer.AccessToken);
            logs.AllText.ShouldNotContain("graph-client-secret-do-not-log");
        }
    }

    [Fact]
    public async Task AnOversizedJsonAnswerIsRefused()
    {
        for (int i = 0; i < 30; i++)
        {
            _graph.AddMessage(Mime("bulk"), subject: new string('x', 200));
        }

        (ServiceProvider provider, _) = Build(s => s["ReportMailbox:Graph:MaxResponseBytes"] = "2048");
        using (provider)
        {
            GraphApiException error = await Should.ThrowAsync<GraphApiException>(
                () => provider.GetRequiredService<IGraphMailClient>().ListMessagesAsync(Mailbox, "inbox", false, 30, null, CancellationToken.None));

            error.Kind.ShouldBe(GraphErrorKind.MalformedResponse);
        }
    }

    [Fact]
    public async Task UnconfiguredGraphSaysSoWithoutARequest()
    {
        (ServiceProvider provider, _) = Build(s =>
        {
            s["ReportMailbox:Graph:ClientId"] = "";
            s["ReportMailbox:Graph:ClientSecret"] = "";
        });
        using (provider)
        {
            IGraphMailClient client = provider.GetRequiredService<IGraphMailClient>();
            client.IsConfigured.ShouldBeFalse();
            GraphApiException error = await Should.ThrowAsync<GraphApiException>(() => client.ListMessagesAsync(Mailbox, "inbox", false, 10, null, CancellationToken.None));
            error.Kind.ShouldBe(GraphErrorKind.NotConfigured);
            _graph.Requests.ShouldBeEmpty();
        }
    }

    [Fact]
    public void TheMsalTokenProviderGivesNoTokenToOtherHostsOrPlainHttp()
    {
        (ServiceProvider provider, _) = Build();
        using (provider)
        {
            var msal = ActivatorUtilities.CreateInstance<GraphTokenProvider>(provider);
            msal.AllowedHostsValidator.IsUrlHostValid(new Uri(_graph.BaseUrl)).ShouldBeTrue();
            msal.AllowedHostsValidator.IsUrlHostValid(new Uri("https://evil.example/v1.0/users")).ShouldBeFalse();
        }
    }

    [Fact]
    public async Task TheMsalTokenProviderReturnsNoTokenForAForeignHostWithoutCallingEntra()
    {
        (ServiceProvider provider, _) = Build();
        using (provider)
        {
            var msal = ActivatorUtilities.CreateInstance<GraphTokenProvider>(provider);
            (await msal.GetAuthorizationTokenAsync(new Uri("https://evil.example/v1.0/users"))).ShouldBeEmpty();
        }
    }

    [Theory]
    [InlineData("ReportMailbox:Graph:BaseUrl", "http://graph.example/v1.0", "must be an https URL")]
    [InlineData("ReportMailbox:Graph:AuthorityHost", "http://127.0.0.1:1", "only allowed on loopback")]
    [InlineData("ReportMailbox:Graph:ClientSecret", "", "ReportMailbox:Graph:ClientSecret is empty")]
    [InlineData("ReportMailbox:Graph:TenantId", "common", "ReportMailbox:Graph:TenantId must be")]
    [InlineData("ReportMailbox:Graph:MaxRetryAfter", "01:00:00", "ReportMailbox:Graph:MaxRetryAfter")]
    public void BadOptionsAreRefusedOnStartNamingTheKey(string key, string value, string expected)
    {
        (ServiceProvider provider, _) = Build(s => s[key] = value);
        using (provider)
        {
            OptionsValidationException error = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GraphOptions>>().Value);
            error.Message.ShouldContain(expected);
            error.Message.ShouldNotContain("graph-client-secret-do-not-log");
        }
    }
}
