using System.Text;
using System.Text.Json;
using ChatOpsBot.Cli.AnalyzeEmail;

namespace ChatOpsBot.Cli.Tests.AnalyzeEmail;

public sealed class AnalyzeEmailCommandTests : IDisposable
{
    private const string Phish = """
        Received: from relay.evil.test (relay.evil.test [203.0.113.66]) by mx.corp.test with ESMTP id 99; Tue, 9 Jan 2024 10:00:05 +0000
        Authentication-Results: mx.corp.test; spf=fail smtp.mailfrom=evil.test; dmarc=fail header.from=corp.test
        From: "IT Helpdesk" <helpdesk@corp.test>
        Reply-To: helpdesk@evil.test
        To: alice@corp.test
        Subject: <script>alert(1)</script> password "expires" & more
        Date: Tue, 9 Jan 2024 10:00:00 +0000
        Message-ID: <p1@evil.test>
        MIME-Version: 1.0
        Content-Type: text/html; charset=utf-8

        <p>Keep it: <a href="https://login.evil.test/o365?a=1&amp;b=<2>">https://login.microsoftonline.com/</a></p>
        """;

    private const string Plain = """
        From: Bob <bob@corp.test>
        To: alice@corp.test
        Subject: Lunch
        Date: Tue, 9 Jan 2024 10:00:00 +0000

        See https://intranet.corp.test/menu
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("analyze-email-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string relative, string content)
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.Replace("\n", "\r\n", StringComparison.Ordinal), new UTF8Encoding(false));
        return path;
    }

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // No VirusTotal settings, whatever the machine's environment holds: these tests are about the message alone.
        int exit = await ChatOpsCli.RunAsync(args, output, error, () => new Dictionary<string, string?>());
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task TextSummaryShowsVerdictAndDefangedUrls()
    {
        string file = Write("phish.eml", Phish);

        (int exit, string output, _) = await Run("analyze-email", "--file", file);

        exit.ShouldBe(0);
        output.ShouldStartWith("Verdict: MALICIOUS");
        output.ShouldContain("hxxps://login[.]evil[.]test/o365");
        output.ShouldNotContain("https://login.evil.test");
        output.ShouldContain("Lookups: none (set VirusTotal__ApiKey for reputation lookups)");
    }

    [Fact]
    public async Task JsonFlagAndFormatJsonGiveTheSameReportWithNoLookupsRecorded()
    {
        string file = Write("phish.eml", Phish);

        (int exit1, string viaFlag, _) = await Run("analyze-email", "--file", file, "--json", "--no-lookups");
        (int exit2, string viaFormat, _) = await Run("--json", "analyze-email", "--file", file, "--format", "json", "--no-lookups");

        exit1.ShouldBe(0);
        exit2.ShouldBe(0);
        viaFlag.ShouldBe(viaFormat);
        using JsonDocument json = JsonDocument.Parse(viaFlag);
        json.RootElement.GetProperty("no_lookups").GetBoolean().ShouldBeTrue();
        json.RootElement.GetProperty("lookups_performed").GetBoolean().ShouldBeFalse();
        json.RootElement.GetProperty("verdict").GetString().ShouldBe("malicious");
        json.RootElement.TryGetProperty("file", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task HtmlPageEncodesEveryMailStringAndHasNoActiveContent()
    {
        string file = Write("phish.eml", Phish);

        (int exit, string html, _) = await Run("analyze-email", "--file", file, "--format", "html");

        exit.ShouldBe(0);
        html.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt; password &quot;expires&quot; &amp; more");
        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain("<a ", Case.Insensitive);
        html.ShouldNotContain("href=", Case.Insensitive);
        html.ShouldNotContain("src=", Case.Insensitive);
        html.ShouldNotContain("https://login.evil.test");
        html.ShouldContain("hxxps://login[.]evil[.]test/o365?a=1&amp;b=&lt;2&gt;");
        html.ShouldContain("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-");

        // The CSP pins the page's only stylesheet by hash; the pin must match or the page renders unstyled.
        int start = html.IndexOf("<style>", StringComparison.Ordinal) + "<style>".Length;
        string style = html[start..html.IndexOf("</style>", start, StringComparison.Ordinal)];
        string pin = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(style)));
        html.ShouldContain($"style-src 'sha256-{pin}'");
    }

    [Fact]
    public async Task DirectoryModeWritesOneLinePerEmlSortedAndReportsABrokenFileWithoutStopping()
    {
        Write("b-broken.eml", "this is not an e-mail\nat all\n");
        Write("a-phish.eml", Phish);
        Write("sub/c-plain.EML", Plain);
        Write("notes.txt", Plain);

        (int exit, string output, string error) = await Run("analyze-email", "--file", _dir);

        exit.ShouldBe(AnalyzeEmailCommand.ExitSomeFailed);
        error.ShouldBeEmpty();
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(3);
        using JsonDocument first = JsonDocument.Parse(lines[0]);
        using JsonDocument second = JsonDocument.Parse(lines[1]);
        using JsonDocument third = JsonDocument.Parse(lines[2]);
        first.RootElement.GetProperty("file").GetString().ShouldBe("a-phish.eml");
        first.RootElement.GetProperty("verdict").GetString().ShouldBe("malicious");
        second.RootElement.GetProperty("file").GetString().ShouldBe("b-broken.eml");
        second.RootElement.GetProperty("error").GetString()!.ShouldContain("does not look like an e-mail");
        third.RootElement.GetProperty("file").GetString().ShouldBe("sub/c-plain.EML");
        third.RootElement.GetProperty("subject").GetString().ShouldBe("Lunch");
    }

    [Fact]
    public async Task DirectoryWhereEveryMessageParsesExitsZero()
    {
        Write("one.eml", Plain);

        (int exit, string output, _) = await Run("analyze-email", "--file", _dir);

        exit.ShouldBe(0);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task DirectoryWithHtmlFormatIsRefused()
    {
        Write("one.eml", Plain);

        (int exit, _, string error) = await Run("analyze-email", "--file", _dir, "--format", "html");

        exit.ShouldBe(2);
        error.ShouldContain("directory mode writes JSON lines");
    }

    [Theory]
    [InlineData("notmail.eml", "hello world, no headers\n", "does not look like an e-mail")]
    [InlineData("empty.eml", "", "the file is empty")]
    public async Task NonMailFileIsOneErrorLineAndExitTwo(string name, string content, string problem)
    {
        string file = Write(name, content);

        (int exit, string output, string error) = await Run("analyze-email", "--file", file);

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.TrimEnd().Split('\n').ShouldHaveSingleItem().ShouldStartWith($"chatops: error: {file}: {problem}");
    }

    [Fact]
    public async Task MissingFileIsExitTwo()
    {
        (int exit, _, string error) = await Run("analyze-email", "--file", Path.Combine(_dir, "missing.eml"));

        exit.ShouldBe(2);
        error.ShouldContain("no such file");
    }

    [Fact]
    public async Task UnknownFormatIsAParseError()
    {
        string file = Write("one.eml", Plain);

        (int exit, _, string error) = await Run("analyze-email", "--file", file, "--format", "pdf");

        exit.ShouldBe(2);
        error.ShouldStartWith("chatops: error:");
    }
}
