using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatOpsBot.Integrations.Tests.Fakes;

namespace ChatOpsBot.Cli.Tests.AnalyzeEmail;

/// <summary><c>analyze-email</c> with VirusTotal settings, against the fake VirusTotal on 127.0.0.1.</summary>
public sealed class AnalyzeEmailLookupTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] s_attachment = Encoding.ASCII.GetBytes("%PDF-1.4\n% dropper\n%%EOF\n");
    private static readonly string s_sha256 = Convert.ToHexStringLower(SHA256.HashData(s_attachment));

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatops-lookups-" + Guid.NewGuid().ToString("N"));
    private FakeVirusTotalServer _virusTotal = null!;

    public async Task InitializeAsync() => _virusTotal = await FakeVirusTotalServer.StartAsync();

    public async Task DisposeAsync() => await _virusTotal.DisposeAsync();

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task TheTextReportShowsEachIndicatorsReputationAndTheRaisedVerdict()
    {
        _virusTotal.AddFile(s_sha256, malicious: 41, undetected: 29);

        (int exit, string output, string error) = await Run(Settings(), "analyze-email", "--file", Message());

        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        output.ShouldStartWith("Verdict: MALICIOUS");
        output.ShouldContain("Lookups: VirusTotal reputation of hashes, URLs and sending IPs");
        output.ShouldContain("Reputation (VirusTotal): 1");
        output.ShouldContain("MALICIOUS        41/70 engines malicious");
        output.ShouldContain($"sha256 {s_sha256}  [attachment invoice.pdf]");
        output.ShouldContain("reputation_malicious_attachment");
        _virusTotal.Requests.ShouldHaveSingleItem().Path.ShouldBe("/api/v3/files/" + s_sha256);
    }

    [Fact]
    public async Task TheJsonAndHtmlReportsCarryTheReputation()
    {
        _virusTotal.AddFile(s_sha256, malicious: 41, undetected: 29);
        string file = Message();

        (_, string json, _) = await Run(Settings(), "analyze-email", "--file", file, "--json");
        (_, string html, _) = await Run(Settings(), "analyze-email", "--file", file, "--format", "html");

        using JsonDocument report = JsonDocument.Parse(json);
        report.RootElement.GetProperty("lookups_performed").GetBoolean().ShouldBeTrue();
        JsonElement answer = report.RootElement.GetProperty("reputation")[0];
        answer.GetProperty("verdict").GetString().ShouldBe("malicious");
        answer.GetProperty("summary").GetString().ShouldBe("41/70 engines malicious");
        answer.GetProperty("indicator").GetProperty("kind").GetString().ShouldBe("file_hash");
        html.ShouldContain("<h2>Reputation (VirusTotal)</h2>");
        html.ShouldContain("41/70 engines malicious");
        _virusTotal.Requests.Count.ShouldBe(2, "no cache outlives one run of the CLI");
    }

    [Fact]
    public async Task AnExhaustedQuotaIsPrintedAsSuch()
    {
        _virusTotal.AddFile(s_sha256, malicious: 0, harmless: 70);
        _virusTotal.EnqueueFault(FakeFault.VirusTotalQuotaExceeded());

        (int exit, string output, _) = await Run(Settings(), "analyze-email", "--file", Message());

        exit.ShouldBe(0);
        output.ShouldContain("quota exhausted  quota exhausted: VirusTotal answered 429 QuotaExceededError");
        output.ShouldContain("Lookups: VirusTotal was unavailable; the verdict uses only the message itself");
        output.ShouldNotContain("harmless");
    }

    [Fact]
    public async Task NoLookupsSendsNothing()
    {
        (int exit, string output, _) = await Run(Settings(), "analyze-email", "--file", Message(), "--no-lookups");

        exit.ShouldBe(0);
        output.ShouldContain("Lookups: off (--no-lookups)");
        _virusTotal.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task LookupsDisabledInTheSettingsSendNothing()
    {
        Dictionary<string, string?> settings = Settings();
        settings["VirusTotal:LookupsEnabled"] = "false";

        (int exit, _, _) = await Run(settings, "analyze-email", "--file", Message());

        exit.ShouldBe(0);
        _virusTotal.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnInvalidSettingIsOneErrorLineNamingTheKey()
    {
        Dictionary<string, string?> settings = Settings();
        settings["VirusTotal:AnalysisDeadline"] = "00:00:00";

        (int exit, string output, string error) = await Run(settings, "analyze-email", "--file", Message());

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldStartWith("chatops: error: VirusTotal settings: VirusTotal:AnalysisDeadline must be between");
        error.ShouldNotContain(FakeVirusTotalServer.ApiKey);
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["VirusTotal:ApiKey"] = FakeVirusTotalServer.ApiKey,
        ["VirusTotal:BaseUrl"] = _virusTotal.BaseUrl.ToString(),
        ["VirusTotal:AllowHttpOnLoopbackForTesting"] = "true",
        ["VirusTotal:RequestsPerMinute"] = "1000",
    };

    private string Message()
    {
        Directory.CreateDirectory(_folder);
        string path = Path.Combine(_folder, "invoice.eml");
        File.WriteAllText(path, string.Join("\r\n",
            "From: \"Accounts\" <accounts@vendor.example>",
            "To: dana@corp.example",
            "Subject: Invoice 4471",
            "Date: Tue, 20 Jan 2026 09:14:00 +0000",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"b1\"",
            "",
            "--b1",
            "Content-Type: text/plain",
            "",
            "Invoice attached.",
            "--b1",
            "Content-Type: application/pdf; name=\"invoice.pdf\"",
            "Content-Disposition: attachment; filename=\"invoice.pdf\"",
            "Content-Transfer-Encoding: base64",
            "",
            Convert.ToBase64String(s_attachment),
            "--b1--",
            ""));
        return path;
    }

    private static async Task<(int Exit, string Out, string Err)> Run(Dictionary<string, string?> settings, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await ChatOpsCli.RunAsync(args, output, error, () => settings);
        return (exit, output.ToString(), error.ToString());
    }
}
