using System.Text.Json.Serialization;

namespace ChatOpsBot.Analysis.Impersonation;

/// <summary>
/// The verdict. The first seven properties are the seed's fields in the seed's order (its JSON consumers keep
/// working); the rest are additions.
/// </summary>
/// <param name="FromDisplayName">As given.</param>
/// <param name="FromEmail">As given.</param>
/// <param name="MatchedVip">The VIP name the display name shows (configured spelling); empty when none.</param>
/// <param name="Indicators">One sentence per distinct piece of evidence; each counts one hit.</param>
/// <param name="HitCount">Number of indicators.</param>
/// <param name="IsImpersonation">True when the action quarantines.</param>
/// <param name="Action">One of <see cref="ImpersonationActions"/>.</param>
/// <param name="FromDomain">The From domain in lower case as written; empty when the From address is missing or invalid.</param>
/// <param name="FromDomainUnicode">The From domain with punycode (<c>xn--</c>) labels decoded.</param>
/// <param name="NormalizedDisplayName">The display name's words as compared (visual skeleton, lower case).</param>
/// <param name="IndicatorDetails">The indicators again, with kind, VIP, similarity score and evidence.</param>
public sealed record ImpersonationCheckResult(
    string FromDisplayName,
    string FromEmail,
    string MatchedVip,
    IReadOnlyList<string> Indicators,
    int HitCount,
    bool IsImpersonation,
    string Action,
    string FromDomain,
    string FromDomainUnicode,
    string NormalizedDisplayName,
    IReadOnlyList<ImpersonationIndicator> IndicatorDetails);

/// <summary>One piece of evidence.</summary>
/// <param name="Kind">What was found.</param>
/// <param name="Text">The sentence in <see cref="ImpersonationCheckResult.Indicators"/>.</param>
/// <param name="VipName">The VIP it concerns, when it concerns one.</param>
/// <param name="VipDomain">The VIP domain it concerns, when it concerns one.</param>
/// <param name="Similarity">For look-alike domains: normalised edit similarity, 0..1.</param>
/// <param name="Evidence">Why, in one sentence: the forms compared and the rule that fired.</param>
public sealed record ImpersonationIndicator(
    ImpersonationIndicatorKind Kind,
    string Text,
    string? VipName,
    string? VipDomain,
    double? Similarity,
    string Evidence);

[JsonConverter(typeof(JsonStringEnumConverter<ImpersonationIndicatorKind>))]
public enum ImpersonationIndicatorKind
{
    [JsonStringEnumMemberName("display_name_match")]
    DisplayNameMatch,

    [JsonStringEnumMemberName("domain_mismatch")]
    DomainMismatch,

    [JsonStringEnumMemberName("lookalike_domain")]
    LookalikeDomain,

    [JsonStringEnumMemberName("reply_to_mismatch")]
    ReplyToMismatch,

    [JsonStringEnumMemberName("invalid_from_address")]
    InvalidFromAddress,

    [JsonStringEnumMemberName("invalid_reply_to")]
    InvalidReplyTo,
}
