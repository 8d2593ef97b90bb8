using static ChatOpsBot.Analysis.Tests.TtpMetrics.TtpLogs;

namespace ChatOpsBot.Analysis.Tests.TtpMetrics;

/// <summary>
/// Mimecast API 2.0 TTP log records and pages, from small records modelled on the recorded samples in
/// shared/samples/mimecast (Elastic's demo-tenant mock pages and pipeline inputs).
/// </summary>
public sealed class MimecastRecordTests
{
    private const string MaliciousInternalClick = """
        {"userEmailAddress": "dl-all@corp.example", "fromUserEmailAddress": "coo@corp.example",
         "url": "http://www.enron.com/release.html", "ttpDefinition": "Default Internal URL Protect Definition",
         "action": "warn", "scanResult": "malicious", "category": "Compromised", "sendingIp": "Internal IP",
         "date": "2024-11-17T17:02:30+0000", "actions": "None", "route": "internal", "creationMethod": "Entry Scan",
         "emailPartsDescription": ["Body"], "messageId": "<871d@hapi.b41.one>",
         "tagMap": {"UrlReputationScan": {"Status": ["CustomerAll", "VerdictBlock"], "Type": ["Compromised"]}}}
        """;

    private const string MaliciousInboundClick = """
        {"userEmailAddress": "jhartso@corp.example", "url": "https://oneclient.sfx.ms/OneDriveSetup.exe",
         "ttpDefinition": "Default Inbound URL Protect Definition", "action": "warn", "scanResult": "malicious",
         "category": "Dangerous file extension", "date": "2024-11-14T19:44:02+0000", "actions": "Block",
         "route": "inbound", "creationMethod": "Entry Scan", "emailPartsDescription": ["Attachment"]}
        """;

    private const string CleanAllowedClick = """
        {"userEmailAddress": "johndoe@corp.example", "url": "https://www.livingsocial.com/browse/",
         "ttpDefinition": "Inbound URL 'Aggressive'", "action": "allow", "scanResult": "clean", "category": "Business",
         "date": "2021-10-16T14:07:38+0000", "actions": "Allow", "route": "inbound", "creationMethod": "User Click"}
        """;

    private const string MaliciousButAllowedClick = """
        {"userEmailAddress": "override@corp.example", "url": "https://bad.example/", "action": "allow",
         "scanResult": "malicious", "date": "2024-11-15T08:00:00+0000", "route": "inbound", "creationMethod": "User Click"}
        """;

    private const string SafeAttachment = """
        {"senderAddress": "thomas@partner.example", "recipientAddress": "thomas@corp.example", "fileName": "a.pdf",
         "fileType": "application/pdf", "result": "safe", "actionTriggered": "none, none", "date": "2024-11-17T20:16:00+0000",
         "details": "Safe\r\nTime taken: 0 hrs, 0 min, 3 sec", "route": "inbound", "messageId": "<2a5d@hapi.b41.one>",
         "fileHash": "4af462d0246bf4074730b2aaecb076dfd30977ff23556b60848ab0af68f6e636",
         "definition": "Default Inbound Attachment Protect Definition"}
        """;

    private const string MaliciousInternalAttachment = """
        {"senderAddress": "eric@corp.example", "recipientAddress": "charles@corp.example", "fileName": "Sandbox Test.xlsx",
         "result": "malicious", "actionTriggered": "none", "date": "2024-11-17T00:52:30+0000", "route": "internal",
         "fileHash": "168dde02cf41aed3bf31ad831b75d8ee0b738304baa6957c40e29b2487f15116"}
        """;

    private const string TaggedImpersonation = """
        {"id": "MTOKEN:eNqrVkouLS7J", "senderAddress": "johndoe@example.com", "recipientAddress": "johdoejr@corp.example",
         "subject": "Don't read, just fill out!", "definition": "IP - 1 hit (Tag email)", "hits": 1,
         "identifiers": ["internal_user_name"], "action": "none", "taggedExternal": false, "taggedMalicious": true,
         "senderIpAddress": "8.8.8.8", "eventTime": "2021-11-12T15:30:15+0000",
         "impersonationResults": [{"impersonationDomainSource": "internal_user_name", "similarDomain": "John Doe <jd@example.com>",
           "stringSimilarToDomain": "John Doe", "checkerResult": "hit"}], "messageId": "<0-MN2PR16MB27@outlook.com>"}
        """;

