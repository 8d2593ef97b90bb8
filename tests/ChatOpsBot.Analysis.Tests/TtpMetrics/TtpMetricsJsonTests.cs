using System.Text.Json;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.TtpMetrics;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.TtpMetrics;

public sealed class TtpMetricsJsonTests
{
    [Fact]
    public void WritesWhatJsonSerializerWritesWithTheSeedOptions()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(SeedExportGenerator.Export.ToArbitrary(), export =>
        {
            TtpMetricsResult metrics = TtpLogs.Analyze(SeedExportGenerator.Render(export));

            TtpMetricsJson.Serialize(metrics).ShouldBe(JsonSerializer.Serialize(metrics, SeedJson.Options));
        }));
    }

    [Fact]
    public void PutsTheSeedFieldsFirstInTheSeedsOrder()
    {
        TtpMetricsResult metrics = TtpLogs.Analyze("""[{"date": "2026-11-01", "category": "url_threat", "recipient": "a@x"}]""");

        using JsonDocument document = JsonDocument.Parse(TtpMetricsJson.Serialize(metrics));

        document.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(
        [
            "total_emails", "url_threats_blocked", "attachment_threats_blocked", "impersonation_detected", "internal_threats",
            "top_threat_types", "top_targeted_users", "daily_stats", "attack_techniques", "record_sources",
        ]);
    }
}
