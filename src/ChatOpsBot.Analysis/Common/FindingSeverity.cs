using System.Text.Json.Serialization;

namespace ChatOpsBot.Analysis.Common;

/// <summary>
/// How much a finding matters, for every analysis (policy audit, mail forensics, alerts), so cards and scores
/// rank them the same way. Ordered so that comparisons read naturally.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<FindingSeverity>))]
public enum FindingSeverity
{
    [JsonStringEnumMemberName("info")]
    Info,

    [JsonStringEnumMemberName("low")]
    Low,

    [JsonStringEnumMemberName("medium")]
    Medium,

    [JsonStringEnumMemberName("high")]
    High,

    [JsonStringEnumMemberName("critical")]
    Critical,
}
