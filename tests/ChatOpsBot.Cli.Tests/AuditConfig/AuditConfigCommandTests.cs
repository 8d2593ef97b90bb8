using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsBot.Analysis.PolicyAudit;

namespace ChatOpsBot.Cli.Tests.AuditConfig;

public sealed class AuditConfigCommandTests : IDisposable
{
    private const string PartialConfig = """
        {
          "url_protect": {"enabled": true, "rewriting": false, "predelivery_hold": false},
          "attachment_protect": {"enabled": true, "sandbox_mode": "safe_file"},
          "impersonation_protect": {"enabled": true, "vip_list": ["vip0@corp.example", "vip1@corp.example"]},
          "internal_email_protect": {"enabled": true}
        }
        """;

    private const string FullConfig = """
        {
          "url_protect": {"enabled": true, "rewriting": true, "predelivery_hold": true},
          "attachment_protect": {"enabled": true, "sandbox_mode": "dynamic"},
          "impersonation_protect": {"enabled": true, "vip_list": [1, 2, 3, 4, 5]},
          "internal_email_protect": {"enabled": true}
        }
        """;

    private static readonly string[] s_seedFields =
    [
        "url_protect_enabled", "url_rewriting", "url_predelivery_hold", "attachment_protect_enabled", "attachment_sandbox_mode",
        "impersonation_protect_enabled", "impersonation_vip_count", "internal_email_protect", "findings", "score", "max_score",
    ];

    private readonly AuditConfigCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task TextOutputIsTheSeedReportFollowedByRemediationPerFinding()
    {
        string path = _cli.WriteConfig(PartialConfig);

        CliRun run = await AuditConfigCli.RunAsync("audit-config", "--config-file", path);

        run.ExitCode.ShouldBe(0);
        run.Stderr.ShouldBeEmpty();
        const string seedReport = """
            TTP Configuration Score: 73/100
            URL Protect: Enabled
            Attachment Protect: Enabled
            Impersonation Protect: Enabled
            Internal Email Protect: Enabled

            Findings (4):
              1. URL rewriting not enabled - URLs not protected at click time
              2. URL Pre-Delivery Hold not enabled - Mimecast recommends Hold setting (default since Nov 2025)
              3. Attachment Protect in Safe File mode - consider Dynamic for full sandbox
              4. Only 2 VIPs configured - recommend adding all executives and finance leadership

            """;
        run.Stdout.ShouldStartWith(seedReport.ReplaceLineEndings(Environment.NewLine));

        string afterSeedReport = run.Stdout[seedReport.Length..];
        afterSeedReport.ShouldStartWith(Environment.NewLine + "Remediation:" + Environment.NewLine);
        string[] extra = afterSeedReport[Environment.NewLine.Length..].Split(Environment.NewLine);
        using JsonDocument config = JsonDocument.Parse(PartialConfig);
        IReadOnlyList<PolicyFinding> details = TtpPolicyAuditor.Audit(config.RootElement).FindingDetails;
        extra[1..^1].ShouldBe(details.Select((f, i) => $"  {i + 1}. [{f.Severity.ToString().ToLowerInvariant()}] {f.Remediation}"));
        extra[^1].ShouldBeEmpty();
        extra[1].ShouldStartWith("  1. [high] ");
        extra[3].ShouldStartWith("  3. [low] ");
    }

    [Fact]
    public async Task TextOutputIsOnlyTheFiveSeedLinesGivenNoFindings()
    {
        string path = _cli.WriteConfig(FullConfig);

        CliRun run = await AuditConfigCli.RunAsync("audit-config", "--config-file", path);

        run.ExitCode.ShouldBe(0);
        run.Stdout.ShouldBe(
            """
            TTP Configuration Score: 100/100
            URL Protect: Enabled
            Attachment Protect: Enabled
            Impersonation Protect: Enabled
            Internal Email Protect: Enabled

            """.ReplaceLineEndings(Environment.NewLine));
    }

    [Fact]
    public async Task TextOutputShowsDisabledForMissingAndNullFlags()
    {
        string path = _cli.WriteConfig("""{"url_protect": {"enabled": null}, "internal_email_protect": {"enabled": true}}""");

        CliRun run = await AuditConfigCli.RunAsync("audit-config", "--config-file", path);

        string[] lines = run.Stdout.Split(Environment.NewLine);
        lines[..8].ShouldBe(
        [
            "TTP Configuration Score: 25/100",
            "URL Protect: DISABLED",
            "Attachment Protect: DISABLED",
            "Impersonation Protect: DISABLED",
            "Internal Email Protect: Enabled",
            string.Empty,
            "Findings (3):",
            "  1. CRITICAL: URL Protect not enabled",
        ]);
    }

