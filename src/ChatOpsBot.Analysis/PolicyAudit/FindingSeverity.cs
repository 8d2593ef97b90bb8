using System.Text.Json.Serialization;

namespace ChatOpsBot.Analysis.PolicyAudit;

/// <summary>How urgently a finding should be fixed; ordered so that comparisons read naturally.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FindingSeverity>))]
public enum FindingSeverity
{
    [JsonStringEnumMemberName("low")]
    Low,

    [JsonStringEnumMemberName("medium")]
    Medium,

    [JsonStringEnumMemberName("high")]
    High,

    [JsonStringEnumMemberName("critical")]
    Critical,
}
