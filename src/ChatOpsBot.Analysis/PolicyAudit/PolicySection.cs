using System.Text.Json.Serialization;

namespace ChatOpsBot.Analysis.PolicyAudit;

/// <summary>The four Targeted Threat Protection services the audit scores; JSON names are the config's section keys.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PolicySection>))]
public enum PolicySection
{
    [JsonStringEnumMemberName("url_protect")]
    UrlProtect,

    [JsonStringEnumMemberName("attachment_protect")]
    AttachmentProtect,

    [JsonStringEnumMemberName("impersonation_protect")]
    ImpersonationProtect,

    [JsonStringEnumMemberName("internal_email_protect")]
    InternalEmailProtect,
}
