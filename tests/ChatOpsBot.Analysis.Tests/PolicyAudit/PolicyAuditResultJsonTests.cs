using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.PolicyAudit;

namespace ChatOpsBot.Analysis.Tests.PolicyAudit;

/// <summary>The result serialised with <see cref="SeedJson.Options"/> is the seed's <c>--json</c> object, then our additions.</summary>
public sealed class PolicyAuditResultJsonTests
{
    private static readonly string[] s_seedFields =
    [
        "url_protect_enabled", "url_rewriting", "url_predelivery_hold", "attachment_protect_enabled", "attachment_sandbox_mode",
        "impersonation_protect_enabled", "impersonation_vip_count", "internal_email_protect", "findings", "score", "max_score",
    ];

    [Fact]
    public void ResultSerialisesTheSeedFieldsFirstInTheSeedOrderThenTheAdditions()
    {
        JsonObject json = Serialise("""{"url_protect": {"enabled": true}}""");

        json.Select(p => p.Key).ShouldBe([.. s_seedFields, "finding_details", "section_scores"]);
    }

    [Fact]
    public void ResultSerialisesSeedValuesWithSeedTypes()
    {
        JsonObject json = Serialise("""
            {"url_protect": {"enabled": null, "rewriting": true},
             "attachment_protect": {"enabled": true, "sandbox_mode": "safe_file"},
             "impersonation_protect": {"enabled": true, "vip_list": ["a", "b", "c"]}}
            """);

        json["url_protect_enabled"].ShouldBeNull();
        json.ContainsKey("url_protect_enabled").ShouldBeTrue();
        json["url_rewriting"]!.GetValue<bool>().ShouldBeTrue();
        json["url_predelivery_hold"]!.GetValue<bool>().ShouldBeFalse();
        json["attachment_sandbox_mode"]!.GetValue<string>().ShouldBe("safe_file");
        json["impersonation_vip_count"]!.GetValue<int>().ShouldBe(3);
        json["internal_email_protect"]!.GetValue<bool>().ShouldBeFalse();
        json["findings"]!.AsArray().Select(f => f!.GetValue<string>()).ShouldBe(
        [
            "CRITICAL: URL Protect not enabled",
            "Attachment Protect in Safe File mode - consider Dynamic for full sandbox",
            "Only 3 VIPs configured - recommend adding all executives and finance leadership",
            "Internal Email Protect not enabled - lateral phishing from compromised accounts undetected",
        ]);
        json["score"]!.GetValue<int>().ShouldBe(38);
        json["max_score"]!.GetValue<int>().ShouldBe(100);
    }

    [Fact]
    public void FindingDetailsSerialiseWithLowerCaseSeverityAndSectionKeys()
    {
        JsonObject json = Serialise("""{"attachment_protect": {"enabled": true, "sandbox_mode": "safe_file"}}""");

        JsonObject first = json["finding_details"]!.AsArray()[0]!.AsObject();
        first.Select(p => p.Key).ShouldBe(["text", "severity", "section", "remediation", "points_lost", "config_path", "code"]);
        first["text"]!.GetValue<string>().ShouldBe("CRITICAL: URL Protect not enabled");
        first["severity"]!.GetValue<string>().ShouldBe("critical");
        first["section"]!.GetValue<string>().ShouldBe("url_protect");
        first["points_lost"]!.GetValue<int>().ShouldBe(25);

        JsonObject safeFile = json["finding_details"]!.AsArray()[1]!.AsObject();
        safeFile["severity"]!.GetValue<string>().ShouldBe("low");
        safeFile["section"]!.GetValue<string>().ShouldBe("attachment_protect");
        safeFile["config_path"]!.GetValue<string>().ShouldBe("attachment_protect.sandbox_mode");

        JsonObject attachmentScore = json["section_scores"]!.AsArray()[1]!.AsObject();
        attachmentScore.ToJsonString().ShouldBe("""{"section":"attachment_protect","enabled":true,"score":20,"max_score":25}""");
    }

    private static JsonObject Serialise(string config)
    {
        using JsonDocument document = JsonDocument.Parse(config);
        string text = JsonSerializer.Serialize(TtpPolicyAuditor.Audit(document.RootElement), SeedJson.Options);
        return JsonNode.Parse(text)!.AsObject();
    }
}
