using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Cards;
using ChatOpsBot.Intake;
using ChatOpsBot.Tests.Alerts.Support;
using ChatOpsBot.Tests.Commands.Support;
using ChatOpsBot.Tests.Intake.Support;
using ChatOpsBot.Tests.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Tests.Intake;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes through IAsyncLifetime.DisposeAsync.")]
public sealed class IntakeEndpointTests : IAsyncLifetime
{
    private const string Key = "intake-key-0123456789abcdefghijklmnopqrstuvwxyz";
    private const string SocTarget = "conversation:msteams:19:soc-triage@thread.tacv2";
    private const string BodyMarker = "BODY-MARKER-7f3c";

    private readonly string _folder = TestDatabase.NewFolder();
    private readonly FakeAlertChannel _soc = new();
    private readonly CapturingLoggerProvider _logs = new();
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _factory = Host(Key);
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        _logs.Dispose();
        TestDatabase.ReleaseAndDeleteFolder(_folder);
    }

    private WebApplicationFactory<Program> Host(string apiKey, string folderSuffix = "") =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:ChatOps", $"Data Source={Path.Combine(_folder + folderSuffix, "chatops.db")}");
            builder.UseSetting("MicrosoftAppId", "");
            builder.UseSetting("Intake:ApiKey", apiKey);
            builder.UseSetting("Intake:MaxMessageBytes", "65536");
            builder.UseSetting("Alerts:Targets:0", SocTarget);
            builder.UseSetting("VirusTotal:LookupsEnabled", "false");
            builder.ConfigureLogging(logging => logging.AddProvider(_logs));
            builder.ConfigureServices(services => services.AddSingleton<IAlertChannel>(_soc));
        });

    private static HttpRequestMessage Post(byte[] body, string? key = Key, bool declareLength = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, IntakeEndpoints.MailPath)
        {
            Content = declareLength ? new ByteArrayContent(body) : new StreamContent(new UnknownLengthStream(body)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("message/rfc822");
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(IntakeOptions.ApiKeyHeader, key);
        }

        return request;
    }

    private IReadOnlyList<LogRecord> IntakeLog => [.. _logs.Records.Where(r => r.Category == typeof(IntakeEndpoints).FullName)];

    private async Task<long> CountAsync(string table) =>
        await _factory.Services.GetRequiredService<AlertDatabase>().ReadAsync(async c =>
        {
            using DbCommand command = c.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table}";
            return (long)(await command.ExecuteScalarAsync())!;
        }, CancellationToken.None);

    private async Task NothingStoredAsync()
    {
        (await CountAsync("mail_reports")).ShouldBe(0);
        (await CountAsync("alerts")).ShouldBe(0);
        string logged = string.Join("\n", _logs.Records.Select(r => r.Message));
        logged.ShouldNotContain(BodyMarker);
        logged.ShouldNotContain(Key);
    }

    [Fact]
    public async Task AMessageIsAcceptedWithAnAnalysisIdAndItsVerdictCardReachesTheSoc()
    {
        using HttpRequestMessage request = Post(IntakeSamples.Bytes("report-attached.eml"));

        using HttpResponseMessage response = await _client.SendAsync(request);
        await _factory.Services.GetRequiredService<AlertDeliveryService>().DeliverDueAsync(CancellationToken.None);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        IntakeAccepted accepted = (await response.Content.ReadFromJsonAsync<IntakeAccepted>())!;
        accepted.AnalysisId.ShouldStartWith(MailReportIds.Prefix);
        AlertMessage post = _soc.Posts.ShouldHaveSingleItem();
        post.Target.Value.ShouldBe(SocTarget);
        post.Alert.Kind.ShouldBe(AlertKinds.MailReport);
        post.Alert.Payload.DetectedBy.ShouldContain("mail-flow webhook");
        string card = CardJson.Serialize(post.Card);
        card.ShouldContain(accepted.AnalysisId);
        card.ShouldContain("Action required: your password expires today");
        (await CountAsync("mail_reports")).ShouldBe(1);
        IntakeLog.ShouldHaveSingleItem().Message.ShouldContain("accepted as report " + accepted.AnalysisId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("intake-key-0123456789abcdefghijklmnopqrstuvwxyZ")]
    [InlineData("intake-key")]
    [InlineData(Key + "x")]
    [InlineData("")]
    public async Task AMissingOrWrongKeyIs401AndNothingIsKept(string? key)
    {
        using HttpRequestMessage request = Post(Encoding.ASCII.GetBytes($"From: a@b.example\r\nSubject: {BodyMarker}\r\n\r\n{BodyMarker}\r\n"), key);

        using HttpResponseMessage response = await _client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await NothingStoredAsync();
        IntakeLog.ShouldHaveSingleItem().Message.ShouldContain("refused (401)");
    }

    [Fact]
    public async Task TwoKeyHeadersAre401()
    {
        using HttpRequestMessage request = Post(IntakeSamples.Bytes("report-inline.eml"));
        request.Headers.TryAddWithoutValidation(IntakeOptions.ApiKeyHeader, Key);

        using HttpResponseMessage response = await _client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ABodyOverTheLimitIs413WhetherItsLengthIsDeclaredOrNot(bool declareLength)
    {
        byte[] body = Encoding.ASCII.GetBytes($"From: a@b.example\r\nSubject: {BodyMarker}\r\n\r\n" + new string('x', 70_000));
        using HttpRequestMessage request = Post(body, declareLength: declareLength);

        using HttpResponseMessage response = await _client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        await NothingStoredAsync();
        IntakeLog.ShouldHaveSingleItem().Message.ShouldContain("refused (413)");
    }

    public static TheoryData<string, byte[]> NotMail() => new()
    {
        { "binary junk", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00, .. Encoding.ASCII.GetBytes(BodyMarker)] },
        { "JSON", Encoding.UTF8.GetBytes($$"""{"subject":"{{BodyMarker}}","from":"a@b.example"}""") },
        { "headers without From", Encoding.ASCII.GetBytes($"Subject: {BodyMarker}\r\nTo: a@b.example\r\n\r\nhello\r\n") },
        { "continuation first", Encoding.ASCII.GetBytes($" folded: {BodyMarker}\r\nFrom: a@b.example\r\n\r\n") },
        { "NUL in headers", Encoding.ASCII.GetBytes($"From: a@b.example\r\nSubject: {BodyMarker}\0\r\n\r\n") },
        { "Outlook .msg", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. Encoding.ASCII.GetBytes(BodyMarker)] },
        { "empty", [] },
    };

    [Theory]
    [MemberData(nameof(NotMail))]
    public async Task ABodyThatIsNotMailIs422AndNothingIsKept(string what, byte[] body)
    {
        using HttpRequestMessage request = Post(body);

        using HttpResponseMessage response = await _client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, what);
        await NothingStoredAsync();
        IntakeLog.ShouldHaveSingleItem().Message.ShouldContain("refused (422)");
    }

    [Fact]
    public async Task WhenEverySlotIsBusyTheAnswerIs503WithRetryAfterAndALaterTryIsAccepted()
    {
        IntakeGate gate = _factory.Services.GetRequiredService<IntakeGate>();
        List<IDisposable> held = [];
        while (gate.TryEnter() is { } slot)
        {
            held.Add(slot);
        }

        using (HttpRequestMessage busy = Post(IntakeSamples.Bytes("report-inline.eml")))
        using (HttpResponseMessage response = await _client.SendAsync(busy))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter.ShouldNotBeNull();
            held.Count.ShouldBe(4);
        }

        await NothingStoredAsync();
        held.ForEach(slot => slot.Dispose());
        using HttpRequestMessage later = Post(IntakeSamples.Bytes("report-inline.eml"));
        using HttpResponseMessage accepted = await _client.SendAsync(later);
        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task WithoutAConfiguredKeyTheEndpointIsNotThere()
    {
        await using WebApplicationFactory<Program> unconfigured = Host("", "-nokey");
        using HttpClient client = unconfigured.CreateClient();
        using HttpRequestMessage request = Post(IntakeSamples.Bytes("report-attached.eml"), key: "");

        using HttpResponseMessage response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        TestDatabase.ReleaseAndDeleteFolder(_folder + "-nokey");
    }

    /// <summary>A body sent chunked: no Content-Length for the server to refuse early.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
