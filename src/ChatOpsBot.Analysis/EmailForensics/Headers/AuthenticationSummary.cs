namespace ChatOpsBot.Analysis.EmailForensics.Headers;

/// <summary>One SPF/DKIM/DMARC/compauth verdict and the domain it speaks for.</summary>
/// <param name="DomainSource">The property the domain came from: <c>smtp.mailfrom</c>, <c>header.d</c>, <c>header.i</c>, <c>header.from</c>, <c>envelope-from</c>.</param>
public sealed record AuthCheck(string Result, string? Domain, string? DomainSource, string? Reason);

/// <summary>
/// Authentication verdicts as the receiving side recorded them. <see cref="Source"/> says where they came from:
/// <c>authentication-results</c> (trusted header), <c>received-spf</c> (fallback for SPF only), or <c>none</c>.
/// Headers that were not trusted are kept in <see cref="Ignored"/> so an analyst can see what was discarded.
/// </summary>
public sealed record AuthenticationSummary
{
    public required string Source { get; init; }

    public string? TrustedAuthservId { get; init; }

    public AuthCheck? Spf { get; init; }

    public IReadOnlyList<AuthCheck> Dkim { get; init; } = [];

    public AuthCheck? Dmarc { get; init; }

    public AuthCheck? Compauth { get; init; }

    public IReadOnlyList<AuthResultsHeader> Trusted { get; init; } = [];

    public IReadOnlyList<AuthResultsHeader> Ignored { get; init; } = [];

    public IReadOnlyList<AuthResultsHeader> Arc { get; init; } = [];

    /// <summary>Untrusted headers claiming a pass that the trusted header does not confirm.</summary>
    public IReadOnlyList<string> Conflicts { get; init; } = [];

    public bool HasAnyResult => Spf is not null || Dkim.Count > 0 || Dmarc is not null || Compauth is not null;
}
