using ChatOpsBot.Integrations.Mimecast;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Integrations.Tests.Support;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Integrations.Tests.Mimecast;

public sealed class MimecastAuthTests : IAsyncLifetime
{
    private static readonly MimecastUrlLogQuery s_day = new(
        new DateTimeOffset(2024, 11, 17, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 11, 18, 0, 0, 0, TimeSpan.Zero));

    private FakeMimecastServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeMimecastServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task TokenIsRequestedFormEncodedWithClientCredentialsAndReusedAcrossCalls()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        await host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None);
        await host.Mimecast.GetAttachmentLogsAsync(new MimecastAttachmentLogQuery(s_day.From, s_day.To), CancellationToken.None);

        _fake.TokenRequests.ShouldBe(1);
        FakeRequest token = _fake.RequestsTo("/oauth/token").Single();
        token.ContentType.ShouldStartWith("application/x-www-form-urlencoded");
        token.Body.ShouldContain("grant_type=client_credentials");
        token.Body.ShouldContain("client_id=" + FakeMimecastServer.ClientId);
        _fake.Requests.Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal))
            .ShouldAllBe(r => r.Authorization != null && r.Authorization.StartsWith("Bearer fake-access-token-1-"));
    }

    [Fact]
    public async Task TokenIsRenewedShortlyBeforeItExpires()
    {
        var clock = new ManualTimeProvider();
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake, timeProvider: clock);
        await host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(FakeMimecastServer.TokenLifetimeSeconds - 120));
        await host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None);
        _fake.TokenRequests.ShouldBe(1);

        clock.Advance(TimeSpan.FromSeconds(70));
        await host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None);
        _fake.TokenRequests.ShouldBe(2);
    }

    [Fact]
    public async Task ExpiredTokenIsRenewedOnceAndTheCallSucceeds()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);
        await host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None);
        _fake.ExpireIssuedTokens();

        MimecastLogResult<MimecastClickLog> logs = await host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None);

        logs.Records.ShouldNotBeEmpty();
        _fake.TokenRequests.ShouldBe(2);
        IReadOnlyList<FakeRequest> calls = _fake.RequestsTo("/api/ttp/url/get-logs");
        calls.Select(c => c.Authorization).Distinct().Count().ShouldBe(2);
        calls[^1].Authorization.ShouldNotBe(calls[0].Authorization);
    }

    [Fact]
    public async Task TokenExpiredTwiceInARowIsUnauthorizedAfterOneRenewal()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);
        _fake.EnqueueFault("/api/ttp/url/get-logs", FakeFault.MimecastTokenExpired());
        _fake.EnqueueFault("/api/ttp/url/get-logs", FakeFault.MimecastTokenExpired());

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.Unauthorized);
        error.MimecastCode.ShouldBe("token_expired");
        _fake.TokenRequests.ShouldBe(2);
        _fake.RequestsTo("/api/ttp/url/get-logs").Count.ShouldBe(2);
    }

    [Fact]
    public async Task UnauthorizedThatIsNotExpiryIsNotRetriedAndGivesAdvice()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);
        _fake.EnqueueFault("/api/ttp/url/get-logs", FakeFault.MimecastUnauthorized());

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.Unauthorized);
        error.StatusCode.ShouldBe(401);
        error.Message.ShouldContain("Mimecast:ClientId");
        error.Message.ShouldContain("request id fake-req-");
        _fake.TokenRequests.ShouldBe(1);
        _fake.RequestsTo("/api/ttp/url/get-logs").Count.ShouldBe(1);
    }

    [Fact]
    public async Task WrongClientSecretIsInvalidCredentialsWithoutEchoingTheSecret()
    {
        const string wrongSecret = "wrong-secret-that-must-not-leak";
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake, s => s["Mimecast:ClientSecret"] = wrongSecret);

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.InvalidCredentials);
        error.Message.ShouldContain("Mimecast:ClientSecret");
        error.Message.ShouldNotContain(wrongSecret);
        host.Logs.AllText.ShouldNotContain(wrongSecret);
        _fake.RequestsTo("/api/ttp/url/get-logs").ShouldBeEmpty();
    }

    [Fact]
    public async Task NeitherTheSecretNorATokenReachesLogsOrErrorsAcrossFailures()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);
        _fake.EnqueueFault("/api/ttp/url/get-logs", FakeFault.MimecastServerError(503));
        _fake.EnqueueFault("/api/ttp/url/get-logs", FakeFault.MimecastRateLimited(10));
        await host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None);
        _fake.ExpireIssuedTokens();
        await host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None);
        _fake.EnqueueFault("/api/ttp/url/get-logs", FakeFault.MimecastForbidden());
        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None));

        string everything = host.Logs.AllText + "\n" + error;
        everything.ShouldNotContain(FakeMimecastServer.ClientSecret);
        everything.ShouldNotContain("fake-access-token-");
        host.Logs.Entries.ShouldContain(e => e.Text.Contains("fake-req-", StringComparison.Ordinal));
    }
}
