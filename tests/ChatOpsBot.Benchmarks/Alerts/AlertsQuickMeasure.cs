using System.Diagnostics;
using System.Globalization;

namespace ChatOpsBot.Benchmarks.Alerts;

/// <summary>
/// Both issue 7 figures in well under a minute (once the 5,000,000-click history exists; building it the first time
/// on a machine takes a few minutes), for re-measuring on a quiet machine without BenchmarkDotNet's full runs: the
/// same scenarios as <see cref="UrlMonitorIngestionBenchmarks"/> and <see cref="ClickDetectionBenchmarks"/>, timed
/// with a stopwatch, one warm-up round each, then min / median / max of the rounds.
/// Run: dotnet run -c Release --project tests/ChatOpsBot.Benchmarks -- alerts-quick [ROUNDS=3] [both|ingest|detect|history|all]
/// ("both", the default: ingestion into an empty database and detection; "history": ingestion into the 5,000,000-click
/// history, which takes longer because each round deletes what it added; "all": the three).
/// </summary>
internal static class AlertsQuickMeasure
{
    public const int IngestionRecords = 100_000;

    public static async Task<int> RunAsync(string[] args)
    {
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        string what = args.Length > 2 ? args[2] : "both";
        if (rounds < 1 || what is not ("both" or "ingest" or "detect" or "history" or "all"))
        {
            Console.Error.WriteLine("usage: alerts-quick [ROUNDS=3] [both|ingest|detect|history|all]");
            return 2;
        }

        var total = Stopwatch.StartNew();
        string history = await ClickHistoryDatabase.EnsureAsync(ClickHistoryDatabase.Rows, Console.Out).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {rounds} rounds after one warm-up; history {history}"));

        if (what is not "detect")
        {
            await using var ingestion = new IngestionScenario(IngestionRecords);
            if (what is "both" or "ingest" or "all")
            {
                Report("ingestion, empty database", "records/s", await TimeAsync(rounds, ingestion.PrepareEmptyAsync, ingestion.RunAsync, ingestion.CleanupAsync)
                    .ConfigureAwait(false), elapsed => IngestionRecords / elapsed.TotalSeconds, "N0");
            }

            if (what is "history" or "all")
            {
                Report("ingestion, into 5,000,000 stored clicks", "records/s", await TimeAsync(
                        rounds, () => ingestion.PrepareIntoHistoryAsync(history), ingestion.RunAsync, ingestion.CleanupAsync)
                    .ConfigureAwait(false), elapsed => IngestionRecords / elapsed.TotalSeconds, "N0");
            }
        }

        foreach (int onStoredUrls in what is "both" or "detect" or "all" ? new[] { DetectionScenario.MaliciousClicks, 0 } : [])
        {
            await using DetectionScenario detection = await DetectionScenario.StartAsync(history, onStoredUrls).ConfigureAwait(false);
            int alerts = 0;
            List<(TimeSpan Wall, TimeSpan Cpu)> times = await TimeAsync(
                rounds * 3, detection.BeginAsync, async () => alerts = await detection.RunAsync().ConfigureAwait(false), detection.EndAsync).ConfigureAwait(false);
            Report(
                string.Create(CultureInfo.InvariantCulture, $"detection, 1,000 malicious clicks ({onStoredUrls:N0} on stored URLs, {alerts:N0} alerts) vs 5,000,000"),
                "ms", times, elapsed => elapsed.TotalMilliseconds, "F1");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {total.Elapsed.TotalSeconds:F0} s"));
        return 0;
    }

    /// <returns>Per round: wall time, and the process's CPU time over the same span (on a busy shared machine the
    /// wall time includes waiting for a core; the CPU time is closer to what a quiet machine's wall time would be).</returns>
    private static async Task<List<(TimeSpan Wall, TimeSpan Cpu)>> TimeAsync(int rounds, Func<Task> prepare, Func<Task> work, Func<Task> cleanup)
    {
        var times = new List<(TimeSpan, TimeSpan)>(rounds);
        var inOrder = new List<string>(rounds);
        using var process = Process.GetCurrentProcess();
        for (int round = 0; round <= rounds; round++)
        {
            await prepare().ConfigureAwait(false);
            process.Refresh();
            TimeSpan cpu = process.TotalProcessorTime;
            int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            long started = Stopwatch.GetTimestamp();
            await work().ConfigureAwait(false);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
            process.Refresh();
            cpu = process.TotalProcessorTime - cpu;
            string gcs = string.Join('/', collections.Select((before, generation) => GC.CollectionCount(generation) - before));
            await cleanup().ConfigureAwait(false);
            if (round > 0)
            {
                times.Add((elapsed, cpu));
                inOrder.Add(string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:F0} ms ({gcs})"));
            }
        }

        // The rounds in order, with the garbage collections (gen 0/1/2) each saw: to tell a slow round's cause.
        Console.WriteLine("  rounds in order, wall (collections gen0/1/2): " + string.Join(", ", inOrder));
        return times;
    }

    private static void Report(string what, string unit, List<(TimeSpan Wall, TimeSpan Cpu)> times, Func<TimeSpan, double> value, string format)
    {
        string Show(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        string Summary(IEnumerable<TimeSpan> spans)
        {
            List<double> values = [.. spans.Select(value).Order()];
            return $"min {Show(values[0])} / median {Show(values[values.Count / 2])} / max {Show(values[^1])} {unit} ({string.Join(", ", values.Select(Show))})";
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}:\n  wall {Summary(times.Select(t => t.Wall))}\n  by CPU time {Summary(times.Select(t => t.Cpu))}"));
    }
}
