using System.Text.Json;
using ChatOpsBot.Analysis.PolicyAudit;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.Tests.PolicyAudit;

/// <summary>The seed's rubric, branch by branch, and its handling of missing sections and keys.</summary>
public sealed class TtpPolicyAuditorTests
{
    private const string UrlProtectNotEnabled = "CRITICAL: URL Protect not enabled";
    private const string UrlRewritingNotEnabled = "URL rewriting not enabled - URLs not protected at click time";
    private const string UrlHoldNotEnabled = "URL Pre-Delivery Hold not enabled - Mimecast recommends Hold setting (default since Nov 2025)";
    private const string AttachmentProtectNotEnabled = "CRITICAL: Attachment Protect not enabled";
    private const string SafeFileMode = "Attachment Protect in Safe File mode - consider Dynamic for full sandbox";
    private const string SandboxNotConfigured = "Attachment sandbox mode not configured";
    private const string ImpersonationProtectNotEnabled = "CRITICAL: Impersonation Protect not enabled";
    private const string NoVips = "No VIPs configured for Impersonation Protect";
    private const string InternalNotEnabled = "Internal Email Protect not enabled - lateral phishing from compromised accounts undetected";

    private const string FullyConfigured = """
        {
          "url_protect": {"enabled": true, "rewriting": true, "predelivery_hold": true},
          "attachment_protect": {"enabled": true, "sandbox_mode": "dynamic"},
          "impersonation_protect": {"enabled": true, "vip_list": ["a", "b", "c", "d", "e"]},
          "internal_email_protect": {"enabled": true}
        }
        """;

