using System.Text.Json;
using ChatOpsBot.Cli;
using ChatOpsBot.Cli.Infrastructure;

namespace ChatOpsBot.Cli.Tests;

public sealed class ChatOpsCliTests
{
    [Fact]
    public async Task NoArgumentsPrintsHelpAndExitsZeroLikeTheSeed()
    {
        (int exit, string stdout, string stderr) = await Run();

        exit.ShouldBe(0);
        stdout.ShouldContain("audit-config");
        stdout.ShouldContain("analyze-logs");
        stdout.ShouldContain("vip-check");
        stderr.ShouldBeEmpty();
    }

    [Fact]
    public async Task UnknownCommandIsOneLineOnStderrAndExitTwo()
    {
        (int exit, string stdout, string stderr) = await Run("audit-confg", "--config-file", "x.json");

        exit.ShouldBe(ChatOpsCli.ExitBadInput);
        stdout.ShouldBeEmpty();
        stderr.TrimEnd().Split('\n').Length.ShouldBe(1);
        stderr.ShouldStartWith("chatops: error: ");
        stderr.ShouldContain("--help");
    }

    [Theory]
    [InlineData("audit-config")]
    [InlineData("analyze-logs")]
    [InlineData("vip-check")]
    public async Task EveryCommandAnswersHelp(string command)
    {
        (int exit, string stdout, _) = await Run(command, "--help");

        exit.ShouldBe(0);
        stdout.ShouldContain(command);
        stdout.ShouldContain("--json");
    }

    [Fact]
    public async Task MissingFileNamesTheFileInOneLineWithoutStackTrace()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"chatops-missing-{Guid.NewGuid():N}.json");

        (int exit, string stdout, string stderr) = await Run("audit-config", "--config-file", missing);

        exit.ShouldBe(ChatOpsCli.ExitBadInput);
        stdout.ShouldBeEmpty();
        stderr.ShouldBe($"chatops: error: {missing}: no such file{Environment.NewLine}");
    }

    [Theory]
    [InlineData("audit-config", "--config-file", "{\"attachment_protect\":{\"enabled\":true,\"sandbox_mode\":\"dyn\\ud800amic\"}}")]
    [InlineData("audit-config", "--config-file", "{\"attachment_protect\":{\"enabled\":true,\"sandbox_mode\":\"dyn\u00ffamic\"}}")]
    [InlineData("vip-check", "--vip-file", "[{\"name\":\"Jane \\udc00Doe\",\"domain\":\"corp.example\"}]")]
    [InlineData("analyze-logs", "--log-file", "{\"data\":[],\"fail\":[{\"code\":\"err\",\"message\":\"bad\\ud800x\"}]}")]
    [InlineData("analyze-logs", "--log-file", "{\"data\":[],\"fail\":[{\"code\":\"err\",\"message\":\"bad\u00ffx\"}]}")]
    public async Task UndecodableJsonTextIsBadInputNotACrash(string command, string option, string json)
    {
        string path = Path.Combine(Path.GetTempPath(), $"chatops-undecodable-{Guid.NewGuid():N}.json");
        // U+00FF stands for a raw 0xFF byte, which is never valid UTF-8.
        byte[] bytes = System.Text.Encoding.Latin1.GetBytes(json);
        await File.WriteAllBytesAsync(path, bytes);
        string email = Path.Combine(Path.GetTempPath(), $"chatops-email-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(email, "{\"from\":\"ceo@corp.example\",\"from_display_name\":\"Jane Doe\"}");
        try
        {
            string[] args = command == "vip-check" ? [command, option, path, "--email-json", email] : [command, option, path];

            (int exit, string stdout, string stderr) = await Run(args);

            exit.ShouldBe(ChatOpsCli.ExitBadInput);
            stdout.ShouldBeEmpty();
            stderr.ShouldStartWith($"chatops: error: {path}: ");
            stderr.TrimEnd().Split('\n').Length.ShouldBe(1);
        }
        finally
        {
            File.Delete(path);
            File.Delete(email);
        }
    }

    [Theory]
    [InlineData("42")]
    [InlineData("{}")]
    public void ReadLeavesAWrongKindJsonAccessLoudRatherThanCallingItBadInput(string json)
    {
        string path = Path.Combine(Path.GetTempPath(), $"chatops-wrong-kind-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            // A reader that calls GetString on a non-string has a bug; CliInput must not report it as a bad file.
            Should.Throw<InvalidOperationException>(() => CliInput.Read(path, stream =>
            {
                using JsonDocument document = JsonDocument.Parse(stream);
                return document.RootElement.GetString();
            }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadLeavesAUseOfADisposedJsonDocumentLoud()
    {
        string path = Path.Combine(Path.GetTempPath(), $"chatops-disposed-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "\"text\"");
        try
        {
            Should.Throw<ObjectDisposedException>(() => CliInput.Read(path, stream =>
            {
                JsonElement root;
                using (JsonDocument document = JsonDocument.Parse(stream))
                {
                    root = document.RootElement;
                }

                return root.GetString();
            }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ErrorLineNeitherBreaksNorHidesWhateverTheFileNameHolds()
    {
        string hostile = Path.Combine(Path.GetTempPath(), "a\nchatops: ok\u202Egpj.json");

        (int exit, string stdout, string stderr) = await Run("audit-config", "--config-file", hostile);

        exit.ShouldBe(ChatOpsCli.ExitBadInput);
        stdout.ShouldBeEmpty();
        stderr.TrimEnd('\n', '\r').ShouldNotContain('\n');
        stderr.ShouldNotContain('\u202E');
        stderr.ShouldStartWith("chatops: error: ");
        stderr.ShouldContain("no such file");
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = await ChatOpsCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
