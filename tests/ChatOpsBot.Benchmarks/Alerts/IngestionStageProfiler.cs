using System.Diagnostics;
using System.Globalization;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Integrations.Mimecast;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Benchmarks.Alerts;

/// <summary>
/// A stopwatch breakdown of one monitor run's work over the same records as <see cref="IngestionScenario"/>, stage by
/// stage with the real code of each (Mimecast client, mapping, <see cref="ClickStore"/>, detection), to find where the
/// time of <see cref="UrlMonitor.RunOnceAsync"/> goes.
/// Run: dotnet run -c Release --project tests/ChatOpsBot.Benchmarks -- profile-ingestion [ROUNDS=3] [alloc]
/// ("alloc": also the allocated types of each stage, sampled)
/// </summary>
internal static class IngestionStageProfiler
{
    public static async Task<int> RunAsync(string[] args)
    {
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        using AllocationSampler? sampler = args.Length > 2 && args[2] == "alloc" ? new AllocationSampler() : null;
        List<GeneratedClick> clicks = ClickLogWire.Generate(
            AlertsQuickMeasure.IngestionRecords, ClickHistoryDatabase.Now - TimeSpan.FromHours(12), ClickHistoryDatabase.Now - TimeSpan.FromMinutes(1),
            ClickHistoryDatabase.UrlPool, ClickHistoryDatabase.UserPool, seed: 7);
        using var mimecast = new ClickLogMimecastHandler(clicks);
        for (int round = 0; round <= rounds; round++)
        {
            string folder = Path.Combine(Path.GetTempPath(), "chatopsbot-benchmarks", "profile-" + Guid.NewGuid().ToString("N"));
            await using (AlertBenchHost host = await AlertBenchHost.StartAsync(Path.Combine(folder, "chatops.db"), new FixedClock(ClickHistoryDatabase.Now), mimecast)
                .ConfigureAwait(false))
            {
                IMimecastClient client = host.Services.GetRequiredService<IMimecastClient>();
                UrlNormalizer normalizer = host.Services.GetRequiredService<UrlNormalizer>();
                using var process = Process.GetCurrentProcess();
                TimeSpan Cpu()
                {
                    process.Refresh();
                    return process.TotalProcessorTime;
                }

                TimeSpan cpuStart = Cpu();
                long allocStart = GC.GetTotalAllocatedBytes(precise: true);
                sampler?.Begin();
                var watch = Stopwatch.StartNew();
                MimecastLogResult<MimecastClickLog> page = await client.GetUrlLogsAsync(
                    new MimecastUrlLogQuery(ClickHistoryDatabase.Now - TimeSpan.FromHours(13), ClickHistoryDatabase.Now, OldestFirst: true), CancellationToken.None)
                    .ConfigureAwait(false);
                TimeSpan fetch = watch.Elapsed;
                TimeSpan fetchCpu = Cpu() - cpuStart;
                long fetchAlloc = GC.GetTotalAllocatedBytes(precise: true) - allocStart;
                sampler?.End("fetch+parse", fetchAlloc);
                sampler?.Begin();
                allocStart = GC.GetTotalAllocatedBytes(precise: true);
                cpuStart = Cpu();
                watch.Restart();
                List<StoredClick> stored = [.. page.Records.Select(r => StoredClick.From(r, normalizer))];
                TimeSpan map = watch.Elapsed;
                TimeSpan mapCpu = Cpu() - cpuStart;
                long mapAlloc = GC.GetTotalAllocatedBytes(precise: true) - allocStart;
                sampler?.End("map", mapAlloc);
                sampler?.Begin();
                allocStart = GC.GetTotalAllocatedBytes(precise: true);
                cpuStart = Cpu();
                TimeSpan detectCpu = TimeSpan.Zero;
                watch.Restart();
                List<StoredClick> inserted = [];
                TimeSpan detect = TimeSpan.Zero;
                int alerts = await host.Database.WriteAsync(
                    async (connection, transaction) =>
                    {
                        inserted = await ClickStore.InsertNewAsync(connection, transaction, stored, ClickHistoryDatabase.Now, CancellationToken.None).ConfigureAwait(false);
                        long started = Stopwatch.GetTimestamp();
                        TimeSpan detectCpuStart = Cpu();
                        int raised = await host.Monitor.DetectAsync(
                            connection, transaction, inserted, ClickHistoryDatabase.Now - TimeSpan.FromDays(30), ClickHistoryDatabase.Now, CancellationToken.None)
                            .ConfigureAwait(false);
                        detect = Stopwatch.GetElapsedTime(started);
                        detectCpu = Cpu() - detectCpuStart;
                        return raised;
                    },
                    CancellationToken.None).ConfigureAwait(false);
                TimeSpan insertAndDetect = watch.Elapsed;
                TimeSpan insertAndDetectCpu = Cpu() - cpuStart;
                long storeAlloc = GC.GetTotalAllocatedBytes(precise: true) - allocStart;
                sampler?.End("insert+detect", storeAlloc);
                if (round > 0)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{page.Records.Count:N0} records ({page.PagesRead} pages), wall (process CPU) ms: fetch+parse {fetch.TotalMilliseconds:F0} ({fetchCpu.TotalMilliseconds:F0}), " +
                        $"map {map.TotalMilliseconds:F0} ({mapCpu.TotalMilliseconds:F0}), " +
                        $"insert {(insertAndDetect - detect).TotalMilliseconds:F0} ({(insertAndDetectCpu - detectCpu).TotalMilliseconds:F0}), " +
                        $"detect {detect.TotalMilliseconds:F0} ({detectCpu.TotalMilliseconds:F0}; {alerts} alerts), " +
                        $"total {(fetch + map + insertAndDetect).TotalMilliseconds:F0} ({(fetchCpu + mapCpu + insertAndDetectCpu).TotalMilliseconds:F0}); " +
                        $"allocated MB: fetch+parse {fetchAlloc / 1e6:F1}, map {mapAlloc / 1e6:F1}, insert+detect {storeAlloc / 1e6:F1}"));
                }
            }

            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }
}
