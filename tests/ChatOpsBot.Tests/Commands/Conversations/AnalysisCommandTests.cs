using System.Security.Cryptography;
using System.Text;
using ChatOpsBot.Mail.Tests.Outlook;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Support;

namespace ChatOpsBot.Tests.Commands.Conversations;

public sealed class AnalysisCommandTests : HarnessTest
{
    private static readonly string s_headerBlock = string.Join('\n',
        "Received: from relay.evil.test (relay.evil.test [203.0.113.66]) by mx.corp.test with ESMTP id 99; Tue, 9 Jan 2024 10:00:05 +0000",
        "Authentication-Results: mx.corp.test; spf=fail smtp.mailfrom=evil.test; dkim=none; dmarc=fail (p=reject) header.from=corp.test",
        "Received: from laptop (unknown [192.168.1.20]) by relay.evil.test with ESMTPSA id 1; Tue, 9 Jan 2024 10:00:00 +0000",
        "From: \"IT Helpdesk\" <helpdesk@corp.test>",
        "Reply-To: helpdesk@evil.test",
        "Subject: Your password expires today");

    protected override void Configure(Dictionary<string, string?> settings) => settings["Commands:MaxAttachmentBytes"] = "1048576";

    [Fact]
    public async Task AuditScoresAnAttachedConfiguration()
    {
        RecordingResponder replies = await Bot.SayAsync("audit", CommandHarness.Analyst, Requests.Sample("mimecast_config.json"));

        Reply card = replies.Single;
        card.Kind.ShouldBe(ReplyKind.Sent);
        card.Text.ShouldContain("75");
        card.Text.ShouldContain("URL Protect not enabled");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task AuditWithoutAFileSaysTheLiveTenantCannotBeAuditedAndAsksForTheExport()
    {
        RecordingResponder replies = await Bot.SayAsync("audit", CommandHarness.Analyst);

        Reply card = replies.Single;
        card.Kind.ShouldBe(ReplyKind.Private);
        card.Text.ShouldContain("I cannot audit the live tenant: the Mimecast API 2.0 has no route that reads the Targeted Threat Protection policies");
        card.Text.ShouldContain("Export the TTP policy configuration as JSON and send it to me with the word audit");
        card.Text.ShouldContain("audit (attach the TTP policy configuration JSON)");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }

    [Fact]
    public async Task AuditWithTwoFilesStillAsksForOne()
    {
        RecordingResponder replies = await Bot.SayAsync("audit", CommandHarness.Analyst, Requests.Sample("mimecast_config.json"), Requests.Sample("mimecast_config.json", sendAs: "copy.json"));

        replies.Single.Text.ShouldContain("Send one file at a time; this message has 2");
    }

    [Fact]
    public async Task AuditOfAPdfIsOneClearError()
    {
        RecordingResponder replies = await Bot.SayAsync("audit", CommandHarness.Analyst, Requests.File("policy.json", Encoding.ASCII.GetBytes("%PDF-1.7 ...")));

        Reply card = replies.Single;
        card.Text.ShouldContain("policy.json looks like a PDF document");
        card.Text.ShouldContain(Bot.LastAudit.CorrelationId);
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Failed);
    }

