namespace ChatOpsBot.Analysis.EmailForensics.Links;

/// <summary>
/// One distinct URL of a message. <paramref name="Url"/> is the normalised absolute URL as found (HTML entities decoded,
/// scheme and host lower-cased, defanged input refanged, "/" added to an empty path); <paramref name="Source"/> is where
/// it was first seen and <paramref name="DisplayText"/> the first non-empty anchor text; <paramref name="Host"/> is
/// lower case with punycode labels shown in Unicode (null for data:/javascript: URLs).
/// </summary>
public sealed record ExtractedUrl(string Url, UrlSource Source, string? DisplayText, string? Host)
{
    /// <summary>Target of a Mimecast/Safe Links/Proofpoint/... rewrite when it can be decoded offline.</summary>
    public string? DecodedTarget { get; init; }

    /// <summary>Outermost rewriter ("mimecast", "safelinks", "proofpoint", "barracuda"), or null.</summary>
    public string? Rewriter { get; init; }

    /// <summary>Every rewriter from the outside in, when rewrites are nested (a Safe Links URL around a Proofpoint one).</summary>
    public IReadOnlyList<string> RewriterChain { get; init; } = [];

    /// <summary>
    /// The rewritten URL whose target is an opaque token (Mimecast <c>/s/</c> links) and needs the rewriter's online
    /// decoder (Mimecast <c>POST /api/ttp/url/decode-url</c>); null when nothing is left to decode.
    /// </summary>
    public string? OpaqueRewrittenUrl { get; init; }

    /// <summary>Domain the rewriter states in clear next to an opaque token (Mimecast's <c>?domain=</c>), or null.</summary>
    public string? TargetDomainHint { get; init; }

    /// <summary>Every distinct place the URL was found, in order of first appearance.</summary>
    public IReadOnlyList<UrlSource> Sources { get; init; } = [];

    /// <summary>How many times the URL occurred across all sources.</summary>
    public int Occurrences { get; init; } = 1;

    public IReadOnlyList<Finding> Findings { get; init; } = [];
}
