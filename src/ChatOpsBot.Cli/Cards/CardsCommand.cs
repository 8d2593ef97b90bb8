using System.CommandLine;
using System.Text;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.BlockKit;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Cli.Infrastructure;

namespace ChatOpsBot.Cli.Cards;

/// <summary>
/// <c>chatops cards --out DIR</c>: writes one realistic sample of every card the bot sends, as
/// <c>NAME.adaptive.json</c> (Teams) and <c>NAME.slack.json</c> (the same card rendered as a Slack Block Kit message
/// payload), for review and for CI to validate with cardcheck.
/// </summary>
internal static class CardsCommand
{
    public const string FileSuffix = ".adaptive.json";

    public const string SlackFileSuffix = ".slack.json";

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static Command Create()
    {
        var outDir = new Option<string>("--out")
        {
            Required = true,
            Description = "Directory to write the cards to (created if missing; files of the same name are replaced).",
        };

        var command = new Command(
            "cards",
            "Write one sample of every bot card as NAME.adaptive.json (Adaptive Card 1.5, Teams) and NAME.slack.json "
                + "(Slack Block Kit message), computed by the real analyses on built-in sample inputs.");
        command.Options.Add(outDir);
        command.SetAction((ParseResult parseResult, CancellationToken cancellationToken) =>
        {
            string directory = parseResult.GetRequiredValue(outDir);
            IReadOnlyList<(string Name, AdaptiveCard Card)> samples = CardSamples.All();
            PrepareDirectory(directory);
            foreach ((string name, AdaptiveCard card) in samples)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Write(directory, name + FileSuffix, CardJson.Serialize(card, indented: true) + "\n");
                Write(directory, name + SlackFileSuffix, BlockKitJson.Serialize(BlockKitRenderer.Render(card), indented: true) + "\n");
            }

            parseResult.InvocationConfiguration.Output.WriteLine($"wrote {samples.Count} cards (Adaptive Card and Slack) to {directory}");
            return Task.FromResult(ChatOpsCli.ExitOk);
        });
        return command;
    }

    private static void PrepareDirectory(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw new CliInputException("(empty path)", "no output directory given");
        }

        if (File.Exists(directory))
        {
            throw new CliInputException(directory, "is a file, expected a directory");
        }

        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliInputException(directory, "permission denied");
        }
        catch (IOException)
        {
            // Not ex.Message: the tool is built with UseSystemResourceKeys, so it would be a resource key.
            throw new CliInputException(directory, "cannot create the directory (a parent is a file, or the location is read-only)");
        }
    }

    private static void Write(string directory, string fileName, string json)
    {
        string path = Path.Combine(directory, fileName);
        try
        {
            File.WriteAllText(path, json, s_utf8);
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliInputException(path, "permission denied");
        }
        catch (IOException)
        {
            throw new CliInputException(path, "cannot write the file");
        }
    }
}
