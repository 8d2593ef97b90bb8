using BenchmarkDotNet.Running;
using ChatOpsBot.Benchmarks;

// Generate a seed-format export:  dotnet run -c Release --project tests/ChatOpsBot.Benchmarks -- generate-logs OUT [ENTRIES] [SEED]
// Stage breakdown:                dotnet run -c Release --project tests/ChatOpsBot.Benchmarks -- profile-email corpus|large [ROUNDS] [STAGE]
// Bot ack latency:               dotnet run -c Release --project tests/ChatOpsBot.Benchmarks -- ack-latency [RATE] [SECONDS]
// URL monitor stage breakdown:    dotnet run -c Release --project tests/ChatOpsBot.Benchmarks -- profile-ingestion [ROUNDS]
// URL monitor, both figures:      dotnet run -c Release --project tests/ChatOpsBot.Benchmarks -- alerts-quick [ROUNDS]
// Run benchmarks:                 dotnet run -c Release --project tests/ChatOpsBot.Benchmarks -- --filter '*'
if (args.Length > 0 && args[0] == "generate-logs")
{
    if (args.Length < 2)
    {
        Console.Error.WriteLine("usage: generate-logs OUT [ENTRIES=1000000] [SEED=42]");
        return 2;
    }

    int entries = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
    int seed = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 42;
    using (FileStream output = File.Create(args[1]))
    {
        TtpLogExportGenerator.Write(output, entries, seed);
    }

    Console.WriteLine($"{args[1]}: {entries:N0} entries, {new FileInfo(args[1]).Length:N0} bytes (seed {seed})");
    return 0;
}

if (args.Length > 0 && args[0] == "profile-email")
{
    string what = args.Length > 1 ? args[1] : "corpus";
    int rounds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20;
    return EmailStageProfiler.Run(what, rounds, args.Length > 3 ? args[3] : null);
}

if (args.Length > 0 && args[0] == "ack-latency")
{
    return await ChatOpsBot.Benchmarks.BotFramework.AckLatencyLoad.RunAsync(args);
}

if (args.Length > 0 && args[0] == "profile-ingestion")
{
    return await ChatOpsBot.Benchmarks.Alerts.IngestionStageProfiler.RunAsync(args);
}

if (args.Length > 0 && args[0] == "alerts-quick")
{
    return await ChatOpsBot.Benchmarks.Alerts.AlertsQuickMeasure.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(TtpLogExportGenerator).Assembly).Run(args);
return 0;
