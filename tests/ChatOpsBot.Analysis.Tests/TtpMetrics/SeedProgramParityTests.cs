using System.Diagnostics;
using System.Text.Json;
using ChatOpsBot.Analysis.TtpMetrics;
using ChatOpsBot.TestSupport;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.TtpMetrics;

/// <summary>
/// Runs the real seed program (shared/tools/seed000/process.py) on random exports and compares field by field, in
/// order. Needs ../shared and python3; skipped, visibly, without python3.
/// </summary>
public sealed class SeedProgramParityTests
{
    [SeedProgramTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void MatchesTheSeedProgramOnARandomExport(int seed)
    {
        List<SeedEntry> entries = [.. SeedExportGenerator.Entry.Sample(200, new FsCheck.Rnd((ulong)seed, 17UL), 200)];
        var export = new Export(entries, seed % 2 == 0 ? ExportLayout.PrettyArray : ExportLayout.CompactArray, seed);
        export.Entries.Count.ShouldBeGreaterThan(10);
        byte[] json = SeedExportGenerator.Render(export);
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, json);
            string expected = RunSeed(path);

            using JsonDocument seedOutput = JsonDocument.Parse(expected);
            using JsonDocument ours = JsonDocument.Parse(TtpMetricsJson.Serialize(TtpLogs.Analyze(json)));
            var seedFields = seedOutput.RootElement.EnumerateObject().ToList();
            var ourFields = ours.RootElement.EnumerateObject().Take(seedFields.Count).ToList();

            ourFields.Select(f => f.Name).ShouldBe(seedFields.Select(f => f.Name));
            for (int i = 0; i < seedFields.Count; i++)
            {
                Canonical(ourFields[i].Value).ShouldBe(Canonical(seedFields[i].Value), seedFields[i].Name);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Key order and values as text; Python escapes non-ASCII, so compare decoded values, not raw JSON.</summary>
    private static string Canonical(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().Select(p => $"{p.Name}:{Canonical(p.Value)}")) + "}",
        JsonValueKind.Array => "[" + string.Join(",", element.EnumerateArray().Select(Canonical)) + "]",
        JsonValueKind.String => "'" + element.GetString() + "'",
        _ => element.GetRawText(),
    };

    private static string RunSeed(string logFile)
    {
        var start = new ProcessStartInfo(FindPython()!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(SharedFolder.PathTo("tools/seed000/process.py"));
        start.ArgumentList.Add("--json");
        start.ArgumentList.Add("analyze-logs");
        start.ArgumentList.Add("--log-file");
        start.ArgumentList.Add(logFile);
        using Process python = Process.Start(start)!;
        string output = python.StandardOutput.ReadToEnd();
        string errors = python.StandardError.ReadToEnd();
        python.WaitForExit();
        python.ExitCode.ShouldBe(0, errors);
        return output;
    }

    internal static string? FindPython() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "python3"))
            .FirstOrDefault(File.Exists);
}

/// <summary>A theory that runs the seed program: skipped where ../shared (unless CI requires it) or python3 is missing.</summary>
internal sealed class SeedProgramTheoryAttribute : TheoryAttribute
{
    public SeedProgramTheoryAttribute()
    {
        Skip = SharedFolder.SkipReason ?? (SeedProgramParityTests.FindPython() is null ? "python3 is not on PATH" : null)!;
    }
}
