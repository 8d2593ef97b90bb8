using System.Text.Json;
using ChatOpsBot.Cli.Cards;

namespace ChatOpsBot.Cli.Tests.Cards;

public sealed class CardsCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"chatops-cards-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task WritesAnAdaptiveCardAndASlackFilePerSampleIntoANewDirectory()
    {
        string outDir = Path.Combine(_root, "nested", "cards");

        (int exit, string stdout, string stderr) = await Run("cards", "--out", outDir);

        exit.ShouldBe(ChatOpsCli.ExitOk);
        stderr.ShouldBeEmpty();
        string[] names = [.. CardSamples.All().Select(s => s.Name)];
        string[] expected = [.. names.SelectMany(n => new[] { n + CardsCommand.FileSuffix, n + CardsCommand.SlackFileSuffix }).Order(StringComparer.Ordinal)];
        Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(expected);
        expected.ShouldContain("email-verdict.adaptive.json");
        expected.ShouldContain("email-verdict.slack.json");
        expected.ShouldContain("metrics.slack.json");
        stdout.ShouldBe($"wrote {names.Length} cards (Adaptive Card and Slack) to {outDir}{Environment.NewLine}");
    }

    [Fact]
    public async Task EveryFileIsAnAdaptiveCard15WithinTheByteBudget()
    {
        (int exit, _, _) = await Run("cards", "--out", _root);

        exit.ShouldBe(ChatOpsCli.ExitOk);
        foreach (string file in Directory.GetFiles(_root, "*" + CardsCommand.FileSuffix))
        {
            byte[] bytes = await File.ReadAllBytesAsync(file);
            using JsonDocument card = JsonDocument.Parse(bytes);
            card.RootElement.GetProperty("type").GetString().ShouldBe("AdaptiveCard", file);
            card.RootElement.GetProperty("version").GetString().ShouldBe("1.5", file);
            // Compact size is what hosts and cardcheck measure.
            JsonSerializer.SerializeToUtf8Bytes(card.RootElement).Length.ShouldBeLessThanOrEqualTo(ChatOpsBot.Cards.CardJson.MaxCardBytes, file);
            bytes.AsSpan(0, 3).SequenceEqual("\uFEFF"u8).ShouldBeFalse(file);
        }
    }

    [Fact]
    public async Task EverySlackFileIsAMessagePayloadWithinSlacksBlockLimit()
    {
        (int exit, _, _) = await Run("cards", "--out", _root);

        exit.ShouldBe(ChatOpsCli.ExitOk);
        string[] files = Directory.GetFiles(_root, "*" + CardsCommand.SlackFileSuffix);
        files.Length.ShouldBe(CardSamples.All().Count);
        foreach (string file in files)
        {
            using JsonDocument message = JsonDocument.Parse(await File.ReadAllBytesAsync(file));
            message.RootElement.GetProperty("text").GetString().ShouldNotBeNullOrWhiteSpace(file);
            int blocks = message.RootElement.GetProperty("blocks").GetArrayLength();
            blocks.ShouldBeInRange(1, ChatOpsBot.Cards.BlockKit.BlockKitLimits.MessageBlocks, file);
        }
    }

    [Fact]
    public async Task SlackSamplesAreTheSameCardsRendered()
    {
        (int exit, _, _) = await Run("cards", "--out", _root);

        exit.ShouldBe(ChatOpsCli.ExitOk);
        string verdict = await File.ReadAllTextAsync(Path.Combine(_root, "email-verdict.slack.json"));
        verdict.ShouldContain("MALICIOUS · score 100/100");
        verdict.ShouldContain("hxxps://login[.]micros0ft-secure[.]example");
        string confirmation = await File.ReadAllTextAsync(Path.Combine(_root, "confirmation.slack.json"));
        confirmation.ShouldContain("\"action_id\": \"confirm\"");
    }

    [Fact]
    public async Task SamplesComeFromTheRealAnalyses()
    {
        (int exit, _, _) = await Run("cards", "--out", _root);

        exit.ShouldBe(ChatOpsCli.ExitOk);
        string verdict = await File.ReadAllTextAsync(Path.Combine(_root, "email-verdict.adaptive.json"));
        verdict.ShouldContain("MALICIOUS · score 100/100");
        verdict.ShouldContain(@"hxxps://login\\[.\\]micros0ft-secure\\[.\\]example");
        string audit = await File.ReadAllTextAsync(Path.Combine(_root, "audit.adaptive.json"));
        audit.ShouldContain("TTP policy score: 48/100");
    }

    [Fact]
    public async Task OutputIsTheSameEveryRun()
    {
        string first = Path.Combine(_root, "a");
        string second = Path.Combine(_root, "b");

        await Run("cards", "--out", first);
        await Run("cards", "--out", second);

        foreach (string file in Directory.GetFiles(first))
        {
            (await File.ReadAllTextAsync(Path.Combine(second, Path.GetFileName(file)))).ShouldBe(await File.ReadAllTextAsync(file));
        }
    }

    [Fact]
    public async Task AFileWhereTheDirectoryShouldBeIsOneErrorLineAndExitTwo()
    {
        Directory.CreateDirectory(_root);
        string file = Path.Combine(_root, "not-a-dir");
        await File.WriteAllTextAsync(file, "x");

        (int exit, string stdout, string stderr) = await Run("cards", "--out", file);

        exit.ShouldBe(ChatOpsCli.ExitBadInput);
        stdout.ShouldBeEmpty();
        stderr.ShouldBe($"chatops: error: {file}: is a file, expected a directory{Environment.NewLine}");
    }

    [Fact]
    public async Task ADirectoryUnderAFileIsOneErrorLineAndExitTwo()
    {
        Directory.CreateDirectory(_root);
        string file = Path.Combine(_root, "file");
        await File.WriteAllTextAsync(file, "x");

        (int exit, _, string stderr) = await Run("cards", "--out", Path.Combine(file, "cards"));

        exit.ShouldBe(ChatOpsCli.ExitBadInput);
        stderr.ShouldStartWith($"chatops: error: {Path.Combine(file, "cards")}: cannot create the directory");
        stderr.TrimEnd().Split('\n').Length.ShouldBe(1);
    }

    [Theory]
    [InlineData("cards")]
    [InlineData("cards", "--out", "")]
    public async Task MissingOrEmptyOutIsExitTwo(params string[] args)
    {
        (int exit, string stdout, string stderr) = await Run(args);

        exit.ShouldBe(ChatOpsCli.ExitBadInput);
        stdout.ShouldBeEmpty();
        stderr.ShouldStartWith("chatops: error: ");
        stderr.TrimEnd().Split('\n').Length.ShouldBe(1);
    }

    [Fact]
    public async Task HelpSaysWhatIsWritten()
    {
        (int exit, string stdout, _) = await Run("cards", "--help");

        exit.ShouldBe(ChatOpsCli.ExitOk);
        stdout.ShouldContain("--out");
        stdout.ShouldContain("NAME.adaptive.json");
        stdout.ShouldContain("NAME.slack.json");
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = await ChatOpsCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
