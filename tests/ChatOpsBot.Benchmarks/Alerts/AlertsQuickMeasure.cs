using System.Diagnostics;
using System.Globalization;

namespace ChatOpsBot.Benchmarks.Alerts;

/// <summary>
/// Both issue 7 figures in well under a minute (once the 5,000,000-click history exists; building it the first time
/// on a machine takes a few minutes), for re-measuring on a quiet machine without BenchmarkDotNet's full runs: the
/// same scenarios as <see cref="UrlMonitorIngestionBenchmarks"/> and <see cref="ClickDetectionBenchmarks"/>, timed
/// with a stopwatch, one warm-up round each, then min / median / max of the rounds.
/// Run: dotnet run -c Release --project tests/ChatOpsBot.Benchmarks -- alerts-quick [ROUNDS=5] [all|ingest|detect]
/// </summary>
internal static class AlertsQuickMeasure
{
    public const int IngestionRecords = 100_000;

    public static async Task<int> RunAsync(string[] args)
    {
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        string what = args.Length > 2 ? args[2] : "all";
        if (rounds < 1 || what is not ("all" or "ingest" or "detect"))
        {
            Console.Error.WriteLine("usage: alerts-quick [ROUNDS=5] [all|ingest|detect]");
            return 2;
        }

        var total = Stopwatch.StartNew();
        string history = await ClickHistoryDatabase.EnsureAsync(ClickHistoryDatabase.Rows, Console.Out).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {rounds} rounds after one warm-up; history {history}"));

        if (what is "all" or "ingest")
        {
            await using var ingestion = new IngestionScenario(IngestionRecords);
            Report("ingestion, empty database", "records/s", await TimeAsync(rounds, ingestion.PrepareEmptyAsync, ingestion.RunAsync, ingestion.CleanupAsync)
                .ConfigureAwait(false), elapsed => IngestionRecords / elapsed.TotalSeconds, "N0");
            Report("ingestion, into 5,000,000 stored clicks", "records/s", await TimeAsync(
                    rounds, () => ingestion.PrepareIntoHistoryAsync(history), ingestion.RunAsync, ingestion.CleanupAsync)
                .ConfigureAwait(false), elapsed => IngestionRecords / elapsed.TotalSeconds, "N0");
        }

        foreach (int onStoredUrls in what is "all" or "detect" ? new[] { DetectionScenario.MaliciousClicks, 0 } : [])
        {
            await using DetectionScenario detection = await DetectionScenario.StartAsync(history, onStoredUrls).ConfigureAwait(false);
            int alerts = 0;
            List<TimeSpan> times = await TimeAsync(
                rounds * 3, detection.BeginAsync, async () => alerts = await detection.RunAsync().ConfigureAwait(false), detection.EndAsync).ConfigureAwait(false);
            Report(
                string.Create(CultureInfo.InvariantCulture, $"detection, 1,000 malicious clicks ({onStoredUrls:N0} on stored URLs, {alerts:N0} alerts) vs 5,000,000"),
                "ms", times, elapsed => elapsed.TotalMilliseconds, "F1");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {total.Elapsed.TotalSeconds:F0} s"));
        return 0;
    }

    private static async Task<List<TimeSpan>> TimeAsync(int rounds, Func<Task> prepare, Func<Task> work, Func<Task> cleanup)
    {
        var times = new List<TimeSpan>(rounds);
        for (int round = 0; round <= rounds; round++)
        {
            await prepare().ConfigureAwait(false);
            long started = Stopwatch.GetTimestamp();
            await work().ConfigureAwait(false);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
            await cleanup().ConfigureAwait(false);
            if (round > 0)
            {
                times.Add(elapsed);
            }
        }

        return times;
    }

    private static void Report(string what, string unit, List<TimeSpan> times, Func<TimeSpan, double> value, string format)
    {
        List<double> values = [.. times.Select(value).Order()];
        string Show(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: min {Show(values[0])} / median {Show(values[values.Count / 2])} / max {Show(values[^1])} {unit} ({string.Join(", ", values.Select(Show))})"));
    }
}
