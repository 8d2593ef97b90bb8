using System.Text;
using BenchmarkDotNet.Attributes;
using ChatOpsBot.Analysis.TtpMetrics;

namespace ChatOpsBot.Benchmarks;

/// <summary>
/// Throughput of <see cref="TtpLogAnalyzer"/> on an in-memory generated export (the read from disk and process start-up
/// are measured separately by scripts/analyze-logs-perf.sh). 200,000 entries are about 24 MB.
/// </summary>
[MemoryDiagnoser]
public class TtpLogAnalyzerBenchmarks
{
    private byte[] _export = [];

    [Params(200_000)]
    public int Entries { get; set; }

    [Params("array", "ndjson")]
    public string Layout { get; set; } = "array";

    public double Megabytes => _export.Length / 1e6;

    [GlobalSetup]
    public void Setup()
    {
        byte[] array = TtpLogExportGenerator.Generate(Entries);
        _export = Layout == "array" ? array : ToNdjson(array);
        Console.WriteLine($"// export: {Layout}, {_export.Length:N0} bytes");
    }

    [Benchmark]
    public long Analyze() => TtpLogAnalyzer.Analyze(new MemoryStream(_export, writable: false)).TotalEmails;

    private static byte[] ToNdjson(byte[] array)
    {
        // The generator's entries are one object per "    {...}" block; re-emit each on its own line.
        string text = Encoding.UTF8.GetString(array);
        var lines = new StringBuilder();
        foreach (string block in text.Trim().TrimStart('[').TrimEnd(']').Split(",\n    {", StringSplitOptions.None))
        {
            string entry = block.Trim().TrimStart('{').ReplaceLineEndings(" ");
            lines.Append('{').Append(entry.Trim()).Append('\n');
        }

        return Encoding.UTF8.GetBytes(lines.ToString());
    }
}
