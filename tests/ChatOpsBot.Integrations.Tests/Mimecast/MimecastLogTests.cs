using System.Text.Json.Nodes;
using ChatOpsBot.Integrations.Mimecast;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Integrations.Tests.Support;

namespace ChatOpsBot.Integrations.Tests.Mimecast;

public sealed class MimecastLogTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_sampleFrom = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_sampleTo = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private FakeMimecastServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeMimecastServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task ClickLogsMapEveryFieldOfTheRecordedSample()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        MimecastLogResult<MimecastClickLog> logs = await host.Mimecast.GetUrlLogsAsync(
            new MimecastUrlLogQuery(s_sampleFrom, s_sampleTo, OldestFirst: false), CancellationToken.None);

        logs.Records.Count.ShouldBe(_fake.ClickLogs.Count);
        MimecastClickLog first = logs.Records[0];
        first.Date.ShouldBe(new DateTimeOffset(2024, 11, 17, 17, 2, 30, TimeSpan.Zero));
        first.Url.ShouldBe("http://www.enron.com/corp/pressroom/releases/2002/ene/012902Release.html");
        first.UserEmailAddress.ShouldBe("dl-ga-all_enron_worldwide1@demo-int.elastic.mime-api.com");
        first.FromUserEmailAddress.ShouldBe("coo.jeff@demo-int.elastic.mime-api.com");
        first.Subject.ShouldBe("Management Changes");
        first.Action.ShouldBe("warn");
        first.Actions.ShouldBe("None");
        first.ScanResult.ShouldBe("malicious");
        first.Category.ShouldBe("Compromised");
        first.TtpDefinition.ShouldBe("Default Internal URL Protect Definition");
        first.CreationMethod.ShouldBe("Entry Scan");
        first.Route.ShouldBe("internal");
        first.AdminOverride.ShouldBe("N/A");
        first.UserOverride.ShouldBe("None");
        first.UserAwarenessAction.ShouldBe("N/A");
        first.SendingIp.ShouldBe("Internal IP");
        first.MessageId.ShouldBe("<871dda3d6bf5107e-360815@hapi.b41.one>");
        first.EmailPartsDescription.ShouldBe(["Body"]);
        first.TagMap["UrlReputationScan"]["Status"].ShouldBe(["CustomerAll", "VerdictBlock"]);
        first.IsAllowedUserClick.ShouldBeFalse();
        logs.Truncated.ShouldBeFalse();
        logs.SkippedRecords.ShouldBe(0);
    }

    [Fact]
    public async Task AttachmentAndImpersonationLogsMapTheRecordedSamples()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        MimecastLogResult<MimecastAttachmentLog> attachments = await host.Mimecast.GetAttachmentLogsAsync(
            new MimecastAttachmentLogQuery(s_sampleFrom, s_sampleTo, Result: MimecastAttachmentResult.Malicious), CancellationToken.None);
        MimecastLogResult<MimecastImpersonationLog> impersonation = await host.Mimecast.GetImpersonationLogsAsync(
            new MimecastImpersonationLogQuery(s_sampleFrom, s_sampleTo, TaggedMalicious: true), CancellationToken.None);

        MimecastAttachmentLog sandbox = attachments.Records.ShouldHaveSingleItem();
        sandbox.FileName.ShouldBe("Sandbox Test.xlsx");
        sandbox.FileHash.ShouldBe("168dde02cf41aed3bf31ad831b75d8ee0b738304baa6957c40e29b2487f15116");
        sandbox.Result.ShouldBe("malicious");
        sandbox.Definition.ShouldBe("Default Internal Attachment Protect Definition");
        sandbox.Date.ShouldBe(new DateTimeOffset(2024, 11, 17, 0, 52, 30, TimeSpan.Zero));
        sandbox.Details.ShouldNotBeNull().ShouldStartWith("Malicious");

        impersonation.Records.Count.ShouldBe(_fake.ImpersonationLogs.Count);
        MimecastImpersonationLog hit = impersonation.Records[0];
        hit.EventTime.ShouldBe(new DateTimeOffset(2021, 11, 12, 15, 30, 15, TimeSpan.Zero));
        hit.Identifiers.ShouldBe(["internal_user_name"]);
        hit.TaggedMalicious.ShouldBe(true);
        hit.Hits.ShouldBe(1);
        hit.ImpersonationResults[0].StringSimilarToDomain.ShouldBe("John Doe");

        JsonNode attachmentRequest = JsonNode.Parse(_fake.RequestsTo("/api/ttp/attachment/get-logs")[0].Body)!;
        attachmentRequest["data"]![0]!["result"]!.GetValue<string>().ShouldBe("malicious");
        JsonNode impersonationRequest = JsonNode.Parse(_fake.RequestsTo("/api/ttp/impersonation/get-logs")[0].Body)!;
        impersonationRequest["data"]![0]!["taggedMalicious"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task ThirtyDaysAcrossFiftyPagesAreCollectedCompletely()
    {
        var to = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset from = to.AddDays(-30);
        _fake.ClickLogs = FakeMimecastServer.SyntheticClickLogs(5000, from, to);
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake, s => s["Mimecast:PageSize"] = "100");

        MimecastLogResult<MimecastClickLog> logs = await host.Mimecast.GetUrlLogsAsync(new MimecastUrlLogQuery(from, to), CancellationToken.None);

        logs.Records.Count.ShouldBe(5000);
        logs.Records.Select(r => r.Url).Distinct().Count().ShouldBe(5000);
        logs.Records.ShouldAllBe(r => r.Date >= from && r.Date < to);
        logs.Truncated.ShouldBeFalse();
        logs.PagesRead.ShouldBe(51);
        IReadOnlyList<FakeRequest> requests = _fake.RequestsTo("/api/ttp/url/get-logs");
        requests.Count.ShouldBe(51);

        JsonNode second = JsonNode.Parse(requests[1].Body)!;
        second["meta"]!["pagination"]!["pageToken"]!.GetValue<string>().ShouldBe("o100");
        second["meta"]!["pagination"]!["pageSize"]!.GetValue<int>().ShouldBe(100);
        second["data"]![0]!["from"]!.GetValue<string>().ShouldBe("2026-10-02T00:00:00+0000");
        second["data"]![0]!["to"]!.GetValue<string>().ShouldBe("2026-11-01T00:00:00+0000");
        second["data"]![0]!["route"]!.GetValue<string>().ShouldBe("all");
        second["data"]![0]!["scanResult"]!.GetValue<string>().ShouldBe("all");
        JsonNode.Parse(requests[0].Body)!["meta"]!["pagination"]!["pageToken"].ShouldBeNull();
    }

    [Fact]
    public async Task AnEmptyPageEndsTheWalkEvenWhenItCarriesNext()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake, s => s["Mimecast:PageSize"] = "2");

        MimecastLogResult<MimecastImpersonationLog> logs = await host.Mimecast.GetImpersonationLogsAsync(
            new MimecastImpersonationLogQuery(s_sampleFrom, s_sampleTo), CancellationToken.None);

        logs.Records.Count.ShouldBe(_fake.ImpersonationLogs.Count);
        int pagesWithRecords = (_fake.ImpersonationLogs.Count + 1) / 2;
        _fake.RequestsTo("/api/ttp/impersonation/get-logs").Count.ShouldBe(pagesWithRecords + 1);
        logs.Truncated.ShouldBeFalse();
    }

    [Fact]
    public async Task WithoutNextTheLastFullPageEndsTheWalk()
    {
        _fake.EmptyLastPageCarriesNext = false;
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake, s => s["Mimecast:PageSize"] = "2");

        MimecastLogResult<MimecastAttachmentLog> logs = await host.Mimecast.GetAttachmentLogsAsync(
            new MimecastAttachmentLogQuery(s_sampleFrom, s_sampleTo), CancellationToken.None);

        logs.Records.Count.ShouldBe(4);
        _fake.RequestsTo("/api/ttp/attachment/get-logs").Count.ShouldBe(2);
    }

    [Fact]
    public async Task ThePageCapStopsTheWalkLogsItAndMarksTheResultTruncated()
    {
        var to = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        _fake.ClickLogs = FakeMimecastServer.SyntheticClickLogs(1000, to.AddDays(-1), to);
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake, s =>
        {
            s["Mimecast:PageSize"] = "100";
            s["Mimecast:MaxPages"] = "3";
        });

        MimecastLogResult<MimecastClickLog> logs = await host.Mimecast.GetUrlLogsAsync(
            new MimecastUrlLogQuery(to.AddDays(-1), to), CancellationToken.None);

        logs.Truncated.ShouldBeTrue();
        logs.PagesRead.ShouldBe(3);
        logs.Records.Count.ShouldBe(300);
        _fake.RequestsTo("/api/ttp/url/get-logs").Count.ShouldBe(3);
        host.Logs.Entries.ShouldContain(e => e.Text.Contains("page cap of 3 pages", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecordsWithoutRequiredFieldsAreCountedNotSilentlyDropped()
    {
        JsonObject noDate = _fake.ClickLogs[0].DeepClone().AsObject();
        noDate.Remove("date");
        JsonObject badDate = _fake.ClickLogs[0].DeepClone().AsObject();
        badDate["date"] = "yesterday";
        JsonObject urlNotString = _fake.ClickLogs[0].DeepClone().AsObject();
        urlNotString["url"] = 42;
        _fake.ClickLogs.AddRange([noDate, badDate, urlNotString]);
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        MimecastLogResult<MimecastClickLog> logs = await host.Mimecast.GetUrlLogsAsync(
            new MimecastUrlLogQuery(s_sampleFrom, s_sampleTo), CancellationToken.None);

        logs.Records.Count.ShouldBe(_fake.ClickLogs.Count - 3);
        logs.SkippedRecords.ShouldBe(3);
        host.Logs.Entries.ShouldContain(e => e.Text.Contains("skipped 3 records", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APeriodThatEndsBeforeItStartsIsRefusedBeforeAnyRequest()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        await Should.ThrowAsync<ArgumentException>(
            () => host.Mimecast.GetUrlLogsAsync(new MimecastUrlLogQuery(s_sampleTo, s_sampleFrom), CancellationToken.None));

        _fake.Requests.ShouldBeEmpty();
    }
}
