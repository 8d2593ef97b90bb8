namespace ChatOpsBot.Analysis.EmailForensics.Links;

/// <summary>Bounds on URL extraction from hostile bodies.</summary>
public sealed record UrlExtractionOptions
{
    /// <summary>Distinct URLs kept; extraction stops there and reports <see cref="UrlExtractionResult.UrlLimitReached"/>.</summary>
    public int MaxUrls { get; init; } = 500;

    /// <summary>Characters read from each of the plain-text body, the HTML body and each header value; the rest is ignored.</summary>
    public int MaxInputChars { get; init; } = 5_000_000;

    /// <summary>Longer URLs are cut to this many characters (with a "url.truncated" finding) so one URL cannot hold megabytes.</summary>
    public int MaxUrlChars { get; init; } = 4_096;

    /// <summary>Characters of anchor text kept as <see cref="ExtractedUrl.DisplayText"/>.</summary>
    public int MaxDisplayTextChars { get; init; } = 256;

    internal static UrlExtractionOptions Default { get; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxUrls);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxInputChars);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxUrlChars, 64);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxDisplayTextChars);
    }
}

/// <summary>URLs of a message plus whether a bound cut the extraction short.</summary>
public sealed record UrlExtractionResult(IReadOnlyList<ExtractedUrl> Urls, bool UrlLimitReached, bool InputTruncated);
