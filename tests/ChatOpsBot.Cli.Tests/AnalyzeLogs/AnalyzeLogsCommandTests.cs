using System.Text.Json;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Cli.Tests.AnalyzeLogs;

public sealed class AnalyzeLogsCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("chatops-analyze-logs-").FullName;

    public static TheoryData<string> GoldenInputs()
    {
        var inputs = new TheoryData<string>();
        if (SharedFolder.Root is not null)
        {
            foreach (string input in Directory.GetFiles(SharedFolder.PathTo("golden/seed000"), "logs-*.input.json").Order(StringComparer.Ordinal))
            {
                inputs.Add(Path.GetFileName(input));
            }
        }

        return inputs;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [SharedFolderTheory]
    [MemberData(nameof(GoldenInputs))]
    public async Task PrintsTheSeedsJsonForEachGoldenInput(string input)
    {
        string inputPath = SharedFolder.PathTo(Path.Combine("golden/seed000", input));
        string expectedPath = inputPath.Replace(".input.json", ".expected.json", StringComparison.Ordinal);

        (int exitCode, string stdout, string stderr) = await RunAsync("--json", "analyze-logs", "--log-file", inputPath);

        exitCode.ShouldBe(0, stderr);
        using JsonDocument expected = JsonDocument.Parse(await File.ReadAllTextAsync(expectedPath));
        using JsonDocument actual = JsonDocument.Parse(stdout);
        JsonInOrder.ShouldStartWith(actual.RootElement, expected.RootElement);
    }

    [Fact]
    public async Task PrintsTheSeedsFiveLinesWithoutJson()
    {
        string path = Write("logs.json", """
            [{"date": "2026-11-01", "category": "url_threat", "recipient": "a@x"},
             {"date": "2026-11-01", "category": "ATTACHMENT_BLOCKED", "recipient": "b@x"},
             {"date": "2026-11-02", "category": "impersonation"},
             {"date": "2026-11-02", "category": "impersonation_detected"},
             {"date": "2026-11-02", "category": "internal_threat"},
             {"date": "2026-11-02", "category": "clean"}]
            """);

        (int exitCode, string stdout, string stderr) = await RunAsync("analyze-logs", "--log-file", path);

        exitCode.ShouldBe(0);
        stderr.ShouldBeEmpty();
        stdout.ShouldBe("Total emails: 6\nURL threats: 1\nAttachment threats: 1\nImpersonation: 2\nInternal threats: 1\n".ReplaceLineEndings());
    }

    [Fact]
    public async Task AcceptsJsonAfterTheSubcommandToo()
    {
        string path = Write("logs.ndjson", "{\"category\": \"url_threat\"}\n{\"category\": \"spam\", \"recipient\": \"a@x\"}\n");

        (int exitCode, string stdout, _) = await RunAsync("analyze-logs", "--log-file", path, "--json");

        exitCode.ShouldBe(0);
        using JsonDocument output = JsonDocument.Parse(stdout);
        output.RootElement.GetProperty("total_emails").GetInt64().ShouldBe(2);
        output.RootElement.GetProperty("top_targeted_users")[0].GetProperty("user").GetString().ShouldBe("a@x");
    }

    [Theory]
    [InlineData("[{\"category\": null}]", "array index 0: category must be a string, got null")]
    [InlineData("[{\"category\": \"spam\"}, 3]", "array index 1: expected an object, got a number")]
    [InlineData("{\"category\": \"spam\"}\n{\"recipient\": 7}", "line 2: recipient must be a string or null, got a number")]
    [InlineData("[{\"category\": \"spam\"}, {\"categ", "array index 1: the file ends in the middle of the JSON (truncated export?)")]
    [InlineData("[{\"category\": \"spam\"},\n {\"category\" 1}]", "invalid JSON at line 2, column 14 (array index 1): expected ':' after a property name, got '1'")]
    [InlineData("{\"fail\": [{\"code\": \"token_expired\", \"message\": \"Token expired\"}]}", "line 1, fail: Mimecast reported a failure: token_expired (Token expired)")]
    [InlineData("", "the file is empty; expected a JSON array of log entries or JSON objects")]
    public async Task ReportsBadInputAsOneLineNamingFileAndRecordWithNothingOnStdout(string content, string problem)
    {
        string path = Write("bad.json", content);

        (int exitCode, string stdout, string stderr) = await RunAsync("--json", "analyze-logs", "--log-file", path);

        exitCode.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldBe($"chatops: error: {path}: {problem}{Environment.NewLine}");
    }

    [Fact]
    public async Task ReportsAMissingFile()
    {
        string path = Path.Combine(_directory, "absent.json");

        (int exitCode, string stdout, string stderr) = await RunAsync("analyze-logs", "--log-file", path);

        exitCode.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldBe($"chatops: error: {path}: no such file{Environment.NewLine}");
    }

    [Fact]
    public async Task RequiresTheLogFileOption()
    {
        (int exitCode, string stdout, string stderr) = await RunAsync("analyze-logs");

        exitCode.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldContain("--log-file");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exitCode = await ChatOpsCli.RunAsync(args, stdout, stderr);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