    [Fact]
    public void AuditScoresHundredWithNoFindingsGivenEveryProtectionFullyConfigured()
    {
        PolicyAuditResult result = AuditJson(FullyConfigured);

        result.Score.ShouldBe(100);
        result.MaxScore.ShouldBe(100);
        result.Findings.ShouldBeEmpty();
        result.FindingDetails.ShouldBeEmpty();
        result.SectionScores.Select(s => s.Score).ShouldBe([25, 25, 25, 25]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"url_protect": {}, "attachment_protect": {}, "impersonation_protect": {}, "internal_email_protect": {}}""")]
    public void AuditScoresZeroWithTheFourDisabledFindingsGivenMissingSectionsOrKeys(string json)
    {
        PolicyAuditResult result = AuditJson(json);

        result.Score.ShouldBe(0);
        result.Findings.ShouldBe([UrlProtectNotEnabled, AttachmentProtectNotEnabled, ImpersonationProtectNotEnabled, InternalNotEnabled]);
        result.UrlProtectEnabled.ShouldBe(false);
        result.UrlRewriting.ShouldBe(false);
        result.UrlPredeliveryHold.ShouldBe(false);
        result.AttachmentProtectEnabled.ShouldBe(false);
        result.AttachmentSandboxMode.ShouldBe("none");
        result.ImpersonationProtectEnabled.ShouldBe(false);
        result.ImpersonationVipCount.ShouldBe(0);
        result.InternalEmailProtect.ShouldBe(false);
    }

    [Theory]
    [InlineData("""{"enabled": true, "rewriting": true, "predelivery_hold": true}""", 25, new string[0])]
    [InlineData("""{"enabled": true, "rewriting": true, "predelivery_hold": false}""", 18, new[] { UrlHoldNotEnabled })]
    [InlineData("""{"enabled": true, "rewriting": false, "predelivery_hold": true}""", 17, new[] { UrlRewritingNotEnabled })]
    [InlineData("""{"enabled": true}""", 10, new[] { UrlRewritingNotEnabled, UrlHoldNotEnabled })]
    [InlineData("""{"enabled": false, "rewriting": true, "predelivery_hold": true}""", 0, new[] { UrlProtectNotEnabled })]
    [InlineData("""{"rewriting": true, "predelivery_hold": true}""", 0, new[] { UrlProtectNotEnabled })]
    public void AuditScoresUrlProtectByTheSeedRubric(string section, int expectedScore, string[] expectedFindings)
    {
        PolicyAuditResult result = AuditJson($$$"""{"url_protect": {{{section}}}}""");

        result.Score.ShouldBe(expectedScore);
        FindingsIn(result, PolicySection.UrlProtect).ShouldBe(expectedFindings);
    }

    [Theory]
    [InlineData("""{"enabled": true, "sandbox_mode": "dynamic"}""", 25, new string[0])]
    [InlineData("""{"enabled": true, "sandbox_mode": "safe_file"}""", 20, new[] { SafeFileMode })]
    [InlineData("""{"enabled": true, "sandbox_mode": "none"}""", 10, new[] { SandboxNotConfigured })]
    [InlineData("""{"enabled": true, "sandbox_mode": ""}""", 10, new[] { SandboxNotConfigured })]
    [InlineData("""{"enabled": true, "sandbox_mode": "static"}""", 10, new[] { SandboxNotConfigured })]
    [InlineData("""{"enabled": true, "sandbox_mode": "Dynamic"}""", 10, new[] { SandboxNotConfigured })]
    [InlineData("""{"enabled": true, "sandbox_mode": "SAFE_FILE"}""", 10, new[] { SandboxNotConfigured })]
    [InlineData("""{"enabled": true}""", 10, new[] { SandboxNotConfigured })]
    [InlineData("""{"enabled": false, "sandbox_mode": "dynamic"}""", 0, new[] { AttachmentProtectNotEnabled })]
    public void AuditScoresAttachmentProtectByTheSeedRubric(string section, int expectedScore, string[] expectedFindings)
    {
        PolicyAuditResult result = AuditJson($$$"""{"attachment_protect": {{{section}}}}""");

        result.Score.ShouldBe(expectedScore);
        FindingsIn(result, PolicySection.AttachmentProtect).ShouldBe(expectedFindings);
    }

    [Theory]
    [InlineData(true, 12, 25, null)]
    [InlineData(true, 5, 25, null)]
    [InlineData(true, 4, 18, "Only 4 VIPs configured - recommend adding all executives and finance leadership")]
    [InlineData(true, 1, 18, "Only 1 VIPs configured - recommend adding all executives and finance leadership")]
    [InlineData(true, 0, 10, NoVips)]
    [InlineData(false, 6, 0, ImpersonationProtectNotEnabled)]
    public void AuditScoresImpersonationProtectByVipCount(bool enabled, int vipCount, int expectedScore, string? expectedFinding)
    {
        string vips = JsonSerializer.Serialize(Enumerable.Range(0, vipCount).Select(i => $"vip{i}@corp.example"));
        PolicyAuditResult result = AuditJson($$$"""{"impersonation_protect": {"enabled": {{{(enabled ? "true" : "false")}}}, "vip_list": {{{vips}}}}}""");

        result.Score.ShouldBe(expectedScore);
        result.ImpersonationVipCount.ShouldBe(vipCount);
        FindingsIn(result, PolicySection.ImpersonationProtect).ShouldBe(expectedFinding is null ? [] : [expectedFinding]);
    }

    [Fact]
    public void AuditReportsNoVipsGivenImpersonationProtectEnabledWithoutVipList()
    {
        PolicyAuditResult result = AuditJson("""{"impersonation_protect": {"enabled": true}}""");

        result.Score.ShouldBe(10);
        result.ImpersonationVipCount.ShouldBe(0);
        FindingsIn(result, PolicySection.ImpersonationProtect).ShouldBe([NoVips]);
    }

    [Fact]
    public void AuditCountsVipEntriesOfAnyTypeAsTheSeedDoes()
    {
        PolicyAuditResult result = AuditJson("""{"impersonation_protect": {"enabled": true, "vip_list": [null, {}, [], 1, "ceo@corp.example"]}}""");

        result.ImpersonationVipCount.ShouldBe(5);
        result.Score.ShouldBe(25);
    }

    [Theory]
    [InlineData(true, 25, new string[0])]
    [InlineData(false, 0, new[] { InternalNotEnabled })]
    public void AuditScoresInternalEmailProtectAsAllOrNothing(bool enabled, int expectedScore, string[] expectedFindings)
    {
        PolicyAuditResult result = AuditJson($$$"""{"internal_email_protect": {"enabled": {{{(enabled ? "true" : "false")}}}}}""");

        result.Score.ShouldBe(expectedScore);
        result.InternalEmailProtect.ShouldBe(enabled);
        FindingsIn(result, PolicySection.InternalEmailProtect).ShouldBe(expectedFindings);
    }

    [Fact]
    public void AuditListsFindingsInTheSeedOrderAcrossSections()
    {
        PolicyAuditResult result = AuditJson("""
            {
              "url_protect": {"enabled": true},
              "attachment_protect": {"enabled": true, "sandbox_mode": "safe_file"},
              "impersonation_protect": {"enabled": true, "vip_list": ["a", "b"]},
              "internal_email_protect": {"enabled": false}
            }
            """);

        result.Findings.ShouldBe(
        [
            UrlRewritingNotEnabled,
            UrlHoldNotEnabled,
            SafeFileMode,
            "Only 2 VIPs configured - recommend adding all executives and finance leadership",
            InternalNotEnabled,
        ]);
        result.Score.ShouldBe(10 + 20 + 18);
    }

    [Fact]
    public void AuditEchoesSubSettingsOfADisabledServiceAsTheSeedDoes()
    {
        PolicyAuditResult result = AuditJson("""
            {"url_protect": {"enabled": false, "rewriting": true, "predelivery_hold": true},
             "attachment_protect": {"enabled": false, "sandbox_mode": "static"},
             "impersonation_protect": {"enabled": false, "vip_list": ["a", "b"]}}
            """);

        result.UrlRewriting.ShouldBe(true);
        result.UrlPredeliveryHold.ShouldBe(true);
        result.AttachmentSandboxMode.ShouldBe("static");
        result.ImpersonationVipCount.ShouldBe(2);
        result.Score.ShouldBe(0);
    }

    [Fact]
    public void AuditTreatsNullFlagsAsDisabledAndEchoesThemAsNullLikeTheSeed()
    {
        PolicyAuditResult result = AuditJson("""
            {"url_protect": {"enabled": null, "rewriting": null},
             "attachment_protect": {"enabled": true, "sandbox_mode": null},
             "internal_email_protect": {"enabled": null}}
            """);

        result.UrlProtectEnabled.ShouldBeNull();
        result.UrlRewriting.ShouldBeNull();
        result.UrlPredeliveryHold.ShouldBe(false);
        result.AttachmentSandboxMode.ShouldBeNull();
        result.InternalEmailProtect.ShouldBeNull();
        result.Score.ShouldBe(10);
        result.Findings.ShouldBe([UrlProtectNotEnabled, SandboxNotConfigured, ImpersonationProtectNotEnabled, InternalNotEnabled]);
        result.SectionScores[0].Enabled.ShouldBeFalse();
    }

    [Fact]
    public void AuditIgnoresUnknownKeysAndUsesTheLastOfRepeatedKeysLikePythonJson()
    {
        PolicyAuditResult result = AuditJson("""
            {"comment": "exported by hand", "url_protect": {"enabled": false, "mode": 3, "enabled": true},
             "internal_email_protect": {"enabled": true}, "internal_email_protect": {"enabled": false}}
            """);

        result.UrlProtectEnabled.ShouldBe(true);
        result.InternalEmailProtect.ShouldBe(false);
        result.Score.ShouldBe(10);
    }

    [Theory]
    [InlineData("Dynamic", "dynamic")]
    [InlineData(" dynamic ", "dynamic")]
    [InlineData("Safe-File", "safe_file")]
    [InlineData("safe file", "safe_file")]
    public void AuditKeepsSeedScoreButHintsAtTheExactValueGivenSandboxModeSpeltDifferently(string sandboxMode, string intended)
    {
        PolicyAuditResult result = AuditJson(
            $$$"""{"attachment_protect": {"enabled": true, "sandbox_mode": {{{JsonSerializer.Serialize(sandboxMode)}}}}}""");

        PolicyFinding finding = result.FindingDetails.Single(f => f.Section == PolicySection.AttachmentProtect);
        finding.Text.ShouldBe(SandboxNotConfigured);
        finding.Remediation.ShouldStartWith($"sandbox_mode is \"{sandboxMode}\", but the audit accepts only the exact value \"{intended}\"");
        result.Score.ShouldBe(10);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("static")]
    public void AuditGivesNoSpellingHintGivenAnUnrelatedSandboxMode(string sandboxMode)
    {
        PolicyAuditResult result = AuditJson($$$"""{"attachment_protect": {"enabled": true, "sandbox_mode": "{{{sandboxMode}}}"}}""");

        result.FindingDetails.Single(f => f.Section == PolicySection.AttachmentProtect).Remediation.ShouldNotContain("exact value");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData(FullyConfigured)]
    [InlineData("""{"url_protect": {"enabled": true}, "attachment_protect": {"enabled": true, "sandbox_mode": "safe_file"}, "impersonation_protect": {"enabled": true, "vip_list": [1]}}""")]
    [InlineData("""{"url_protect": {"enabled": true, "rewriting": true}, "attachment_protect": {"enabled": true}, "impersonation_protect": {"enabled": true}}""")]
    public void AuditAccountsForEveryLostPointInFindingDetails(string json)
    {
        PolicyAuditResult result = AuditJson(json);

        (result.Score + result.FindingDetails.Sum(f => f.PointsLost)).ShouldBe(result.MaxScore);
        result.FindingDetails.Select(f => f.Text).ShouldBe(result.Findings);
        result.SectionScores.Sum(s => s.Score).ShouldBe(result.Score);
        foreach (SectionScore section in result.SectionScores)
        {
            (section.Score + result.FindingDetails.Where(f => f.Section == section.Section).Sum(f => f.PointsLost)).ShouldBe(section.MaxScore);
        }
    }

    [Fact]
    public void AuditRatesCriticalOnlyTheSeedsCriticalFindingsAndGivesEveryFindingRemediation()
    {
        PolicyAuditResult disabled = AuditJson("{}");
        PolicyAuditResult partial = AuditJson("""
            {"url_protect": {"enabled": true}, "attachment_protect": {"enabled": true, "sandbox_mode": "safe_file"},
             "impersonation_protect": {"enabled": true, "vip_list": [1]}}
            """);

        foreach (PolicyFinding finding in disabled.FindingDetails.Concat(partial.FindingDetails))
        {
            (finding.Severity == FindingSeverity.Critical).ShouldBe(finding.Text.StartsWith("CRITICAL:", StringComparison.Ordinal), finding.Text);
            finding.Remediation.Length.ShouldBeGreaterThan(40, finding.Text);
            finding.ConfigPath.ShouldStartWith(JsonNamingPolicy.SnakeCaseLower.ConvertName(finding.Section.ToString()) + ".");
        }

        partial.FindingDetails.Single(f => f.Text == SafeFileMode).Severity.ShouldBe(FindingSeverity.Low);
    }

    [Fact]
    public void AuditOfTypedConfigMatchesAuditOfItsJson()
    {
        var config = new TtpPolicyConfig(
            new UrlProtectPolicy(Enabled: true, Rewriting: true),
            new AttachmentProtectPolicy(Enabled: true, SandboxMode: SandboxModes.SafeFile),
            new ImpersonationProtectPolicy(Enabled: true, VipCount: 3),
            new InternalEmailProtectPolicy());

        PolicyAuditResult result = TtpPolicyAuditor.Audit(config);

        result.Score.ShouldBe(18 + 20 + 18);
        result.Findings.Count.ShouldBe(4);
        TtpPolicyAuditor.Audit(TtpPolicyConfig.Empty).Score.ShouldBe(0);
    }

    private static PolicyAuditResult AuditJson(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return TtpPolicyAuditor.Audit(document.RootElement);
    }

    private static string[] FindingsIn(PolicyAuditResult result, PolicySection section) =>
        [.. result.FindingDetails.Where(f => f.Section == section).Select(f => f.Text)];
}
