using ChatOpsBot.Integrations.Mimecast;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Integrations.Tests.Support;

namespace ChatOpsBot.Integrations.Tests.Mimecast;

public sealed class MimecastErrorTests : IAsyncLifetime
{
    private const string UrlLogs = "/api/ttp/url/get-logs";

    private static readonly MimecastUrlLogQuery s_day = new(
        new DateTimeOffset(2024, 11, 17, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 11, 18, 0, 0, 0, TimeSpan.Zero));

    private FakeMimecastServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeMimecastServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task ForbiddenNamesThePermissionTheApplicationRoleLacks()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);
        _fake.EnqueueFault(UrlLogs, FakeFault.MimecastForbidden());

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.Forbidden);
        error.StatusCode.ShouldBe(403);
        error.Message.ShouldContain("the API application lacks the role permission 'Monitoring | URL Protection | Read'");
        error.RequestId.ShouldNotBeNull().ShouldStartWith("fake-req-");
        _fake.RequestsTo(UrlLogs).Count.ShouldBe(1);
    }

    [Fact]
    public async Task RateLimitWaitsForTheResetHeaderThenRetries()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);
        _fake.EnqueueFault(UrlLogs, FakeFault.MimecastRateLimited(30));

        MimecastLogResult<MimecastClickLog> logs = await host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None);

        logs.Records.ShouldNotBeEmpty();
        _fake.RequestsTo(UrlLogs).Count.ShouldBe(3);
        host.Logs.Entries.ShouldContain(e => e.Text.Contains("429", StringComparison.Ordinal) && e.Text.Contains("DelayMs=30", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RateLimitResetBeyondTheBoundFailsAtOnceAsRateLimited()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake, s => s["Mimecast:MaxRateLimitWait"] = "00:00:05");
        _fake.EnqueueFault(UrlLogs, FakeFault.MimecastRateLimited(600_000));

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.RateLimited);
        error.Message.ShouldContain("wait 600 s");
        _fake.RequestsTo(UrlLogs).Count.ShouldBe(1);
    }

    [Fact]
    public async Task ServerErrorsAreRetriedWithBackoffUntilOneSucceeds()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);
        _fake.EnqueueFault(UrlLogs, FakeFault.MimecastServerError(500));
        _fake.EnqueueFault(UrlLogs, FakeFault.MimecastServerError(503));

        MimecastLogResult<MimecastClickLog> logs = await host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None);

        logs.Records.ShouldNotBeEmpty();
        _fake.RequestsTo(UrlLogs).Count.ShouldBe(4);
    }

    [Fact]
    public async Task ServerErrorsBeyondTheRetriesAreServerErrorWithMimecastsCode()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake, s => s["Mimecast:MaxRetries"] = "2");
        for (int i = 0; i < 3; i++)
        {
            _fake.EnqueueFault(UrlLogs, FakeFault.MimecastServerError(500));
        }

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.ServerError);
        error.MimecastCode.ShouldBe("internal-error");
        error.Message.ShouldContain("An unexpected error occurred while processing the batch request");
        _fake.RequestsTo(UrlLogs).Count.ShouldBe(3);
    }

    [Fact]
    public async Task HttpOkWithFailIsAnErrorCarryingMimecastsCodeAndMessage()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);
        _fake.EnqueueFault(UrlLogs, FakeFault.MimecastFail("err_validation_failed", "Invalid date range"));

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.Failure);
        error.StatusCode.ShouldBe(200);
        error.MimecastCode.ShouldBe("err_validation_failed");
        error.Message.ShouldBe("Mimecast refused /api/ttp/url/get-logs: err_validation_failed (Invalid date range)");
        _fake.RequestsTo(UrlLogs).Count.ShouldBe(1);
    }

    [Fact]
    public async Task HostileFailTextIsOneBoundedLine()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);
        string message = "line one\r\nINFO forged log line\u202e" + new string('x', 5000);
        _fake.EnqueueFault(UrlLogs, FakeFault.MimecastFail("err_bad\ncode", message));

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None));

        error.Message.ShouldNotContain("\n");
        error.Message.ShouldNotContain("\r");
        error.Message.ShouldNotContain("\u202e");
        error.Message.Length.ShouldBeLessThan(600);
        error.MimecastCode.ShouldBeNull();
    }

    [Theory]
    [InlineData(FakeFault.TruncatedJson)]
    [InlineData("<html>Service Unavailable</html>")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"data\":{\"clickLogs\":[]}}")]
    [InlineData("{\"data\":[],\"fail\":\"nope\"}")]
    [InlineData("")]
    public async Task MalformedBodiesAreOneClearError(string body)
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);
        _fake.EnqueueFault(UrlLogs, FakeFault.Malformed(body));

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.MalformedResponse);
        error.Message.ShouldStartWith("Mimecast's answer to /api/ttp/url/get-logs is not the JSON envelope it documents");
    }

    [Fact]
    public async Task OversizedBodyIsRefused()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake, s => s["Mimecast:MaxResponseBytes"] = "2048");
        _fake.ClickLogs = FakeMimecastServer.SyntheticClickLogs(50, new DateTimeOffset(2024, 11, 17, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 11, 17, 12, 0, 0, TimeSpan.Zero));

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.MalformedResponse);
        error.Message.ShouldContain("larger than 2048 bytes");
    }

    [Fact]
    public async Task SlowAnswerPastTheAttemptTimeoutIsUnavailable()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake, s =>
        {
            s["Mimecast:RequestTimeout"] = "00:00:00.300";
            s["Mimecast:MaxRetries"] = "1";
        });
        await host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None);
        int before = _fake.RequestsTo(UrlLogs).Count;
        _fake.EnqueueFault(UrlLogs, FakeFault.Slow(TimeSpan.FromSeconds(5)));
        _fake.EnqueueFault(UrlLogs, FakeFault.Slow(TimeSpan.FromSeconds(5)));

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.Unavailable);
        error.Message.ShouldContain("did not answer /api/ttp/url/get-logs within 0.3 s");
        _fake.RequestsTo(UrlLogs).Count.ShouldBe(before + 2);
    }

    [Fact]
    public async Task SlowAnswerWithinTheTimeoutIsWaitedFor()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);
        _fake.EnqueueFault(UrlLogs, FakeFault.Slow(TimeSpan.FromMilliseconds(200)));

        MimecastLogResult<MimecastClickLog> logs = await host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None);

        logs.Records.ShouldNotBeEmpty();
        _fake.RequestsTo(UrlLogs).Count.ShouldBe(2);
    }

    [Fact]
    public async Task UnreachableMimecastIsUnavailable()
    {
        Uri deadUrl = _fake.BaseUrl;
        await _fake.DisposeAsync();
        using IntegrationHost host = IntegrationHost.Create(new Dictionary<string, string?>
        {
            ["Mimecast:BaseUrl"] = deadUrl.ToString(),
            ["Mimecast:ClientId"] = "id",
            ["Mimecast:ClientSecret"] = "secret",
            ["Mimecast:AllowHttpOnLoopbackForTesting"] = "true",
            ["Mimecast:MaxRetries"] = "1",
            ["Mimecast:RetryBaseDelay"] = "00:00:00.010",
        });

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.GetUrlLogsAsync(s_day, CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.Unavailable);
        error.Message.ShouldStartWith("Could not reach Mimecast for /oauth/token");
        _fake = await FakeMimecastServer.StartAsync();
    }

    [Fact]
    public async Task NotConfiguredSaysSoAndSendsNothing()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake, s =>
        {
            s["Mimecast:ClientId"] = "";
            s["Mimecast:ClientSecret"] = "";
        });

        host.Mimecast.IsConfigured.ShouldBeFalse();
        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.BlockUrlAsync("https://evil.example/x", MimecastUrlMatchType.Explicit, null, CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.NotConfigured);
        error.Message.ShouldContain("Mimecast:ClientId");
        _fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task CallerCancellationIsNotDressedUpAsAnError()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);
        _fake.EnqueueFault("/oauth/token", FakeFault.Slow(TimeSpan.FromSeconds(5)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Should.ThrowAsync<OperationCanceledException>(() => host.Mimecast.GetUrlLogsAsync(s_day, cancel.Token));
    }
}