    [Fact]
    public async Task AuditOfBrokenJsonNamesTheProblem()
    {
        RecordingResponder replies = await Bot.SayAsync("audit", CommandHarness.Analyst, Requests.File("policy.json", Encoding.ASCII.GetBytes("{\"url_protect\": {\"enabled\": \"yes\"}}")));

        replies.Single.Text.ShouldContain("policy.json: ");
        replies.Single.Text.ShouldContain("url_protect.enabled");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Failed);
    }

    [Fact]
    public async Task AnOversizedFileIsRefusedBeforeDownloading()
    {
        bool opened = false;
        var huge = new ChatOpsBot.Commands.InboundFile("huge.json", "application/json", 900L * 1024 * 1024, _ =>
        {
            opened = true;
            return Task.FromResult<Stream>(new MemoryStream());
        });

        RecordingResponder replies = await Bot.SayAsync("audit", CommandHarness.Analyst, huge);

        opened.ShouldBeFalse();
        replies.Single.Text.ShouldContain("huge.json is 900 MB");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Failed);
    }

    [Fact]
    public async Task AFileLargerThanItsDeclaredSizeIsCutOffWhileReading()
    {
        byte[] content = new byte[2 * 1024 * 1024];
        content.AsSpan().Fill((byte)' ');
        content[0] = (byte)'[';

        RecordingResponder replies = await Bot.SayAsync("metrics", CommandHarness.Analyst, Requests.File("logs.json", content, declaredSize: 10));

        replies.Single.Text.ShouldContain("logs.json is larger than 1 MB");
    }

    [Fact]
    public async Task ADownloadFailureIsReportedWithoutItsDetails()
    {
        var broken = new ChatOpsBot.Commands.InboundFile("config.json", null, null, _ => throw new HttpRequestException("GET https://files.example/secret-download-token failed"));

        RecordingResponder replies = await Bot.SayAsync("audit", CommandHarness.Analyst, broken);

        replies.Single.Text.ShouldContain("I could not download config.json");
        replies.Single.Text.ShouldNotContain("secret-download-token");
    }

    [Fact]
    public async Task MetricsSummarisesAWholeExport()
    {
        RecordingResponder replies = await Bot.SayAsync("metrics", CommandHarness.Analyst, Requests.Sample("ttp_logs.json"));

        Reply card = replies.Single;
        card.Kind.ShouldBe(ReplyKind.Sent);
        card.Text.ShouldContain("threats in **6** emails");
        card.Text.ShouldContain("dave@corp.test");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task MetricsWithDaysCountsOnlyThatPeriod()
    {
        // The clock says 2026-01-20: the last 7 days hold the three records of 01-18 and 01-19.
        RecordingResponder replies = await Bot.SayAsync("metrics 7", CommandHarness.Analyst, Requests.Sample("ttp_logs.json"));

        string text = replies.Single.Text;
        text.ShouldContain("last 7 days");
        text.ShouldContain("threats in **3** emails");
        text.ShouldContain("alice@corp.test");
        text.ShouldNotContain("carol@corp.test", customMessage: "her impersonation attempt was on 2026-01-10, outside the period");
        text.ShouldNotContain("dave@corp.test");
        text.ShouldNotContain("2025-12-01");
        Bot.LastAudit.Arguments.ShouldContain("days=7");
    }

    [Fact]
    public async Task MetricsForAPeriodWithoutRecordsSaysWhereTheExportEnds()
    {
        Bot.Time.Advance(TimeSpan.FromDays(60));

        RecordingResponder replies = await Bot.SayAsync("metrics 7", CommandHarness.Analyst, Requests.Sample("ttp_logs.json"));

        replies.Single.Text.ShouldContain("newest record is from 2026-01-19");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }

    [Theory]
    [InlineData("metrics 0")]
    [InlineData("metrics 400")]
    [InlineData("metrics seven")]
    [InlineData("metrics 7 30")]
    public async Task MetricsWithWrongDaysShowsUsage(string text)
    {
        RecordingResponder replies = await Bot.SayAsync(text, CommandHarness.Analyst, Requests.Sample("ttp_logs.json"));

        replies.Single.Kind.ShouldBe(ReplyKind.Private);
        replies.Single.Text.ShouldContain("metrics [days]");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }

    [Fact]
    public async Task AnalyzeGivesTheVerdictOfAnAttachedMessage()
    {
        RecordingResponder replies = await Bot.SayAsync("analyze", CommandHarness.Reader, Requests.Sample("phish.eml"));

        Reply card = replies.Single;
        card.Kind.ShouldBe(ReplyKind.Sent);
        card.Text.ShouldContain("Malicious");
        card.Text.ShouldContain("Your password expires today");
    }

    [Fact]
    public async Task ABareMailFileIsAnalysed()
    {
        RecordingResponder replies = await Bot.SayAsync(string.Empty, CommandHarness.Reader, Requests.Sample("phish.eml", sendAs: "forwarded"));

        replies.Single.Text.ShouldContain("Malicious");
        Bot.LastAudit.Command.ShouldBe("analyze");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task AMailFileWithAQuestionIsAnalysed()
    {
        RecordingResponder replies = await Bot.SayAsync("is this phishing?", CommandHarness.Reader, Requests.Sample("phish.eml"));

        replies.Single.Text.ShouldContain("Malicious");
    }

    [Fact]
    public async Task ABarePdfIsExplained()
    {
        RecordingResponder replies = await Bot.SayAsync(string.Empty, CommandHarness.Reader, Requests.File("invoice.pdf", Encoding.ASCII.GetBytes("%PDF-1.4\n%...")));

        Reply card = replies.Single;
        card.Text.ShouldContain("I can analyse e-mail messages saved as .eml or Outlook .msg; invoice.pdf looks like a PDF document");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }

    [Fact]
    public async Task AnOutlookMsgIsAnalysedLikeTheEmlItHolds()
    {
        byte[] msg = EmlToMsg.Convert(Samples.Bytes("phish.eml"));

        RecordingResponder asMsg = await Bot.SayAsync("analyze", CommandHarness.Reader, Requests.File("reported.msg", msg));
        RecordingResponder asEml = await Bot.SayAsync("analyze", CommandHarness.Reader, Requests.Sample("phish.eml"));

        // The same card, but for the raw headers' Content-Type: the .msg's MIME is rebuilt as multipart/mixed.
        static string WithoutContentType(string text) =>
            string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("Content-Type:", StringComparison.Ordinal)));
        asMsg.Single.Text.ShouldContain("Malicious");
        asMsg.Single.Text.ShouldContain("Content-Type: multipart/mixed");
        WithoutContentType(asMsg.Single.Text).ShouldBe(WithoutContentType(asEml.Single.Text));
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task AnOutlookMsgSentUnderAnotherNameIsStillRecognised()
    {
        byte[] msg = EmlToMsg.Convert(Samples.Bytes("phish.eml"), sectorSize: 4096);

        RecordingResponder replies = await Bot.SayAsync(string.Empty, CommandHarness.Reader, Requests.File("scan0001.doc", msg));

        replies.Single.Text.ShouldContain("Malicious");
    }

    [Fact]
    public async Task ADamagedMsgSaysWhyItCannotBeRead()
    {
        byte[] msg = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];

        RecordingResponder replies = await Bot.SayAsync("analyze", CommandHarness.Reader, Requests.File("reported.msg", msg));

        replies.Single.Text.ShouldContain("That .msg file could not be read");
        replies.Single.Text.ShouldContain("truncated");
        replies.Single.Text.ShouldContain("Forward as attachment");
    }

    [Fact]
    public async Task AnOfficeDocumentIsExplainedNotAnalysed()
    {
        byte[] document = CfbWriter.Build(CfbNode.Storage("Root Entry", CfbNode.Stream("WordDocument", new byte[5000])));

        RecordingResponder replies = await Bot.SayAsync(string.Empty, CommandHarness.Reader, Requests.File("invoice.doc", document));

        replies.Single.Text.ShouldContain("invoice.doc looks like an Office document");
    }

    [Fact]
    public async Task ABareJsonFileHintsAtAuditForAnalysts()
    {
        RecordingResponder replies = await Bot.SayAsync(string.Empty, CommandHarness.Analyst, Requests.Sample("mimecast_config.json"));

        replies.Single.Text.ShouldContain("with the word audit");
    }

    [Fact]
    public async Task AnalyzeTakesOneFileAtATime()
    {
        RecordingResponder replies = await Bot.SayAsync("analyze", CommandHarness.Reader, Requests.Sample("phish.eml"), Requests.Sample("phish.eml", "second.eml"));

        replies.Single.Kind.ShouldBe(ReplyKind.Private);
        replies.Single.Text.ShouldContain("Send one file at a time");
    }

    [Fact]
    public async Task HeadersAnalysesAFencedBlock()
    {
        RecordingResponder replies = await Bot.SayAsync($"headers\n```\n{s_headerBlock}\n```", CommandHarness.Analyst);

        Reply card = replies.Single;
        card.Kind.ShouldBe(ReplyKind.Sent);
        card.Text.ShouldContain("Received hops (2");
        card.Text.ShouldContain("DMARC\n**fail**");
        card.Text.ShouldContain("203.0.113.66");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task HeadersAreAuditedAsSizeAndHashNeverVerbatim()
    {
        string block = s_headerBlock;
        await Bot.SayAsync($"headers {block}", CommandHarness.Analyst);

        string expectedHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(block)));
        AuditEntry entry = Bot.LastAudit;
        entry.Arguments.ShouldContain($"headers=<{block.Length} chars, sha256 {expectedHash}>");
        entry.Arguments.ShouldNotContain("relay.evil.test");
    }

    [Theory]
    [InlineData("headers")]
    [InlineData("headers ```\n```")]
    [InlineData("headers please check this mail")]
    public async Task HeadersWithoutAHeaderBlockShowsUsage(string text)
    {
        RecordingResponder replies = await Bot.SayAsync(text, CommandHarness.Analyst);

        replies.Single.Kind.ShouldBe(ReplyKind.Private);
        replies.Single.Text.ShouldContain("headers <pasted header block>");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }
}
