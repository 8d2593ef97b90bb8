using System.Text.Json.Nodes;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Cli.Tests.AuditConfig;

/// <summary>Every golden input of the seed through <c>chatops --json audit-config</c>: the seed's keys, order and values.</summary>
public sealed class AuditConfigGoldenTests
{
    public static TheoryData<string> GoldenInputs()
    {
        var data = new TheoryData<string>();
        if (SharedFolder.Root is null)
        {
            return data;
        }

        foreach (string input in Directory.EnumerateFiles(SharedFolder.PathTo("golden/seed000"), "audit-*.input.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(input));
        }

        return data;
    }

    [SharedFolderTheory]
    [MemberData(nameof(GoldenInputs))]
    public async Task JsonOutputEqualsTheSeedsOutputForGoldenInput(string inputName)
    {
        string input = SharedFolder.PathTo(Path.Combine("golden/seed000", inputName));
        string expectedPath = input.Replace(".input.json", ".expected.json", StringComparison.Ordinal);
        JsonObject expected = JsonNode.Parse(await File.ReadAllTextAsync(expectedPath))!.AsObject();

        CliRun run = await AuditConfigCli.RunAsync("--json", "audit-config", "--config-file", input);

        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stderr.ShouldBeEmpty();
        JsonObject actual = JsonNode.Parse(run.Stdout)!.AsObject();
        string[] expectedKeys = [.. expected.Select(p => p.Key)];
        actual.Select(p => p.Key).Take(expectedKeys.Length).ShouldBe(expectedKeys, "the seed's keys come first, in the seed's order");
        foreach (string key in expectedKeys)
        {
            JsonNode.DeepEquals(actual[key], expected[key]).ShouldBeTrue($"{key}: expected {expected[key]?.ToJsonString()}, got {actual[key]?.ToJsonString()}");
        }
    }

    [SharedFolderFact]
    public void GoldenFolderHasAuditInputs() => GoldenInputs().Count.ShouldBeGreaterThan(0);
}
