using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Mathematics;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Mail;

using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Benchmarks;

/// <summary>
/// Parse-only and parse + full forensic analysis over every message of the shared mail corpora (../shared/corpus/mail,
/// or CHATOPS_SHARED_DIR: the .eml files of sublime/, eml_analyzer/, mimekit/ and stalwart/), and parse + full analysis
/// of a generated message with a 25 MB base64 attachment, reported as MB/s of input.
/// Targets: >= 160 MB/s on the corpus, >= 200 MB/s on the large message.
/// Run: dotnet run -c Release --project tests/ChatOpsBot.Benchmarks -- --filter '*EmailAnalysis*' --iterationCount 100
/// (compare the Min and MB/s (min) columns when the machine is not idle).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class EmailAnalysisBenchmarks
{
    private static readonly string[] s_corpora = ["sublime", "eml_analyzer", "mimekit", "stalwart"];

    private List<byte[]> _messages = [];
    private byte[] _largeMessage = [];

    // The summary column runs in the host process, where GlobalSetup never ran, so it measures the files itself.
    private static readonly Lazy<long> s_corpusBytes = new(() => CorpusFiles().Sum(f => new FileInfo(f).Length));

    internal static long CorpusBytes => s_corpusBytes.Value;

    private static readonly Lazy<long> s_largeMessageBytes = new(() => MimeParserBenchmarks.BuildLargeMessage().LongLength);

    [GlobalSetup]
    public void LoadCorpus()
    {
        _messages = LoadCorpusMessages();
        _largeMessage = MimeParserBenchmarks.BuildLargeMessage();
    }

    internal static List<byte[]> LoadCorpusMessages() => CorpusFiles().Select(File.ReadAllBytes).ToList();

    internal static List<string> CorpusFileNames() => CorpusFiles();

    // Only the .eml files: the folders also hold licences, JSON expectations and binary samples (.msg, .xls, .docx).
    private static List<string> CorpusFiles()
    {
        string root = LocateCorpus();
        return s_corpora
            .SelectMany(c => Directory.EnumerateFiles(Path.Combine(root, c), "*.eml", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [Benchmark(Baseline = true)]
    public int ParseOnly()
    {
        int parts = 0;
        foreach (byte[] message in _messages)
        {
            parts += MimeMessage.Load(message).BodyParts.Count();
        }

        return parts;
    }

    [Benchmark]
    public int ParseAndAnalyze()
    {
        int score = 0;
        foreach (byte[] message in _messages)
        {
            score += EmailAnalyzer.Analyze(message).Score;
        }

        return score;
    }

    /// <summary>Target: >= 200 MB/s (MB of the whole message, base64 included), all three attachment hashes computed.</summary>
    [Benchmark]
    public int ParseAndAnalyzeLargeAttachment() => EmailAnalyzer.Analyze(_largeMessage).Attachments.Count;

    private static string LocateCorpus() =>
        SharedFolder.Root is { } shared
            ? Path.Combine(shared, "corpus", "mail")
            : throw new InvalidOperationException("The mail corpus was not found: put ../shared beside the checkout or set CHATOPS_SHARED_DIR.");

    // Min next to Mean: on a shared machine the fastest iteration is the one least disturbed by other processes.
    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(StatisticColumn.Min, new ThroughputColumn(fromMin: false), new ThroughputColumn(fromMin: true));
    }

    /// <summary>Message megabytes (10^6 bytes) processed per second of mean (or minimum) run time.</summary>
    private sealed class ThroughputColumn(bool fromMin) : IColumn
    {
        public string Id => nameof(ThroughputColumn) + (fromMin ? "Min" : "Mean");

        public string ColumnName => fromMin ? "MB/s (min)" : "MB/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => $"Message megabytes (10^6 bytes: the corpus's .eml files, or the 25 MB-attachment message) processed per second of {(fromMin ? "the fastest iteration" : "mean run time")}";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            Statistics? statistics = summary[benchmarkCase]?.ResultStatistics;
            double? nanoseconds = fromMin ? statistics?.Min : statistics?.Mean;
            if (nanoseconds is not > 0)
            {
                return "-";
            }

            long bytes = benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(ParseAndAnalyzeLargeAttachment) ? s_largeMessageBytes.Value : CorpusBytes;
            return (bytes / 1e6 / (nanoseconds.Value / 1e9)).ToString("F1", CultureInfo.InvariantCulture);
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
