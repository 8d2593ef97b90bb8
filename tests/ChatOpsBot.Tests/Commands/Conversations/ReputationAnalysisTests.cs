using System.Security.Cryptography;
using System.Text;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Support;

namespace ChatOpsBot.Tests.Commands.Conversations;

/// <summary>The verdict card of a forwarded message with VirusTotal reputation, against the fake VirusTotal on 127.0.0.1.</summary>
public sealed class ReputationAnalysisTests : IAsyncLifetime
{
    private static readonly byte[] s_attachment = Encoding.ASCII.GetBytes("%PDF-1.4\n% an invoice that VirusTotal knows as malware\n%%EOF\n");
    private static readonly string s_sha256 = Convert.ToHexStringLower(SHA256.HashData(s_attachment));

    private FakeVirusTotalServer _virusTotal = null!;
    private CommandHarness _bot = null!;

    public async Task InitializeAsync()
    {
        _virusTotal = await FakeVirusTotalServer.StartAsync();
        _bot = await CommandHarness.StartAsync(settings => settings.UseVirusTotal(_virusTotal));
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _virusTotal.DisposeAsync();
    }

    [Fact]
    public async Task AMaliciousAttachmentHashRaisesTheVerdictAndTheCardShowsTheEngines()
    {
        _virusTotal.AddFile(s_sha256, malicious: 41, undetected: 29);
        Verdict alone = EmailAnalyzer.Analyze(Message()).Verdict;

        RecordingResponder replies = await _bot.SayAsync("analyze", CommandHarness.Reader, Mail());

        alone.ShouldNotBe(Verdict.Malicious, "the message alone must not already be malicious, or this proves nothing");
        string text = replies.Cards[^1].Text;
        text.ShouldContain("MALICIOUS · score");
        text.ShouldContain("41/70 engines malicious");
        text.ShouldContain("SHA-256 " + s_sha256);
        text.ShouldContain("The attachment invoice.pdf is known to VirusTotal as malicious");
        text.ShouldContain("Verdict includes VirusTotal reputation lookups");
        _virusTotal.Requests.ShouldHaveSingleItem().Path.ShouldBe("/api/v3/files/" + s_sha256);
        _bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task ASlowVirusTotalIsUnavailableAtTheDeadlineAndTheVerdictStandsOnTheMessage()
    {
        _virusTotal.AddFile(s_sha256, malicious: 41);
        _virusTotal.EnqueueFault(FakeFault.Slow(TimeSpan.FromSeconds(8)));
        Verdict alone = EmailAnalyzer.Analyze(Message()).Verdict;
        int score = EmailAnalyzer.Analyze(Message()).Score;
        var replies = new RecordingResponder();
        int before = _bot.Audit.Attempts;

        (await _bot.Gateway.SubmitAsync(Requests.Message("analyze", CommandHarness.Reader, [Mail()]), replies, CancellationToken.None))
            .ShouldBe(ChatOpsBot.Commands.SubmitResult.Accepted);
        await WaitForAsync(() => _virusTotal.InFlight == 1);
        // VirusTotal is still answering; the analysis' deadline (10 s on the bot's clock) passes.
        _bot.Time.Advance(TimeSpan.FromSeconds(11));
        await _bot.Audit.WaitForCountAsync(before + 1);

        string text = replies.Cards[^1].Text;
        text.ShouldContain("unavailable: no answer before the deadline");
        text.ShouldContain($"{Label(alone)} · score {score}/100");
        text.ShouldContain("Reputation lookups were unavailable: the verdict uses only the message itself");
        text.ShouldNotContain("engines malicious");
        text.ShouldNotContain("harmless");
    }

    [Fact]
    public async Task AnExhaustedQuotaIsShownAsSuchNeverAsClean()
    {
        _virusTotal.AddFile(s_sha256, malicious: 0, harmless: 60);
        _virusTotal.EnqueueFault(FakeFault.VirusTotalQuotaExceeded());
        EmailReport alone = EmailAnalyzer.Analyze(Message());

        RecordingResponder replies = await _bot.SayAsync("analyze", CommandHarness.Reader, Mail());

        string text = replies.Cards[^1].Text;
        text.ShouldContain("quota exhausted: VirusTotal answered 429 QuotaExceededError");
        text.ShouldContain($"{Label(alone.Verdict)} · score {alone.Score}/100");
        text.ShouldContain("Reputation unavailable for 1 of 1 indicators (the lookup quota is exhausted)");
        text.ShouldNotContain("harmless");
        text.ShouldNotContain("0/120 engines");
    }

    [Fact]
    public async Task AHarmlessAnswerNeverLowersTheVerdict()
    {
        _virusTotal.AddFile(s_sha256, malicious: 0, harmless: 60);
        EmailReport alone = EmailAnalyzer.Analyze(Message());

        RecordingResponder replies = await _bot.SayAsync("analyze", CommandHarness.Reader, Mail());

        string text = replies.Cards[^1].Text;
        text.ShouldContain("0/120 engines malicious");
        text.ShouldContain($"{Label(alone.Verdict)} · score {alone.Score}/100");
    }

    internal static byte[] Message() => Encoding.ASCII.GetBytes(string.Join("\r\n",
        "From: \"Accounts\" <accounts@vendor.example>",
        "To: dana@corp.example",
        "Subject: Invoice 4471",
        "Date: Tue, 20 Jan 2026 09:14:00 +0000",
        "Message-ID: <4471@vendor.example>",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"b1\"",
        "",
        "--b1",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "Please find the invoice attached.",
        "--b1",
        "Content-Type: application/pdf; name=\"invoice.pdf\"",
        "Content-Disposition: attachment; filename=\"invoice.pdf\"",
        "Content-Transfer-Encoding: base64",
        "",
        Convert.ToBase64String(s_attachment),
        "--b1--",
        ""));

    // The verdict card's banner words.
    private static string Label(Verdict verdict) => verdict switch
    {
        Verdict.Malicious => "MALICIOUS",
        Verdict.Suspicious => "SUSPICIOUS",
        Verdict.Clean => "NO THREAT FOUND",
        _ => "NOT ENOUGH EVIDENCE",
    };

    private static ChatOpsBot.Commands.InboundFile Mail() => Requests.File("invoice-4471.eml", Message(), "message/rfc822");

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}

/// <summary>VirusTotal configured but <c>VirusTotal:LookupsEnabled</c> false: nothing leaves the bot.</summary>
public sealed class ReputationLookupsOffTests : IAsyncLifetime
{
    private FakeVirusTotalServer _virusTotal = null!;
    private CommandHarness _bot = null!;

