using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsBot.Analysis.PolicyAudit;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.PolicyAudit;

/// <summary>
/// Random well-typed configs against the seed's rubric, restated here from the seed's source rather than taken
/// from the implementation: the score is the sum of the contributions earned, and every finding is one lost.
/// </summary>
public sealed class TtpPolicyAuditorPropertyTests
{
    private static readonly string[] s_sandboxModes = ["dynamic", "safe_file", "none", "other", "Dynamic", ""];

    [Fact]
    public void AuditScoreIsTheSumOfEarnedContributionsAndEveryFindingIsALostOne()
    {
        Prop.ForAll(Arb.From(ConfigGenerator()), config =>
        {
            using JsonDocument document = JsonDocument.Parse(config.ToJson());
            PolicyAuditResult result = TtpPolicyAuditor.Audit(document.RootElement);
            (int expectedScore, List<(string Text, int PointsLost)> expectedLosses) = ExpectedByRubric(config);

            result.Score.ShouldBe(expectedScore, config.ToJson());
            result.Score.ShouldBeInRange(0, 100);
            result.Findings.ShouldBe(expectedLosses.Select(l => l.Text), config.ToJson());
            result.FindingDetails.Select(f => f.PointsLost).ShouldBe(expectedLosses.Select(l => l.PointsLost), config.ToJson());
            (result.Score + expectedLosses.Sum(l => l.PointsLost)).ShouldBe(100);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    private static Gen<GeneratedConfig> ConfigGenerator()
    {
        Gen<bool?> flag = Gen.Elements<bool?>(true, false, null);
        Gen<bool> present = Gen.Elements(true, true, false);

        Gen<UrlSection?> url =
            from isPresent in present
            from enabled in flag
            from rewriting in flag
            from hold in flag
            select isPresent ? new UrlSection(enabled, rewriting, hold) : null;

        Gen<AttachmentSection?> attachment =
            from isPresent in present
            from enabled in flag
            from hasMode in present
            from mode in Gen.Elements(s_sandboxModes)
            select isPresent ? new AttachmentSection(enabled, hasMode ? mode : null) : null;

        Gen<ImpersonationSection?> impersonation =
            from isPresent in present
            from enabled in flag
            from hasList in present
            from vips in Gen.Choose(0, 12)
            select isPresent ? new ImpersonationSection(enabled, hasList ? vips : null) : null;

        Gen<InternalSection?> internalEmail =
            from isPresent in present
            from enabled in flag
            select isPresent ? new InternalSection(enabled) : null;

        return from u in url
               from a in attachment
               from i in impersonation
               from e in internalEmail
               select new GeneratedConfig(u, a, i, e);
    }

    /// <summary>The seed's <c>audit_config</c>, with an absent key read as its <c>dict.get</c> default.</summary>
    private static (int Score, List<(string Text, int PointsLost)> Losses) ExpectedByRubric(GeneratedConfig config)
    {
        int score = 0;
        var losses = new List<(string, int)>();

        if (config.Url?.Enabled == true)
        {
            score += 10;
            if (config.Url.Rewriting == true)
            {
                score += 8;
            }
            else
            {
                losses.Add(("URL rewriting not enabled - URLs not protected at click time", 8));
            }

            if (config.Url.PredeliveryHold == true)
            {
                score += 7;
            }
            else
            {
                losses.Add(("URL Pre-Delivery Hold not enabled - Mimecast recommends Hold setting (default since Nov 2025)", 7));
            }
        }
        else
        {
            losses.Add(("CRITICAL: URL Protect not enabled", 25));
        }

        if (config.Attachment?.Enabled == true)
        {
            score += 10;
            string mode = config.Attachment.SandboxMode ?? "none";
            if (mode == "dynamic")
            {
                score += 15;
            }
            else if (mode == "safe_file")
            {
                score += 10;
                losses.Add(("Attachment Protect in Safe File mode - consider Dynamic for full sandbox", 5));
            }
            else
            {
                losses.Add(("Attachment sandbox mode not configured", 15));
            }
        }
        else
        {
            losses.Add(("CRITICAL: Attachment Protect not enabled", 25));
        }

        if (config.Impersonation?.Enabled == true)
        {
            score += 10;
            int vips = config.Impersonation.VipCount ?? 0;
            if (vips >= 5)
            {
                score += 15;
            }
            else if (vips > 0)
            {
                score += 8;
                losses.Add(($"Only {vips} VIPs configured - recommend adding all executives and finance leadership", 7));
            }
            else
            {
                losses.Add(("No VIPs configured for Impersonation Protect", 15));
            }
        }
        else
        {
            losses.Add(("CRITICAL: Impersonation Protect not enabled", 25));
        }

        if (config.InternalEmail?.Enabled == true)
        {
            score += 25;
        }
        else
        {
            losses.Add(("Internal Email Protect not enabled - lateral phishing from compromised accounts undetected", 25));
        }

        return (score, losses);
    }

    // A null member means the key is absent from the generated JSON.
    private sealed record UrlSection(bool? Enabled, bool? Rewriting, bool? PredeliveryHold);

    private sealed record AttachmentSection(bool? Enabled, string? SandboxMode);

    private sealed record ImpersonationSection(bool? Enabled, int? VipCount);

    private sealed record InternalSection(bool? Enabled);

    private sealed record GeneratedConfig(UrlSection? Url, AttachmentSection? Attachment, ImpersonationSection? Impersonation, InternalSection? InternalEmail)
    {
        public string ToJson()
        {
            var root = new JsonObject();
            if (Url is not null)
            {
                root["url_protect"] = Section(("enabled", Url.Enabled), ("rewriting", Url.Rewriting), ("predelivery_hold", Url.PredeliveryHold));
            }

            if (Attachment is not null)
            {
                JsonObject section = Section(("enabled", Attachment.Enabled));
                if (Attachment.SandboxMode is not null)
                {
                    section["sandbox_mode"] = Attachment.SandboxMode;
                }

                root["attachment_protect"] = section;
            }

            if (Impersonation is not null)
            {
                JsonObject section = Section(("enabled", Impersonation.Enabled));
                if (Impersonation.VipCount is { } count)
                {
                    section["vip_list"] = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)$"vip{i}@corp.example")]);
                }

                root["impersonation_protect"] = section;
            }

            if (InternalEmail is not null)
            {
                root["internal_email_protect"] = Section(("enabled", InternalEmail.Enabled));
            }

            return root.ToJsonString();
        }

        private static JsonObject Section(params (string Key, bool? Value)[] flags)
        {
            var section = new JsonObject();
            foreach ((string key, bool? value) in flags)
            {
                if (value is { } present)
                {
                    section[key] = present;
                }
            }

            return section;
        }
    }
}