    [Theory]
    [InlineData("--json", "audit-config", "--config-file", "{0}")]
    [InlineData("audit-config", "--config-file", "{0}", "--json")]
    [InlineData("audit-config", "--json", "--config-file", "{0}")]
    public async Task JsonOutputHasTheSeedFieldsFirstWherePlacedOnTheCommandLine(params string[] template)
    {
        string path = _cli.WriteConfig(PartialConfig);

        CliRun run = await AuditConfigCli.RunAsync([.. template.Select(a => a.Replace("{0}", path, StringComparison.Ordinal))]);

        run.ExitCode.ShouldBe(0);
        run.Stderr.ShouldBeEmpty();
        JsonObject json = JsonNode.Parse(run.Stdout)!.AsObject();
        json.Select(p => p.Key).Take(s_seedFields.Length).ShouldBe(s_seedFields);
        json["score"]!.GetValue<int>().ShouldBe(73);
        json["attachment_sandbox_mode"]!.GetValue<string>().ShouldBe("safe_file");
        json["findings"]!.AsArray().Count.ShouldBe(4);
        json["finding_details"]!.AsArray().Count.ShouldBe(4);
        run.Stdout.ShouldEndWith("}" + Environment.NewLine);
        run.Stdout.ShouldContain(Environment.NewLine + "  \"url_protect_enabled\": true,");
    }

    [Fact]
    public async Task JsonOutputPrintsNullForANullFlagLikeTheSeed()
    {
        string path = _cli.WriteConfig("""{"url_protect": {"enabled": null}, "attachment_protect": {"enabled": true, "sandbox_mode": null}}""");

        CliRun run = await AuditConfigCli.RunAsync("audit-config", "--config-file", path, "--json");

        JsonObject json = JsonNode.Parse(run.Stdout)!.AsObject();
        json.ContainsKey("url_protect_enabled").ShouldBeTrue();
        json["url_protect_enabled"].ShouldBeNull();
        json["attachment_sandbox_mode"].ShouldBeNull();
        json["score"]!.GetValue<int>().ShouldBe(10);
    }

    [Theory]
    [InlineData("[]", "the policy configuration must be a JSON object")]
    [InlineData("null", "the policy configuration must be a JSON object")]
    [InlineData("""{"url_protect": null}""", "url_protect must be an object, got null")]
    [InlineData("""{"attachment_protect": ["dynamic"]}""", "attachment_protect must be an object, got a list")]
    [InlineData("""{"url_protect": {"enabled": "true"}}""", "url_protect.enabled must be true or false, got the string \"true\"")]
    [InlineData("""{"internal_email_protect": {"enabled": 1}}""", "internal_email_protect.enabled must be true or false, got the number 1")]
    [InlineData("""{"attachment_protect": {"enabled": true, "sandbox_mode": 2}}""", "attachment_protect.sandbox_mode must be a string")]
    [InlineData("""{"impersonation_protect": {"enabled": true, "vip_list": "ceo"}}""", "impersonation_protect.vip_list must be a list, got the string \"ceo\"")]
    [InlineData("""{"impersonation_protect": {"vip_list": null}}""", "impersonation_protect.vip_list must be a list, got null")]
    [InlineData("", "invalid JSON")]
    [InlineData("{\"url_protect\": {\"enabled\": tru}}", "invalid JSON at line 1")]
    [InlineData("{\"url_protect\": {}} trailing", "invalid JSON at line 1")]
    public async Task BadConfigIsOneStderrLineNamingTheFileAndExitTwo(string content, string expectedProblem)
    {
        string path = _cli.WriteConfig(content);

        foreach (string[] args in new[] { new[] { "audit-config", "--config-file", path }, ["--json", "audit-config", "--config-file", path] })
        {
            CliRun run = await AuditConfigCli.RunAsync(args);

            ShouldBeOneErrorLine(run, $"chatops: error: {path}: ");
            run.Stderr.ShouldContain(expectedProblem);
        }
    }

    [Fact]
    public async Task MissingFileIsOneStderrLineAndExitTwo()
    {
        string path = Path.Combine(_cli.Subdirectory("empty"), "absent.json");

        CliRun run = await AuditConfigCli.RunAsync("audit-config", "--config-file", path);

        ShouldBeOneErrorLine(run, $"chatops: error: {path}: no such file");
    }

    [Fact]
    public async Task DirectoryGivenAsConfigFileIsOneStderrLineAndExitTwo()
    {
        string path = _cli.Subdirectory("a-directory");

        CliRun run = await AuditConfigCli.RunAsync("audit-config", "--config-file", path);

        ShouldBeOneErrorLine(run, $"chatops: error: {path}: is a directory");
    }

    [Fact]
    public async Task MissingConfigFileOptionIsOneStderrLineAndExitTwo()
    {
        CliRun run = await AuditConfigCli.RunAsync("audit-config");

        ShouldBeOneErrorLine(run, "chatops: error: ");
        run.Stderr.ShouldContain("--config-file");
    }

    [Fact]
    public async Task HelpDescribesTheCommandAndItsOptions()
    {
        CliRun run = await AuditConfigCli.RunAsync("audit-config", "--help");

        run.ExitCode.ShouldBe(0);
        run.Stdout.ShouldContain("--config-file");
        run.Stdout.ShouldContain("--json");
        run.Stdout.ShouldContain("Audit a Mimecast TTP policy configuration");
    }

    private static void ShouldBeOneErrorLine(CliRun run, string expectedStart)
    {
        run.ExitCode.ShouldBe(2);
        run.Stdout.ShouldBeEmpty();
        run.Stderr.ShouldStartWith(expectedStart);
        run.Stderr.ShouldEndWith(Environment.NewLine);
        run.Stderr.TrimEnd().ShouldNotContain('\n');
        run.Stderr.ShouldNotContain("   at ");
        run.Stderr.ShouldNotContain("Exception");
    }
}
