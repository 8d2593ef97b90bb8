using System.Text;
using System.Text.Json;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.TtpMetrics;
using ChatOpsBot.Commands.Metrics;
using ChatOpsBot.Tests.Commands.Support;

namespace ChatOpsBot.Tests.Commands.Metrics;

public sealed class LogPeriodFilterTests
{
    private static readonly DateOnly s_from = new(2026, 1, 14);

    private static TtpMetricsResult Analyze(FilteredLog filtered) => TtpLogAnalyzer.Analyze(new MemoryStream(filtered.Json.ToArray()));

    [Fact]
    public void ASeedExportKeepsOnlyThePeriodsRecords()
    {
        FilteredLog filtered = LogPeriodFilter.Filter(Samples.Bytes("ttp_logs.json"), s_from);

        filtered.Kept.ShouldBe(3);
        filtered.Outside.ShouldBe(3);
        filtered.Newest.ShouldBe(new DateOnly(2026, 1, 19));
        TtpMetricsResult result = Analyze(filtered);
        result.TotalEmails.ShouldBe(3);
        result.UrlThreatsBlocked.ShouldBe(1);
        result.AttachmentThreatsBlocked.ShouldBe(1);
        result.DailyStats.Keys.ShouldBe(["2026-01-19", "2026-01-18"]);
    }

    [Fact]
    public void NdjsonKeepsItsShape()
    {
        string ndjson = """
            {"date": "2026-01-15", "category": "url_threat", "recipient": "a@corp.test"}
            {"date": "2026-01-01", "category": "url_threat", "recipient": "b@corp.test"}
            {"category": "url_threat", "recipient": "c@corp.test"}
            """;

        FilteredLog filtered = LogPeriodFilter.Filter(Encoding.UTF8.GetBytes(ndjson), s_from);

        filtered.Kept.ShouldBe(1);
        filtered.Outside.ShouldBe(1);
        filtered.Undated.ShouldBe(1);
        Analyze(filtered).TopTargetedUsers.ShouldHaveSingleItem().User.ShouldBe("a@corp.test");
    }

    [Fact]
    public void MimecastPagesAreFilteredInsideTheirLogLists()
    {
        string page = """
            {"meta": {"status": 200}, "data": [{"clickLogs": [
              {"date": "2026-01-15T10:15:30+0000", "userEmailAddress": "a@corp.test", "url": "https://evil.test/", "route": "inbound", "scanResult": "malicious", "category": "Phishing & Fraud", "action": "block", "adminOverride": "N/A", "userOverride": "None", "userAwarenessAction": "n/a", "ttpDefinition": "Default", "actions": "Block"},
              {"date": "2026-01-13T23:59:59-0200", "userEmailAddress": "b@corp.test", "url": "https://evil.test/", "route": "inbound", "scanResult": "malicious", "category": "Phishing & Fraud", "action": "block", "adminOverride": "N/A", "userOverride": "None", "userAwarenessAction": "n/a", "ttpDefinition": "Default", "actions": "Block"},
              {"date": "2026-01-01T10:00:00+0000", "userEmailAddress": "c@corp.test", "url": "https://evil.test/", "route": "inbound", "scanResult": "malicious", "category": "Phishing & Fraud", "action": "block", "adminOverride": "N/A", "userOverride": "None", "userAwarenessAction": "n/a", "ttpDefinition": "Default", "actions": "Block"}
            ]}], "fail": []}
            """;

        FilteredLog filtered = LogPeriodFilter.Filter(Encoding.UTF8.GetBytes(page), s_from);

        // 23:59:59 at -02:00 is 01:59:59 UTC the next day, so inside the period.
        filtered.Kept.ShouldBe(2);
        filtered.Outside.ShouldBe(1);
        using JsonDocument output = JsonDocument.Parse(filtered.Json);
        output.RootElement.GetProperty("data")[0].GetProperty("clickLogs").GetArrayLength().ShouldBe(2);
        output.RootElement.GetProperty("meta").GetProperty("status").GetInt32().ShouldBe(200);
    }

    [Theory]
    [InlineData("2026-01-15", 2026, 1, 15)]
    [InlineData("2026-01-15T23:30:00+0000", 2026, 1, 15)]
    [InlineData("2026-01-15T23:30:00-0100", 2026, 1, 16)]
    [InlineData("2026-01-15T10:00:00Z", 2026, 1, 15)]
    public void DatesAreReadAsUtcDays(string text, int year, int month, int day) =>
        LogPeriodFilter.ParseDate(text).ShouldBe(new DateOnly(year, month, day));

    [Theory]
    [InlineData("unknown")]
    [InlineData("")]
    [InlineData("15/01/2026 or so")]
    public void UnreadableDatesAreNone(string text) => LogPeriodFilter.ParseDate(text).ShouldBeNull();

    [Fact]
    public void NotJsonIsBadInput() =>
        Should.Throw<InvalidInputException>(() => LogPeriodFilter.Filter(Encoding.UTF8.GetBytes("[{\"date\": "), s_from))
            .Message.ShouldContain("not valid JSON");
}
