using System.Text;
using System.Text.Json.Nodes;
using ChatOpsBot.Slack.Files;
using ChatOpsBot.Slack.Inbound;
using ChatOpsBot.Slack.Tests.Support;
using ChatOpsBot.Slack.WebApi;
using ChatOpsBot.TestSupport;
using ChatOpsBot.Tests.Slack.Fakes;

namespace ChatOpsBot.Slack.Tests.Files;

public sealed class SlackFileDownloaderTests : IAsyncLifetime
{
    private static readonly byte[] s_eml = Encoding.ASCII.GetBytes("From: a@evil.example\r\nSubject: hi\r\n\r\nbody\r\n");

    private SlackHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SlackHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task DownloadsWithTheBotTokenFromAnAllowedHost()
    {
        SlackFile file = await AddAsync("F1", "report.eml", "message/rfc822", s_eml);

        SlackDownloadedFile downloaded = await _harness.Get<SlackFileDownloader>().DownloadAsync(file, default);

        downloaded.Content.ShouldBe(s_eml);
        downloaded.Name.ShouldBe("report.eml");
        downloaded.ContentType.ShouldBe("message/rfc822");
        _harness.Slack.CallsTo("download").ShouldHaveSingleItem().Authorization.ShouldBe("Bearer " + SlackHarness.Token);
    }

    [Fact]
    public async Task TheSignInPageSlackAnswersWithoutFilesReadIsReportedAsAMissingScope()
    {
        await using SlackHarness harness = await SlackHarness.StartAsync(token: "xoxb-0000-token-without-files-read");
        SlackFile file = await AddAsync("F2", "report.eml", "message/rfc822", s_eml, harness);

        SlackFileDownloadException error = await Should.ThrowAsync<SlackFileDownloadException>(() => harness.Get<SlackFileDownloader>().DownloadAsync(file, default));

        error.Failure.ShouldBe(SlackFileDownloadFailure.MissingFilesReadScope);
        error.Message.ShouldContain("files:read");
        harness.Logs.AllText.ShouldNotContain("xoxb-0000");
    }

    [Fact]
    public async Task AnEmailForwardsHtmlIsNotMistakenForTheSignInPageButTheSignInPageIs()
    {
        byte[] rendering = "<html><body><p>Please verify <a href=\"https://evil.example/login\">here</a></p></body></html>"u8.ToArray();
        SlackFile email = await AddAsync("F3", "Action required", "text/html", rendering, mode: "email");

        (await _harness.Get<SlackFileDownloader>().DownloadAsync(email, default)).Content.ShouldBe(rendering);
        SlackFileDownloader.IsSignInPage(email, "text/html", Encoding.UTF8.GetBytes(FakeSlackApi.SignInPage)).ShouldBeTrue();
    }

    [Theory]
    [InlineData("https://evil.example/files-pri/T1-F1/download/x.eml")]
    [InlineData("https://files.slack.com.evil.example/x.eml")]
    [InlineData("http://files.slack.com/x.eml")]
    [InlineData("https://user:pw@files.slack.com/x.eml")]
    [InlineData("https://files.slack.com😀_-?.\u0000&c/x.eml")]
    public async Task TheTokenIsNeverSentOffSlacksFileHosts(string url)
    {
        await using SlackHarness harness = await SlackHarness.StartAsync(new() { ["Slack:FileHosts:0"] = "files.slack.com" });
        var file = new SlackFile("F9", "x.eml", null, "message/rfc822", "eml", "hosted", 10, url, url, null);

        SlackFileDownloadException error = await Should.ThrowAsync<SlackFileDownloadException>(() => harness.Get<SlackFileDownloader>().DownloadAsync(file, default));

        error.Failure.ShouldBe(SlackFileDownloadFailure.DisallowedUrl);
        error.Message.ShouldNotContain("x.eml");
    }

    [Fact]
    public async Task ARedirectOffTheAllowedHostsIsRefusedBeforeTheTokenIsSentThere()
    {
        await using FakeSlackApi elsewhere = await FakeSlackApi.StartAsync("xoxb-other");
        await using LoopbackServer redirector = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = new Uri(elsewhere.Root, "steal").ToString().Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
            return Task.CompletedTask;
        });
        string url = new Uri(redirector.Root, "files-pri/T1-F1/download/x.eml").ToString();
        var file = new SlackFile("F1", "x.eml", null, "message/rfc822", "eml", "hosted", 10, url, url, null);

        SlackFileDownloadException error = await Should.ThrowAsync<SlackFileDownloadException>(() => _harness.Get<SlackFileDownloader>().DownloadAsync(file, default));

        error.Failure.ShouldBe(SlackFileDownloadFailure.DisallowedUrl);
        elsewhere.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task AFileDeclaredTooLargeIsNotDownloaded()
    {
        await using SlackHarness harness = await SlackHarness.StartAsync(new() { ["Slack:MaxFileBytes"] = "1024" });
        SlackFile file = await AddAsync("F4", "big.eml", "message/rfc822", new byte[2048], harness);

        SlackFileDownloadException error = await Should.ThrowAsync<SlackFileDownloadException>(() => harness.Get<SlackFileDownloader>().DownloadAsync(file, default));

        error.Failure.ShouldBe(SlackFileDownloadFailure.TooLarge);
        harness.Slack.CallsTo("download").ShouldBeEmpty();
    }

    [Fact]
    public async Task AFileLargerThanItClaimsIsCutOffAtTheLimit()
    {
        await using SlackHarness harness = await SlackHarness.StartAsync(new() { ["Slack:MaxFileBytes"] = "1024" });
        SlackFile claimed = await AddAsync("F5", "big.eml", "message/rfc822", new byte[4096], harness) with { Size = 100 };

        SlackFileDownloadException error = await Should.ThrowAsync<SlackFileDownloadException>(() => harness.Get<SlackFileDownloader>().DownloadAsync(claimed, default));

        error.Failure.ShouldBe(SlackFileDownloadFailure.TooLarge);
    }

    [Fact]
    public async Task AFileWithoutUrlsNeedsFilesInfoFirst()
    {
        var connectFile = new SlackFile("F6", null, null, null, null, "file_access", null, null, null, "check_file_info");

        connectFile.NeedsFileInfo.ShouldBeTrue();
        (await Should.ThrowAsync<SlackFileDownloadException>(() => _harness.Get<SlackFileDownloader>().DownloadAsync(connectFile, default))).Failure
            .ShouldBe(SlackFileDownloadFailure.NoDownloadUrl);
    }

    private async Task<SlackFile> AddAsync(string id, string name, string mimeType, byte[] content, SlackHarness? harness = null, string mode = "hosted")
    {
        harness ??= _harness;
        JsonObject json = harness.Slack.AddFile(id, name, mimeType, content, mode);
        return await Task.FromResult(SlackJson.File(System.Text.Json.JsonDocument.Parse(json.ToJsonString()).RootElement)!);
    }
}
