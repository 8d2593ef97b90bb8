using System.Text.Json;

namespace ChatOpsBot.Analysis.PolicyAudit;

/// <summary>
/// The TTP policy export the seed tool audits. Absent keys take the seed's <c>dict.get</c> defaults
/// (flags false, sandbox mode <c>"none"</c>, no VIPs). A <see langword="null"/> flag or sandbox mode means the
/// export literally said <c>null</c>: the seed treats it as off and echoes it as <c>null</c>, and so do we.
/// </summary>
public sealed record TtpPolicyConfig(
    UrlProtectPolicy UrlProtect,
    AttachmentProtectPolicy AttachmentProtect,
    ImpersonationProtectPolicy ImpersonationProtect,
    InternalEmailProtectPolicy InternalEmailProtect)
{
    /// <summary>Every section missing: what the seed audits for <c>{}</c>.</summary>
    public static TtpPolicyConfig Empty { get; } = new(new(), new(), new(), new());

    /// <summary>Reads the seed's JSON shape; throws <see cref="Common.InvalidInputException"/> naming the JSON path of a wrong type.</summary>
    public static TtpPolicyConfig FromJson(JsonElement config) => TtpPolicyConfigReader.Read(config);
}

/// <param name="Enabled"><c>url_protect.enabled</c>.</param>
/// <param name="Rewriting"><c>url_protect.rewriting</c>: URLs rewritten so they are checked again at click time.</param>
/// <param name="PredeliveryHold"><c>url_protect.predelivery_hold</c>: mail held until its URLs are scanned.</param>
public sealed record UrlProtectPolicy(bool? Enabled = false, bool? Rewriting = false, bool? PredeliveryHold = false);

/// <param name="Enabled"><c>attachment_protect.enabled</c>.</param>
/// <param name="SandboxMode"><c>attachment_protect.sandbox_mode</c>, compared case-sensitively as the seed does.</param>
public sealed record AttachmentProtectPolicy(bool? Enabled = false, string? SandboxMode = SandboxModes.NotConfigured);

/// <param name="Enabled"><c>impersonation_protect.enabled</c>.</param>
/// <param name="VipCount">Number of entries in <c>impersonation_protect.vip_list</c>; the seed only counts them.</param>
public sealed record ImpersonationProtectPolicy(bool? Enabled = false, int VipCount = 0);

/// <param name="Enabled"><c>internal_email_protect.enabled</c>.</param>
public sealed record InternalEmailProtectPolicy(bool? Enabled = false);

/// <summary>The <c>sandbox_mode</c> values the rubric knows; anything else scores as not configured.</summary>
public static class SandboxModes
{
    public const string Dynamic = "dynamic";
    public const string SafeFile = "safe_file";
    public const string NotConfigured = "none";
}
