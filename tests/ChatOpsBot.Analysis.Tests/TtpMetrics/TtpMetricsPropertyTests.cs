using ChatOpsBot.Analysis.TtpMetrics;
using FsCheck;
using FsCheck.Fluent;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Analysis.Tests.TtpMetrics;

/// <summary>Properties of the parity-critical ordering rules, over random exports.</summary>
public sealed class TtpMetricsPropertyTests
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void TopThreatTypesAndUsersFollowCounterMostCommon()
    {
        Check.One(s_config, Prop.ForAll(SeedExportGenerator.Export.ToArbitrary(), export =>
        {
            TtpMetricsResult metrics = TtpLogs.Analyze(SeedExportGenerator.Render(export));
            SeedReferenceModel.Result expected = SeedReferenceModel.Analyze(export.Entries);

            TtpLogs.ThreatTypes(metrics).ShouldBe(expected.TopThreatTypes);
            TtpLogs.Users(metrics).ShouldBe(expected.TopTargetedUsers);
            (metrics.TotalEmails, metrics.UrlThreatsBlocked, metrics.AttachmentThreatsBlocked, metrics.ImpersonationDetected, metrics.InternalThreats)
                .ShouldBe((expected.TotalEmails, expected.UrlThreatsBlocked, expected.AttachmentThreatsBlocked, expected.ImpersonationDetected, expected.InternalThreats));
        }));
    }

    [Fact]
    public void DailyStatsListDatesInOrderOfFirstAppearance()
    {
        Check.One(s_config, Prop.ForAll(SeedExportGenerator.Export.ToArbitrary(), export =>
        {
            TtpMetricsResult metrics = TtpLogs.Analyze(SeedExportGenerator.Render(export));

            metrics.DailyStats.Keys.ShouldBe(export.Entries.Select(e => e.Date ?? "unknown").Distinct());
            TtpLogs.Days(metrics).ShouldBe(SeedReferenceModel.Analyze(export.Entries).DailyStats);
        }));
    }

    [Fact]
    public void TotalsAreConsistent()
    {
        Check.One(s_config, Prop.ForAll(SeedExportGenerator.Export.ToArbitrary(), export =>
        {
            TtpMetricsResult metrics = TtpLogs.Analyze(SeedExportGenerator.Render(export));
            long threats = metrics.UrlThreatsBlocked + metrics.AttachmentThreatsBlocked + metrics.ImpersonationDetected + metrics.InternalThreats;

            metrics.DailyStats.Values.Sum(d => d.Total).ShouldBe(metrics.TotalEmails);
            metrics.TotalEmails.ShouldBe(export.Entries.Count);
            metrics.DailyStats.Values.Sum(d => d.Threats).ShouldBe(threats);
            metrics.TopThreatTypes.Values.Sum().ShouldBe(threats);
            metrics.AttackTechniques.Sum(t => t.Count).ShouldBe(threats);
            metrics.RecordSources.SeedEntries.ShouldBe(metrics.TotalEmails);
        }));
    }

    [Fact]
    public void GivesTheSameResultForAnyReadChunkAndBufferSize()
    {
        var cases =
            from export in SeedExportGenerator.Export
            from chunkSeed in Gen.Choose(0, int.MaxValue)
            from maxChunk in Gen.Choose(1, 64)
            from bufferBytes in Gen.Choose(16, 300)
            select (export, chunkSeed, maxChunk, bufferBytes);

        Check.One(s_config, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            byte[] json = SeedExportGenerator.Render(c.export);
            string whole = TtpMetricsJson.Serialize(TtpLogs.Analyze(json));

            using var chunked = new ChunkedStream(json, c.maxChunk, c.chunkSeed);
            TtpMetricsResult streamed = TtpLogAnalyzer.Analyze(chunked, new TtpLogLimits(BufferBytes: c.bufferBytes));

            TtpMetricsJson.Serialize(streamed).ShouldBe(whole);
        }));
    }

    [Fact]
    public void GivesTheSameResultOrErrorWhenReadAsTwoParallelSegments()
    {
        var cases =
            from export in SeedExportGenerator.Export
            from edit in Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(0, int.MaxValue)))
            from bufferBytes in Gen.Choose(16, 300)
            select (export, edit, bufferBytes);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            byte[] json = SeedExportGenerator.Render(c.export);
            if (c.edit >= 0 && json.Length > 0)
            {
                // One byte replaced: errors in either segment must be reported as a sequential read reports them.
                json[c.edit % json.Length] = (byte)"{}[],:\"\\ 0x"[c.edit % 11];
            }

            var limits = new TtpLogLimits(BufferBytes: c.bufferBytes, ParallelMinBytes: long.MaxValue);
            string sequential = Outcome(() => TtpLogAnalyzer.Analyze(new MemoryStream(json), limits));
            string parallel = Outcome(() => TtpLogAnalyzer.Analyze(
                new MemoryStream(json, 0, json.Length, writable: false, publiclyVisible: true), limits with { ParallelMinBytes = 2 }));

            parallel.ShouldBe(sequential);
        }));
    }

    private static string Outcome(Func<TtpMetricsResult> analyze)
    {
        try
        {
            return TtpMetricsJson.Serialize(analyze());
        }
        catch (Common.InvalidInputException ex)
        {
            return "error: " + ex.Message;
        }
    }
}
