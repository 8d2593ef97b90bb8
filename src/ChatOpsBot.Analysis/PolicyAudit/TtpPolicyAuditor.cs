using System.Text.Json;
using ChatOpsBot.Analysis.Common;
using static ChatOpsBot.Analysis.PolicyAudit.TtpPolicyRubric;

namespace ChatOpsBot.Analysis.PolicyAudit;

/// <summary>
/// Scores a Mimecast Targeted Threat Protection policy configuration out of 100 with the seed tool's rubric
/// (URL, Attachment, Impersonation and Internal Email Protect, 25 points each) and explains every point lost.
/// </summary>
public static class TtpPolicyAuditor
{
    /// <summary>A policy export is a few kilobytes; a bigger input is not a policy export.</summary>
    public const int MaxConfigBytes = 16 * 1024 * 1024;

    private const int MaxJsonDepth = 64;

    /// <summary>Audits a config read from UTF-8 JSON.</summary>
    /// <exception cref="InvalidInputException">The stream is not JSON, too large, or has the wrong shape or types.</exception>
    public static PolicyAuditResult Audit(Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        if (utf8Json.CanSeek && utf8Json.Length - utf8Json.Position > MaxConfigBytes)
        {
            throw TooLarge();
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(
                utf8Json.CanSeek ? utf8Json : ReadBounded(utf8Json),
                new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
            return Audit(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException(JsonInput.DescribeError(ex), ex);
        }
    }

    /// <summary>Audits a config in the seed's JSON shape.</summary>
    /// <exception cref="InvalidInputException">A section or key has the wrong type; the message names its JSON path.</exception>
    public static PolicyAuditResult Audit(JsonElement config) => Audit(TtpPolicyConfig.FromJson(config));

    public static PolicyAuditResult Audit(TtpPolicyConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfNegative(config.ImpersonationProtect.VipCount);

        var findings = new List<PolicyFinding>();
        SectionScore[] sections =
        [
            AuditUrlProtect(config.UrlProtect, findings),
            AuditAttachmentProtect(config.AttachmentProtect, findings),
            AuditImpersonationProtect(config.ImpersonationProtect, findings),
            AuditInternalEmailProtect(config.InternalEmailProtect, findings),
        ];

        return new PolicyAuditResult(
            config.UrlProtect.Enabled,
            config.UrlProtect.Rewriting,
            config.UrlProtect.PredeliveryHold,
            config.AttachmentProtect.Enabled,
            config.AttachmentProtect.SandboxMode,
            config.ImpersonationProtect.Enabled,
            config.ImpersonationProtect.VipCount,
            config.InternalEmailProtect.Enabled,
            findings.ConvertAll(finding => finding.Text),
            sections.Sum(section => section.Score),
            MaxScore,
            findings,
            sections);
    }

    private static SectionScore AuditUrlProtect(UrlProtectPolicy policy, List<PolicyFinding> findings)
    {
        if (policy.Enabled != true)
        {
            findings.Add(PolicyFindings.UrlProtectDisabled);
            return new SectionScore(PolicySection.UrlProtect, Enabled: false, 0, SectionMaxScore);
        }

        int score = UrlProtectEnabled;
        if (policy.Rewriting == true)
        {
            score += UrlRewriting;
        }
        else
        {
            findings.Add(PolicyFindings.UrlRewritingDisabled);
        }

        if (policy.PredeliveryHold == true)
        {
            score += UrlPredeliveryHold;
        }
        else
        {
            findings.Add(PolicyFindings.UrlPredeliveryHoldDisabled);
        }

        return new SectionScore(PolicySection.UrlProtect, Enabled: true, score, SectionMaxScore);
    }

    private static SectionScore AuditAttachmentProtect(AttachmentProtectPolicy policy, List<PolicyFinding> findings)
    {
        if (policy.Enabled != true)
        {
            findings.Add(PolicyFindings.AttachmentProtectDisabled);
            return new SectionScore(PolicySection.AttachmentProtect, Enabled: false, 0, SectionMaxScore);
        }

        int score = AttachmentProtectEnabled;
        switch (policy.SandboxMode)
        {
            case SandboxModes.Dynamic:
                score += DynamicSandbox;
                break;
            case SandboxModes.SafeFile:
                score += SafeFileSandbox;
                findings.Add(PolicyFindings.AttachmentSafeFileOnly);
                break;
            default:
                findings.Add(PolicyFindings.SandboxNotConfigured(policy.SandboxMode));
                break;
        }

        return new SectionScore(PolicySection.AttachmentProtect, Enabled: true, score, SectionMaxScore);
    }

    private static SectionScore AuditImpersonationProtect(ImpersonationProtectPolicy policy, List<PolicyFinding> findings)
    {
        if (policy.Enabled != true)
        {
            findings.Add(PolicyFindings.ImpersonationProtectDisabled);
            return new SectionScore(PolicySection.ImpersonationProtect, Enabled: false, 0, SectionMaxScore);
        }

        int score = ImpersonationProtectEnabled;
        if (policy.VipCount >= RecommendedVipCount)
        {
            score += EnoughVips;
        }
        else if (policy.VipCount > 0)
        {
            score += SomeVips;
            findings.Add(PolicyFindings.TooFewVips(policy.VipCount));
        }
        else
        {
            findings.Add(PolicyFindings.NoVips);
        }

        return new SectionScore(PolicySection.ImpersonationProtect, Enabled: true, score, SectionMaxScore);
    }

    private static SectionScore AuditInternalEmailProtect(InternalEmailProtectPolicy policy, List<PolicyFinding> findings)
    {
        if (policy.Enabled != true)
        {
            findings.Add(PolicyFindings.InternalEmailProtectDisabled);
            return new SectionScore(PolicySection.InternalEmailProtect, Enabled: false, 0, SectionMaxScore);
        }

        return new SectionScore(PolicySection.InternalEmailProtect, Enabled: true, InternalEmailProtectEnabled, SectionMaxScore);
    }

    private static InvalidInputException TooLarge() =>
        new($"the policy configuration is larger than {MaxConfigBytes / (1024 * 1024)} MiB, which no TTP policy export is");

    private static MemoryStream ReadBounded(Stream source)
    {
        var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = source.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxConfigBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }
}