    [Fact]
    public void MapsEachClickByScanResultActionAndRoute()
    {
        var metrics = Analyze(string.Join("\n", MaliciousInternalClick.ReplaceLineEndings(" "), MaliciousInboundClick.ReplaceLineEndings(" "),
            CleanAllowedClick.ReplaceLineEndings(" "), MaliciousButAllowedClick.ReplaceLineEndings(" ")));

        metrics.TotalEmails.ShouldBe(4);
        metrics.InternalThreats.ShouldBe(1);
        metrics.UrlThreatsBlocked.ShouldBe(1);
        metrics.RecordSources.UrlClickLogs.ShouldBe(4);
        // The clean click's user is not targeted; the allowed malicious click's user is, though it was no blocked threat.
        Users(metrics).ShouldBe([("dl-all@corp.example", 1L), ("jhartso@corp.example", 1L), ("override@corp.example", 1L)]);
        Days(metrics).ShouldBe([("2024-11-17", 1L, 1L), ("2024-11-14", 1L, 1L), ("2021-10-16", 1L, 0L), ("2024-11-15", 1L, 0L)]);
    }

    [Fact]
    public void MapsAttachmentLogsByResultAndRoute()
    {
        var metrics = Analyze($"[{SafeAttachment},{MaliciousInternalAttachment}," +
            """{"recipientAddress": "c@corp.example", "result": "MALICIOUS", "route": "inbound", "date": "2024-11-18T01:00:00+0000"},""" +
            """{"recipientAddress": "d@corp.example", "result": "timeout", "route": "inbound", "date": "2024-11-18T02:00:00+0000"}]""");

        metrics.AttachmentThreatsBlocked.ShouldBe(1);
        metrics.InternalThreats.ShouldBe(1);
        metrics.RecordSources.AttachmentLogs.ShouldBe(4);
        Users(metrics).ShouldBe([("charles@corp.example", 1L), ("c@corp.example", 1L), ("d@corp.example", 1L)]);
        Days(metrics).ShouldBe([("2024-11-17", 2L, 1L), ("2024-11-18", 2L, 1L)]);
    }

    [Theory]
    [InlineData("\"hits\": 1, \"action\": \"none\", \"taggedMalicious\": true", true)]
    [InlineData("\"hits\": 2, \"action\": \"hold\", \"taggedMalicious\": false", true)]
    [InlineData("\"hits\": 1, \"action\": \"bounce\"", true)]
    [InlineData("\"hits\": 1, \"action\": \"none\", \"taggedMalicious\": false", false)]
    [InlineData("\"hits\": 0, \"action\": \"hold\", \"taggedMalicious\": true", false)]
    [InlineData("\"action\": \"none\"", false)]
    [InlineData("\"taggedMalicious\": true", true)]
    public void CountsAnImpersonationLogOnlyWhenThePolicyActedOnAHit(string fields, bool detected)
    {
        var metrics = Analyze($$"""{"recipientAddress": "vip@corp.example", "eventTime": "2021-11-12T15:30:15+0000", {{fields}}}""");

        metrics.ImpersonationDetected.ShouldBe(detected ? 1 : 0);
        metrics.RecordSources.ImpersonationLogs.ShouldBe(1);
        // Not detected means the message went through untouched: clean, so its recipient is not counted either.
        metrics.TopTargetedUsers.Count.ShouldBe(detected ? 1 : 0);
    }

    [Fact]
    public void ReadsAnApiPageOfEachLogKind()
    {
        string page = $$$"""
            {"meta": {"pagination": {"pageSize": 2, "totalCount": 42, "next": "nexttoken"}, "status": 200},
             "data": [{"clickLogs": [{{{MaliciousInternalClick}}}, {{{CleanAllowedClick}}}]}], "fail": []}
            {"meta": {"status": 200}, "data": [{"attachmentLogs": [{{{MaliciousInternalAttachment}}}]}], "fail": []}
            {"meta": {"status": 200, "pagination": {"pageSize": 10, "totalCount": 20}},
             "data": [{"impersonationLogs": [{{{TaggedImpersonation}}}], "resultCount": 36}], "fail": []}
            {"meta": {"status": 200, "pagination": {"pageSize": 10, "totalCount": 20, "next": "String"}}, "data": [], "fail": []}
            """;

        var metrics = Analyze(page);

        metrics.TotalEmails.ShouldBe(4);
        metrics.InternalThreats.ShouldBe(2);
        metrics.ImpersonationDetected.ShouldBe(1);
        metrics.RecordSources.ShouldBe(new ChatOpsBot.Analysis.TtpMetrics.RecordSourceCounts(0, 2, 1, 1));
        Users(metrics).ShouldBe([("dl-all@corp.example", 1L), ("charles@corp.example", 1L), ("johdoejr@corp.example", 1L)]);
    }

