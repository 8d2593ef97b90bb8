using ChatOpsBot.Mail;

namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>Limits and trust settings for <see cref="EmailAnalyzer"/>.</summary>
public sealed record EmailAnalysisOptions
{
    public static EmailAnalysisOptions Default { get; } = new();

    /// <summary>
    /// authserv-ids of the organisation's own receiving MTAs. When set, only Authentication-Results headers with
    /// one of these ids are trusted; when empty, the topmost header is (see <see cref="Headers.AuthenticationEvaluator"/>).
    /// </summary>
    public IReadOnlyList<string> TrustedAuthservIds { get; init; } = [];

    /// <summary>Larger inputs are refused; a reported message is rarely over a few megabytes.</summary>
    public long MaxMessageBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Attachments beyond this count (across nested messages) are listed in a finding, not hashed.</summary>
    public int MaxAttachments { get; init; } = 500;

    /// <summary>How deep nested message/rfc822 parts are walked for attachments.</summary>
    public int MaxNestedMessageDepth { get; init; } = 8;

    public MimeParserOptions ParserOptions { get; init; } = MimeParserOptions.Default;
}
