using System.Text.RegularExpressions;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.TtpMetrics;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Analysis.Tests.TtpMetrics;

/// <summary>The recorded Mimecast payloads in shared/samples/mimecast (see its README for their sources).</summary>
public sealed partial class MimecastSampleTests
{
    [SharedFolderFact]
    public void ReadsElasticsRecordedUrlLogPages()
    {
        TtpMetricsResult metrics = AnalyzeConcatenated(
            "elastic/mock_v2/ttp_url_get_logs_page1.json", "elastic/mock_v2/ttp_url_get_logs_page2.json", "elastic/mock_v2/ttp_url_get_logs_page3_empty.json");

        // Four malicious, not-allowed clicks ("warn"); the first came by the internal route.
        metrics.RecordSources.UrlClickLogs.ShouldBe(4);
        metrics.InternalThreats.ShouldBe(1);
        metrics.UrlThreatsBlocked.ShouldBe(3);
        metrics.DailyStats.Keys.ShouldBe(["2024-11-17", "2024-11-14", "2024-11-13"]);
    }

    [SharedFolderFact]
    public void ReadsElasticsRecordedAttachmentLogPages()
    {
        TtpMetricsResult metrics = AnalyzeConcatenated(
            "elastic/mock_v2/ttp_attachment_get_logs_page1.json", "elastic/mock_v2/ttp_attachment_get_logs_page2.json",
            "elastic/mock_v2/ttp_attachment_get_logs_page3_empty.json", "elastic/mock_v1/ttp_attachment_get_logs_next.json");

        // Four "safe" results are clean; the one malicious file was sent internally.
        metrics.RecordSources.AttachmentLogs.ShouldBe(5);
        metrics.InternalThreats.ShouldBe(1);
        metrics.AttachmentThreatsBlocked.ShouldBe(0);
        TtpLogs.Users(metrics).ShouldBe([("charles.weldon@demo-int.elastic.mime-api.com", 1L)]);
    }

    [SharedFolderFact]
    public void ReadsElasticsRecordedImpersonationLogPages()
    {
        TtpMetricsResult metrics = AnalyzeConcatenated(
            "elastic/mock_v2/ttp_impersonation_get_logs_page1.json", "elastic/mock_v2/ttp_impersonation_get_logs_page2.json",
            "elastic/mock_v2/ttp_impersonation_get_logs_page3_empty.json");

        // All four hit once and were tagged malicious (action "none" only means the message was not held).
        metrics.ImpersonationDetected.ShouldBe(4);
        metrics.DailyStats.Keys.ShouldBe(["2021-11-12"]);
    }

    [SharedFolderFact]
    public void ReadsElasticsPipelineInputsOfBareRecords()
    {
        TtpMetricsResult urls = AnalyzeConcatenated("elastic/ttp_url_logs_pipeline_input.ndjson");
        TtpMetricsResult attachments = AnalyzeConcatenated("elastic/ttp_ap_logs_pipeline_input.ndjson");
        TtpMetricsResult impersonations = AnalyzeConcatenated("elastic/ttp_ip_logs_pipeline_input.ndjson");

        (urls.TotalEmails, urls.UrlThreatsBlocked, urls.InternalThreats).ShouldBe((8L, 3L, 2L));
        (attachments.TotalEmails, attachments.AttachmentThreatsBlocked, attachments.TopTargetedUsers.Count).ShouldBe((3L, 0L, 0));
        (impersonations.TotalEmails, impersonations.ImpersonationDetected).ShouldBe((3L, 3L));
    }

    [SharedFolderTheory]
    [InlineData("rapid7/mimecast_v2_plugin/http401_unauthorized_body.json", "line 1, fail: Mimecast reported a failure: unauthorized")]
    [InlineData("rapid7/mimecast_v2_plugin/http5xx_or_429_body.json", "line 1, fail: Mimecast reported a failure: internal-error (An unexpected error occurred while processing the batch request)")]
    [InlineData("rapid7/mimecast_v1_plugin/delete_managed_url_bad_not_found.json", "line 1, fail: Mimecast reported a failure: err_managed_url_not_found (Managed URL not found)")]
    [InlineData("rapid7/mimecast_v1_plugin/decode_url.json", "line 1, data[0]: has no clickLogs, attachmentLogs or impersonationLogs list, so this is not a TTP log page")]
    public void RejectsErrorResponsesAndOtherEndpointsPages(string sample, string expected)
    {
        Should.Throw<InvalidInputException>(() => AnalyzeConcatenated(sample)).Message.ShouldBe(expected);
    }

    [SharedFolderFact]
    public void UsesSeed002sAttackTableVerbatim()
    {
        string seed = File.ReadAllText(Directory.GetFiles(SharedFolder.PathTo("seeds"), "002_*.txt").Single());
        var rows = SeedRow().Matches(seed).Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)).ToList();

        rows.Count.ShouldBe(11);
        MimecastAttackMapping.Seed002Table.Select(r => (r.Key, r.Value.ThreatId, r.Value.ThreatName)).ShouldBe(rows);
    }

    private static TtpMetricsResult AnalyzeConcatenated(params string[] samples)
    {
        using var all = new MemoryStream();
        foreach (string sample in samples)
        {
            all.Write(File.ReadAllBytes(SharedFolder.PathTo(Path.Combine("samples/mimecast", sample))));
            all.WriteByte((byte)'\n');
        }

        all.Position = 0;
        return TtpLogAnalyzer.Analyze(all);
    }

    [GeneratedRegex("""\{"alertType": "([^"]+)", "threatId": "([^"]+)", "threatName": "([^"]+)"\}""")]
    private static partial Regex SeedRow();
}
