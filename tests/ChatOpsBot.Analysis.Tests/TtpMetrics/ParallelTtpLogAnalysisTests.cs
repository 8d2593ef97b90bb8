using System.Text;
using ChatOpsBot.Analysis.TtpMetrics;

namespace ChatOpsBot.Analysis.Tests.TtpMetrics;

/// <summary>The two-segment read: the hand-off happens only at a real entry boundary, and results merge in input order.</summary>
public sealed class ParallelTtpLogAnalysisTests
{
    private const string Export =
        """[{"category": "spam", "recipient": "b@x", "date": "d2"},{"note": [{"a": 1},{"b": "},{"}], "category": "url_threat", "recipient": "a@x", "date": "d1"},{"category": "clean", "recipient": "c@x", "date": "d3"},{"category": "spam", "recipient": "a@x", "date": "d2"}]""";

    [Fact]
    public void HandsOffOnlyWhereATopLevelEntryStarts()
    {
        byte[] json = Encoding.UTF8.GetBytes(Export);
        int thirdEntry = Export.IndexOf("{\"category\": \"clean\"", StringComparison.Ordinal);
        int nestedObject = Export.IndexOf("{\"b\"", StringComparison.Ordinal);

        (bool handedOff, long total) = ReadUntil(json, thirdEntry);
        (bool falseHandOff, long everything) = ReadUntil(json, nestedObject);

        (handedOff, total).ShouldBe((true, 2L));
        (falseHandOff, everything).ShouldBe((false, 4L));
    }

    [Fact]
    public void MergesTheSecondSegmentAfterTheFirst()
    {
        byte[] json = Encoding.UTF8.GetBytes(Export);
        int thirdEntry = Export.IndexOf("{\"category\": \"clean\"", StringComparison.Ordinal);
        var first = new TtpMetricsAccumulator(TtpLogLimits.Default);
        var second = new TtpMetricsAccumulator(TtpLogLimits.Default);
        using (var reader = new TtpLogReader(new MemoryStream(json).Read, TtpLogLimits.Default, first))
        {
            reader.ReadUntilHandOff(thirdEntry).ShouldBeTrue();
        }

        using (var reader = new TtpLogReader(new MemoryStream(json[thirdEntry..]).Read, TtpLogLimits.Default, second))
        {
            reader.ReadSegment(TtpLogReader.InputLayout.Array, () => false);
        }

        first.Merge(second);
        TtpMetricsResult merged = first.Build();

        TtpMetricsJson.Serialize(merged).ShouldBe(TtpMetricsJson.Serialize(TtpLogs.Analyze(json)));
        TtpLogs.Users(merged).ShouldBe([("a@x", 2L), ("b@x", 1L)]);
        TtpLogs.Days(merged).ShouldBe([("d2", 2L, 0L), ("d1", 1L, 1L), ("d3", 1L, 0L)]);
    }

    [Fact]
    public void ReadsAFileInTwoSegmentsToTheSameResult()
    {
        var export = new StringBuilder("[");
        for (int i = 0; i < 5000; i++)
        {
            export.Append(i == 0 ? "" : ",\n").Append(TtpLogs.Entry($"2026-11-{i % 30 + 1:00}", i % 3 == 0 ? "url_threat" : "spam", $"user{i % 97}@x"));
        }

        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, export.Append(']').ToString());
            string sequential = TtpMetricsJson.Serialize(Analyze(path, new TtpLogLimits(ParallelMinBytes: long.MaxValue)));

            string parallel = TtpMetricsJson.Serialize(Analyze(path, new TtpLogLimits(ParallelMinBytes: 2)));

            parallel.ShouldBe(sequential);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsPrettyPrintedPagesInTwoSegmentsToTheSameResult(bool inArray)
    {
        var pages = new List<string>();
        for (int page = 0; page < 40; page++)
        {
            var records = Enumerable.Range(0, 5).Select(i =>
                $"{{\n\"userEmailAddress\": \"u{(page * 5 + i) % 17}@x\",\n\"scanResult\": \"{(i % 2 == 0 ? "malicious" : "clean")}\",\n" +
                $"\"route\": \"{(i % 3 == 0 ? "internal" : "inbound")}\",\n\"date\": \"2024-11-{page % 28 + 1:00}T10:00:00+0000\"\n}}");
            pages.Add($"{{\n\"meta\": {{\"status\": 200}},\n\"data\": [\n{{\n\"clickLogs\": [\n{string.Join(",\n", records)}\n]\n}}\n],\n\"fail\": []\n}}");
        }

        byte[] json = Encoding.UTF8.GetBytes(inArray ? "[\n" + string.Join(",\n", pages) + "\n]" : string.Join("\n", pages));
        var limits = new TtpLogLimits(BufferBytes: 256, ParallelMinBytes: long.MaxValue);
        string sequential = TtpMetricsJson.Serialize(TtpLogAnalyzer.Analyze(new MemoryStream(json), limits));

        string parallel = TtpMetricsJson.Serialize(TtpLogAnalyzer.Analyze(
            new MemoryStream(json, 0, json.Length, writable: false, publiclyVisible: true), limits with { ParallelMinBytes = 2 }));

        parallel.ShouldBe(sequential);
        TtpLogAnalyzer.Analyze(new MemoryStream(json)).RecordSources.UrlClickLogs.ShouldBe(200);
    }

    private static TtpMetricsResult Analyze(string path, TtpLogLimits limits)
    {
        using FileStream file = File.OpenRead(path);
        return TtpLogAnalyzer.Analyze(file, limits);
    }

    private static (bool HandedOff, long Total) ReadUntil(byte[] json, long offset)
    {
        var accumulator = new TtpMetricsAccumulator(TtpLogLimits.Default);
        using var reader = new TtpLogReader(new MemoryStream(json).Read, TtpLogLimits.Default, accumulator);
        bool handedOff = reader.ReadUntilHandOff(offset);
        return (handedOff, accumulator.Build().TotalEmails);
    }
}