    public async Task InitializeAsync()
    {
        _virusTotal = await FakeVirusTotalServer.StartAsync();
        _bot = await CommandHarness.StartAsync(settings =>
        {
            settings.UseVirusTotal(_virusTotal);
            settings["VirusTotal:LookupsEnabled"] = "false";
        });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _virusTotal.DisposeAsync();
    }

    [Fact]
    public async Task NoLookupIsMade()
    {
        RecordingResponder replies = await _bot.SayAsync("analyze", CommandHarness.Reader, Requests.File("m.eml", ReputationAnalysisTests.Message()));

        replies.Cards[^1].Text.ShouldContain("Verdict uses only the message itself (no external lookups)");
        _virusTotal.Requests.ShouldBeEmpty();
    }
}

/// <summary>A message whose links Mimecast rewrote: with Mimecast configured they are decoded first, and the reputation
/// is that of where they lead.</summary>
public sealed class MimecastLinkReputationTests : IAsyncLifetime
{
    private const string Rewritten = "https://protect-eu.mimecast.com/s/Q1w2E3r4T5?domain=payroll-update.example";
    private const string Original = "https://payroll-update.example/login";

    private FakeVirusTotalServer _virusTotal = null!;
    private FakeMimecastServer _mimecast = null!;
    private CommandHarness _bot = null!;

    public async Task InitializeAsync()
    {
        _virusTotal = await FakeVirusTotalServer.StartAsync();
        _mimecast = await FakeMimecastServer.StartAsync();
        _bot = await CommandHarness.StartAsync(settings =>
        {
            settings.UseVirusTotal(_virusTotal);
            settings.UseMimecast(_mimecast);
        });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _virusTotal.DisposeAsync();
        await _mimecast.DisposeAsync();
    }

    [Fact]
    public async Task ARewrittenLinkIsLookedUpByWhereItLeads()
    {
        _mimecast.RewrittenUrls[Rewritten] = Original;
        _virusTotal.AddUrl(Original, malicious: 12, harmless: 70, undetected: 8);

        RecordingResponder replies = await _bot.SayAsync("analyze", CommandHarness.Reader, Requests.File("payroll.eml", Message()));

        string text = replies.Cards[^1].Text;
        text.ShouldContain("12/90 engines malicious");
        text.ShouldContain(Original);
        text.ShouldContain("MALICIOUS · score");
        _mimecast.RequestsTo("/api/ttp/url/decode-url").ShouldHaveSingleItem();
        _virusTotal.Requests.ShouldHaveSingleItem().Path.ShouldBe("/api/v3/urls/" + FakeVirusTotalServer.UrlId(Original));
    }

    [Fact]
    public async Task WhenMimecastCannotDecodeTheLinkItIsNotSentToVirusTotal()
    {
        _mimecast.EnqueueFault("/api/ttp/url/decode-url", FakeFault.MimecastForbidden());

        RecordingResponder replies = await _bot.SayAsync("analyze", CommandHarness.Reader, Requests.File("payroll.eml", Message()));

        replies.Cards[^1].Text.ShouldContain("Verdict uses only the message itself (no external lookups)");
        _virusTotal.Requests.ShouldBeEmpty();
        _bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    private static byte[] Message() => Encoding.ASCII.GetBytes(string.Join("\r\n",
        "From: \"Payroll\" <payroll@corp-hr.example>",
        "To: dana@corp.example",
        "Subject: Update your bank details",
        "Date: Tue, 20 Jan 2026 09:14:00 +0000",
        "MIME-Version: 1.0",
        "Content-Type: text/html; charset=us-ascii",
        "",
        $"<p>Please <a href=\"{Rewritten}\">update your details</a> today.</p>",
        ""));
}
