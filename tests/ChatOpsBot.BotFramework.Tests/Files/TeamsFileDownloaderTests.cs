using System.Net;
using System.Text.Json;
using ChatOpsBot.BotFramework.Files;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.BotFramework.Tests.Connector;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.BotFramework.Tests.Files;

public sealed class TeamsFileDownloaderTests : IAsyncLifetime, IDisposable
{
    private const string TempAuth = "tempauth=v1.eyJhdWQiOiJzZWNyZXQtdGVtcGF1dGgi";
    private FakeHttpServer _files = null!;
    private readonly FakeResolver _resolver = new();
    private readonly ListLoggerProvider _logs = new();
    private readonly List<ServiceProvider> _providers = [];

    public async Task InitializeAsync()
    {
        _files = await FakeHttpServer.StartAsync();
        _files.Handler = (context, _) => Serve(context, "From: a@b.example\r\nSubject: phish\r\n\r\nbody"u8.ToArray());
    }

    public void Dispose() => _logs.Dispose();

    public async Task DisposeAsync()
    {
        foreach (ServiceProvider provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _files.DisposeAsync();
    }

    /// <summary>A downloader for tests: http allowed, fakes on 127.0.0.1 reachable only when loopback is allowed.</summary>
    private TeamsFileDownloader Downloader(bool allowLoopback = true, long maxBytes = 1024, string[]? allowedHosts = null, int maxRedirects = 3, string timeout = "00:01:00")
    {
        Dictionary<string, string?> settings = new()
        {
            ["Bot:Files:Timeout"] = timeout,
            ["Bot:Files:AllowHttpForTests"] = "true",
            ["Bot:Files:AllowLoopbackForTests"] = allowLoopback ? "true" : "false",
            ["Bot:Files:MaxFileBytes"] = maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Bot:Files:MaxRedirects"] = maxRedirects.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        string[] hosts = allowedHosts ?? ["127.0.0.1", "sharepoint.com"];
        for (int i = 0; i < hosts.Length; i++)
        {
            settings[$"Bot:Files:AllowedHosts:{i}"] = hosts[i];
        }

        ServiceCollection services = new();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        services.AddSingleton<IHostAddressResolver>(_resolver);
        services.AddTeamsFileDownloads(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _providers.Add(provider);
        return provider.GetRequiredService<TeamsFileDownloader>();
    }

    private static Attachment FileAttachment(string downloadUrl, string name = "suspicious.eml") => new()
    {
        ContentType = FileDownloadInfo.ContentType,
        ContentUrl = "https://contoso-my.sharepoint.com/personal/megan/Documents/Microsoft Teams Chat Files/" + name,
        Name = name,
        Content = JsonSerializer.SerializeToElement(new { downloadUrl, uniqueId = "1150D938-8870-4044-9F2C-5BBDEBA70C9D", fileType = "eml", etag = "123" }),
    };

    private static Task Serve(HttpContext context, byte[] body, bool chunked = false)
    {
        context.Response.ContentType = "message/rfc822";
        if (!chunked)
        {
            context.Response.ContentLength = body.Length;
        }

        return context.Response.Body.WriteAsync(body).AsTask();
    }

    private string FileUrl(string path = "personal/megan/file.eml") => $"{_files.BaseUri}{path}?{TempAuth}";

    [Fact]
    public async Task Downloads_the_file_without_any_credentials_of_the_bot()
    {
        TeamsFileDownload file = await Downloader().DownloadAsync(FileAttachment(FileUrl()), CancellationToken.None);

        System.Text.Encoding.ASCII.GetString(file.Content).ShouldStartWith("From: a@b.example");
        file.FileName.ShouldBe("suspicious.eml");
        file.FileType.ShouldBe("eml");
        file.UniqueId.ShouldBe("1150D938-8870-4044-9F2C-5BBDEBA70C9D");
        file.ContentType.ShouldBe("message/rfc822");
        RecordedRequest request = _files.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("GET");
        request.RawTarget.ShouldBe($"/personal/megan/file.eml?{TempAuth}");
        request.Header("Authorization").ShouldBeNull();
        request.Header("Cookie").ShouldBeNull();
    }

    [Fact]
    public async Task The_download_url_credential_never_reaches_the_logs()
    {
        await Downloader().DownloadAsync(FileAttachment(FileUrl()), CancellationToken.None);
        _files.Handler = (context, _) => { context.Response.StatusCode = 403; return Task.CompletedTask; };
        await Should.ThrowAsync<TeamsFileDownloadException>(() => Downloader().DownloadAsync(FileAttachment(FileUrl()), CancellationToken.None));

        _logs.Records.ShouldNotBeEmpty();
        _logs.AllText.ShouldNotContain("tempauth");
        _logs.AllText.ShouldNotContain("personal/megan");
    }

    [Fact]
    public async Task A_file_of_exactly_the_cap_is_accepted()
    {
        _files.Handler = (context, _) => Serve(context, new byte[1024]);

        TeamsFileDownload file = await Downloader(maxBytes: 1024).DownloadAsync(FileAttachment(FileUrl()), CancellationToken.None);

        file.Content.Length.ShouldBe(1024);
    }

    [Fact]
    public async Task A_declared_length_over_the_cap_is_refused_before_reading()
    {
        _files.Handler = (context, _) => Serve(context, new byte[1025]);

        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            Downloader(maxBytes: 1024).DownloadAsync(FileAttachment(FileUrl()), CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.TooLarge);
        exception.Message.ShouldContain("1025 bytes");
    }

    [Fact]
    public async Task A_stream_without_length_is_cut_off_at_the_cap()
    {
        _files.Handler = async (context, _) =>
        {
            // Far more than the cap, in chunks, with no Content-Length: the client must stop reading, not buffer it all.
            byte[] chunk = new byte[4096];
            try
            {
                for (int i = 0; i < 4096; i++)
                {
                    await context.Response.Body.WriteAsync(chunk);
                    await context.Response.Body.FlushAsync();
                }
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The client hung up, as it should.
            }
        };

        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            Downloader(maxBytes: 10_000).DownloadAsync(FileAttachment(FileUrl()), CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.TooLarge);
        exception.Message.ShouldContain("larger than the limit of 10000 bytes");
    }

    [Theory]
    [InlineData("https://evil.example/file.eml")]
    [InlineData("https://sharepoint.com.evil.example/file.eml")]
    [InlineData("https://evilsharepoint.com/file.eml")]
    [InlineData("https://contoso.sharepoint.com@evil.example/file.eml")]
    [InlineData("https://user:pass@contoso.sharepoint.com/file.eml")]
    [InlineData("ftp://contoso.sharepoint.com/file.eml")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://localhost/file.eml")]
    [InlineData("/etc/passwd")]
    [InlineData("https://contoso.sharepoint.com\U0001F600_-?.\0&c/file.eml")]
    public async Task Urls_off_the_allow_list_are_refused_without_a_request(string url)
    {
        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            Downloader().DownloadAsync(FileAttachment(url), CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.DisallowedUrl);
        _resolver.Lookups.ShouldBeEmpty();
    }

    [Fact]
    public async Task Http_is_refused_unless_allowed_for_tests()
    {
        ServiceCollection services = new();
        services.AddLogging();
        services.AddTeamsFileDownloads(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bot:Files:AllowedHosts:0"] = "127.0.0.1",
            ["Bot:Files:AllowLoopbackForTests"] = "true",
        }).Build());
        await using ServiceProvider provider = services.BuildServiceProvider();

        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            provider.GetRequiredService<TeamsFileDownloader>().DownloadAsync(FileAttachment(FileUrl()), CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.DisallowedUrl);
        exception.Message.ShouldContain("only https");
        _files.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("169.254.169.254")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("[fd00::1]")]
    [InlineData("[::ffff:10.0.0.5]")]
    public async Task Private_ip_literals_are_refused_even_when_listed(string host)
    {
        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            Downloader(allowedHosts: [host]).DownloadAsync(FileAttachment($"http://{host}/latest/meta-data/"), CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.DisallowedAddress);
    }

    [Fact]
    public async Task Loopback_literal_is_refused_when_loopback_is_not_allowed()
    {
        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            Downloader(allowLoopback: false).DownloadAsync(FileAttachment(FileUrl()), CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.DisallowedAddress);
        _files.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_allowed_host_name_resolving_to_loopback_is_refused_at_connect_time()
    {
        _resolver.Answers["contoso-my.sharepoint.com"] = [IPAddress.Loopback];

        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            Downloader(allowLoopback: false).DownloadAsync(
                FileAttachment($"http://contoso-my.sharepoint.com:{_files.Port}/personal/megan/file.eml?{TempAuth}"), CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.DisallowedAddress);
        exception.Message.ShouldContain("resolves to 127.0.0.1");
        _resolver.Lookups.ShouldBe(["contoso-my.sharepoint.com"]);
        _files.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_connection_goes_to_the_checked_address()
    {
        // With loopback allowed, the name is resolved by our resolver and the connection made to its answer.
        _resolver.Answers["contoso-my.sharepoint.com"] = [IPAddress.Loopback];

        TeamsFileDownload file = await Downloader().DownloadAsync(
            FileAttachment($"http://contoso-my.sharepoint.com:{_files.Port}/personal/megan/file.eml"), CancellationToken.None);

        file.Content.ShouldNotBeEmpty();
        _files.Requests.ShouldHaveSingleItem().Header("Host").ShouldBe($"contoso-my.sharepoint.com:{_files.Port}");
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("::")]
    public async Task A_name_with_any_non_public_answer_is_refused(string privateAddress)
    {
        _resolver.Answers["contoso-my.sharepoint.com"] = [IPAddress.Parse("52.108.1.1"), IPAddress.Parse(privateAddress)];

        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            Downloader().DownloadAsync(FileAttachment("http://contoso-my.sharepoint.com/file.eml"), CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.DisallowedAddress);
    }

    [Fact]
    public async Task A_redirect_to_a_host_off_the_allow_list_is_not_followed()
    {
        _files.Handler = (context, _) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "https://evil.example/steal";
            return Task.CompletedTask;
        };

        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            Downloader().DownloadAsync(FileAttachment(FileUrl()), CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.DisallowedUrl);
        exception.Message.ShouldContain("evil.example");
        _resolver.Lookups.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_redirect_to_an_allowed_name_that_resolves_privately_is_refused()
    {
        _resolver.Answers["metadata.sharepoint.com"] = [IPAddress.Parse("169.254.169.254")];
        _files.Handler = (context, _) =>
        {
            context.Response.StatusCode = 301;
            context.Response.Headers.Location = "http://metadata.sharepoint.com/latest/meta-data/iam";
            return Task.CompletedTask;
        };

        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            Downloader().DownloadAsync(FileAttachment(FileUrl()), CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.DisallowedAddress);
        exception.Message.ShouldContain("169.254.169.254");
        _resolver.Lookups.ShouldBe(["metadata.sharepoint.com"]);
    }

    [Fact]
    public async Task Redirects_within_the_allow_list_are_followed_each_checked()
    {
        _files.Handler = (context, request) =>
        {
            if (request.RawTarget.StartsWith("/start", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = "/final?x=1";
                return Task.CompletedTask;
            }

            return Serve(context, "final"u8.ToArray());
        };

        TeamsFileDownload file = await Downloader().DownloadAsync(FileAttachment($"{_files.BaseUri}start"), CancellationToken.None);

        System.Text.Encoding.ASCII.GetString(file.Content).ShouldBe("final");
        _files.Requests.Select(r => r.RawTarget).ShouldBe(["/start", "/final?x=1"]);
    }

    [Fact]
    public async Task A_redirect_loop_stops_after_the_limit()
    {
        _files.Handler = (context, _) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "/again";
            return Task.CompletedTask;
        };

        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            Downloader(maxRedirects: 2).DownloadAsync(FileAttachment(FileUrl()), CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.TooManyRedirects);
        _files.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task An_error_status_is_reported_with_the_status()
    {
        _files.Handler = (context, _) => { context.Response.StatusCode = 404; return Task.CompletedTask; };

        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            Downloader().DownloadAsync(FileAttachment(FileUrl()), CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.HttpError);
        exception.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        exception.Message.ShouldNotContain("tempauth");
    }

    [Fact]
    public async Task A_host_that_stalls_mid_file_times_out()
    {
        _files.Handler = async (context, _) =>
        {
            context.Response.ContentLength = 100;
            await context.Response.Body.WriteAsync(new byte[10]);
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        };

        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            Downloader(timeout: "00:00:00.5").DownloadAsync(FileAttachment(FileUrl()), CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.Unreachable);
        exception.Message.ShouldContain("timed out");
    }

    [Fact]
    public async Task An_unresolvable_host_is_unreachable()
    {
        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            Downloader().DownloadAsync(FileAttachment("http://nowhere.sharepoint.com/file.eml"), CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.Unreachable);
    }

    [Theory]
    [InlineData("""{"contentType":"image/png","contentUrl":"https://smba.trafficmanager.net/amer/v3/attachments/1/views/original"}""")]
    [InlineData("""{"contentType":"application/vnd.microsoft.teams.file.download.info","content":{"uniqueId":"x"}}""")]
    [InlineData("""{"contentType":"application/vnd.microsoft.teams.file.download.info","content":{"downloadUrl":"relative/path"}}""")]
    public async Task Attachments_that_are_not_usable_file_downloads_are_refused(string json)
    {
        Attachment attachment = JsonSerializer.Deserialize<Attachment>(json, BotJson.Options)!;

        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            Downloader().DownloadAsync(attachment, CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.NotAFileAttachment);
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\x\\evil.eml", "evil.eml")]
    [InlineData("line\nbreak.eml", "line?break.eml")]
    [InlineData("..", null)]
    [InlineData("", null)]
    public async Task File_names_are_reduced_to_a_printable_last_segment(string name, string? expected)
    {
        TeamsFileDownload file = await Downloader().DownloadAsync(FileAttachment(FileUrl(), name), CancellationToken.None);

        file.FileName.ShouldBe(expected);
    }

    [Fact]
    public async Task The_sample_attachment_from_teams_is_recognised_and_its_host_refused()
    {
        Activity activity = JsonSerializer.Deserialize<Activity>(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", "teams-file-attachment-personal.fragment.json")), BotJson.Options)!;

        // The published sample's downloadUrl is https://download.link, which is not a SharePoint host.
        TeamsFileDownloadException exception = await Should.ThrowAsync<TeamsFileDownloadException>(() =>
            Downloader(allowedHosts: ["sharepoint.com"]).DownloadAsync(activity.Attachments![0], CancellationToken.None));

        exception.Failure.ShouldBe(TeamsFileDownloadFailure.DisallowedUrl);
        exception.Message.ShouldContain("download.link");
    }

    private sealed class FakeResolver : IHostAddressResolver
    {
        public Dictionary<string, IPAddress[]> Answers { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Lookups { get; } = [];

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            lock (Lookups)
            {
                Lookups.Add(host);
            }

            return Answers.TryGetValue(host, out IPAddress[]? addresses)
                ? Task.FromResult(addresses)
                : Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
        }
    }
}
