using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace ChatOpsBot.Benchmarks.Alerts;

/// <summary>
/// Issue 7's ingestion target: click records per second into SQLite through one URL monitor run (see
/// <see cref="IngestionScenario"/>). Each iteration is one run over <see cref="Records"/> new records on a database
/// prepared in the iteration's setup (not timed), so the reported time per operation is the time per record; records/s
/// is its inverse. <see cref="IntoHistory"/> false: a fresh, empty database; true: the 5,000,000-click history of
/// <see cref="ClickHistoryDatabase"/> (built once per machine, several minutes the first time).
/// Run: dotnet run -c Release --project tests/ChatOpsBot.Benchmarks -- --filter '*UrlMonitorIngestion*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 7)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes it in [GlobalCleanup].")]
public class UrlMonitorIngestionBenchmarks
{
    private IngestionScenario _scenario = null!;
    private string? _history;

    [Params(false, true)]
    public bool IntoHistory { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scenario = new IngestionScenario(AlertsQuickMeasure.IngestionRecords);
        if (IntoHistory)
        {
            _history = ClickHistoryDatabase.EnsureAsync(ClickHistoryDatabase.Rows, Console.Out).GetAwaiter().GetResult();
        }
    }

    [IterationSetup]
    public void Prepare()
    {
        (_history is null ? _scenario.PrepareEmptyAsync() : _scenario.PrepareIntoHistoryAsync(_history)).GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = AlertsQuickMeasure.IngestionRecords)]
    public async Task<long> IngestRecords() => (await _scenario.RunAsync()).RecordsNew;

    [IterationCleanup]
    public void Cleanup() => _scenario.CleanupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Dispose() => _scenario.DisposeAsync().AsTask().GetAwaiter().GetResult();
}

/// <summary>
/// Issue 7's detection target: 1,000 new malicious clicks against 5,000,000 stored allowed clicks (see
/// <see cref="DetectionScenario"/>): store the 1,000 and detect, in the monitor's write transaction, which each
/// iteration's cleanup rolls back. <see cref="ClicksOnStoredUrls"/> 1,000 is the worst case (every click raises an
/// alert listing about ten earlier clickers); 0 is the common case (nobody clicked those destinations before).
/// Run: dotnet run -c Release --project tests/ChatOpsBot.Benchmarks -- --filter '*ClickDetection*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 15)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes it in [GlobalCleanup].")]
public class ClickDetectionBenchmarks
{
    private DetectionScenario _scenario = null!;

    [Params(0, 1_000)]
    public int ClicksOnStoredUrls { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string history = ClickHistoryDatabase.EnsureAsync(ClickHistoryDatabase.Rows, Console.Out).GetAwaiter().GetResult();
        _scenario = DetectionScenario.StartAsync(history, ClicksOnStoredUrls).GetAwaiter().GetResult();
    }

    [IterationSetup]
    public void Begin() => _scenario.BeginAsync().GetAwaiter().GetResult();

    [Benchmark]
    public Task<int> StoreAndDetect() => _scenario.RunAsync();

    [IterationCleanup]
    public void End() => _scenario.EndAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Dispose() => _scenario.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