    [Fact]
    public void ReadsAJsonArrayOfPagesAndBareRecords()
    {
        string pages = $$$"""
            [{"fail": [], "data": [{"clickLogs": [{{{MaliciousInboundClick}}}]}], "meta": {"status": 200}},
             {{{TaggedImpersonation}}},
             {"data": [{"clickLogs": []}]}]
            """;

        var metrics = Analyze(pages);

        metrics.UrlThreatsBlocked.ShouldBe(1);
        metrics.ImpersonationDetected.ShouldBe(1);
        metrics.TotalEmails.ShouldBe(2);
    }

    [Fact]
    public void ReadsNdjsonOfBareRecordsAndPagesMixed()
    {
        // Elastic's pipeline input mixes bare records with an empty page envelope on its own line.
        string ndjson = string.Join("\r\n",
            CleanAllowedClick.ReplaceLineEndings(" "),
            "",
            """{"meta":{"status":200,"pagination":{"pageSize":0,"totalCount":0,"next":"next"}},"data":[],"fail":[]}""",
            SafeAttachment.ReplaceLineEndings(" "),
            "   ",
            TaggedImpersonation.ReplaceLineEndings(" "),
            Entry("2026-11-01", "url_threat", "seed@x"));

        var metrics = Analyze(ndjson);

        metrics.RecordSources.ShouldBe(new ChatOpsBot.Analysis.TtpMetrics.RecordSourceCounts(1, 1, 1, 1));
        metrics.ImpersonationDetected.ShouldBe(1);
        metrics.UrlThreatsBlocked.ShouldBe(1);
    }

    [Fact]
    public void ConvertsRecordTimesToTheUtcDay()
    {
        var metrics = Analyze("""
            {"userEmailAddress": "a@x", "scanResult": "malicious", "date": "2024-11-17T23:30:00-0200"}
            {"userEmailAddress": "a@x", "scanResult": "malicious", "date": "2024-11-18T00:30:00+01:00"}
            {"userEmailAddress": "a@x", "scanResult": "malicious", "date": "2024-11-18T00:30:00.123Z"}
            {"userEmailAddress": "a@x", "scanResult": "malicious", "date": "2024-11-19"}
            {"userEmailAddress": "a@x", "scanResult": "malicious"}
            """);

        Days(metrics).ShouldBe([("2024-11-18", 2L, 2L), ("2024-11-17", 1L, 1L), ("2024-11-19", 1L, 1L), ("unknown", 1L, 1L)]);
    }

    [Fact]
    public void MapsThreatsToSeed002AttackTechniques()
    {
        var metrics = Analyze(Array(
            Entry("d", "impersonation"),
            Entry("d", "url_threat"),
            Entry("d", "attachment_threat"),
            Entry("d", "internal_threat"),
            Entry("d", "url_blocked"),
            Entry("d", "clean")));

        metrics.AttackTechniques.Select(t => (t.ThreatId, t.ThreatName, t.Count, string.Join(",", t.AlertTypes.Select(a => $"{a.Key}={a.Value}"))))
            .ShouldBe(
            [
                ("T1598.003", "Spearphishing Link", 3L, "Impersonation Attempt=1,URL Protection=2"),
                ("T1598.002", "Spearphishing Attachment", 1L, "Unsafe Email Attachment=1"),
                ("T1534", "Internal Spearphishing", 1L, "Internal Email Protect=1"),
            ]);
    }

    [Fact]
    public void CreditsInternalMimecastThreatsToTheAlertTypeOfTheirLogKind()
    {
        var metrics = Analyze(string.Join("\n", MaliciousInternalClick.ReplaceLineEndings(" "), MaliciousInternalAttachment.ReplaceLineEndings(" ")));

        metrics.InternalThreats.ShouldBe(2);
        metrics.AttackTechniques.Select(t => (t.ThreatId, t.Count)).ShouldBe([("T1598.003", 1L), ("T1598.002", 1L)]);
    }
}
