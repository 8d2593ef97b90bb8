using ChatOpsBot.Analysis.TtpMetrics;

namespace ChatOpsBot.Analysis.Tests.TtpMetrics;

public sealed class MimecastAttackMappingTests
{
    [Theory]
    [InlineData("Impersonation Attempt", "T1598.003", "Spearphishing Link")]
    [InlineData("Unsafe Email Attachment", "T1598.002", "Spearphishing Attachment")]
    [InlineData("URL Protection", "T1598.003", "Spearphishing Link")]
    [InlineData("IP Temporarily Blacklisted", "TA0001", "Initial Access")]
    [InlineData("Exceeding outbound thread limit", "T1041", "Exfiltration Over C2 Channel")]
    [InlineData("Internal Email Protect", "T1534", "Internal Spearphishing")]
    public void MapsAlertTypesAsSeed002Does(string alertType, string threatId, string threatName)
    {
        MimecastAttackMapping.TryGetTechnique(alertType, out AttackTechnique technique).ShouldBeTrue();

        technique.ShouldBe(new AttackTechnique(threatId, threatName));
    }

    [Fact]
    public void KeepsSeed002sElevenRowsInItsOrder()
    {
        MimecastAttackMapping.Seed002Table.Keys.ShouldBe(
        [
            "Impersonation Attempt", "Unsafe Email Attachment", "URL Protection", "Default URL Protection",
            "IP Temporarily Blacklisted", "Submitter failed to authenticate", "Anti-Spoofing policy - Inbound not allowed",
            "Invalid Recipient", "Exceeding outbound thread limit", "Message bounced due to Content Examination Policy",
            "Default Inbound URL Protect Definition",
        ]);
    }

    [Fact]
    public void KnowsNoTechniqueForAnUnknownAlertType()
    {
        MimecastAttackMapping.TryGetTechnique("Spam", out _).ShouldBeFalse();
    }
}
