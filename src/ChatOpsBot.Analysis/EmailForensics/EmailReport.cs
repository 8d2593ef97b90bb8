using System.Text.Json.Serialization;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Analysis.EmailForensics.Reputation;

namespace ChatOpsBot.Analysis.EmailForensics;

public enum Verdict
{
    Unknown,
    Clean,
    Suspicious,
    Malicious,
}

/// <summary>A mailbox as written in a header; <see cref="Address"/> is null for a display name without an address.</summary>
public sealed record EmailAddressInfo(string? Name, string? Address)
{
    public string? Domain => Address is { } a && a.LastIndexOf('@') is var at and >= 0 && at < a.Length - 1
        ? a.AsSpan(at + 1).TrimEnd(">.").ToString().ToLowerInvariant()
        : null;
}

/// <summary>A URL found in the analysed message; the string fields are message content and must be escaped when rendered.</summary>
public sealed record UrlSummary(string Url, string Source, string? DisplayText, string? Host)
{
    /// <summary>The destination behind a known rewriter (Safe Links, Proofpoint, ...), when it could be decoded.</summary>
    public string? DecodedTarget { get; init; }

    public string? Rewriter { get; init; }

    /// <summary>For a URL found inside an attachment (an HTML page, an SVG): <c>attachment:NAME</c>; null for body URLs.</summary>
    public string? Attachment { get; init; }

    public IReadOnlyList<Finding> Findings { get; init; } = [];
}

public sealed record ArchiveMemberSummary(string Name, long Size, long CompressedSize, bool Encrypted, string? Sha256, string? Md5, string? Sha1);

/// <summary>An attachment with hashes of its decoded bytes.</summary>
/// <param name="Location">Where it was: <c>message</c>, or <c>message/rfc822 depth N</c> for parts of nested messages.</param>
public sealed record AttachmentSummary(string? Filename, string? ContentType, string SniffedContentType, long Size, string Md5, string Sha1, string Sha256, string Location)
{
    public IReadOnlyList<ArchiveMemberSummary> ArchiveMembers { get; init; } = [];

    public IReadOnlyList<Finding> Findings { get; init; } = [];
}

/// <summary>How the analysed message was found inside the submitted one.</summary>
/// <param name="Kind"><c>attachment</c> (message/rfc822 or an attached .eml) or <c>inline</c> (quoted in the body).</param>
/// <param name="Client">For inline forwards: which client's format was recognised.</param>
/// <param name="Unrecoverable">What an inline forward cannot show, so the verdict does not pretend it was checked.</param>
public sealed record ForwardInfo(string Kind, string? Client, IReadOnlyList<string> Unrecoverable)
{
    public string? QuotedDate { get; init; }

    /// <summary>Other forwarded messages in the same submission that were not analysed.</summary>
    public int OtherCandidates { get; init; }
}

/// <summary>
/// Everything the analysis found about one submitted message. When the submission is a forward, every field
/// describes the original (forwarded) message and <see cref="Reporter"/> is the person who forwarded it.
/// </summary>
public sealed record EmailReport
{
    /// <summary>The input file relative to the directory given, in directory mode; otherwise null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? File { get; init; }

    public Verdict Verdict { get; init; }

    public int Score { get; init; }

    public string? Subject { get; init; }

    public EmailAddressInfo? From { get; init; }

    public EmailAddressInfo? Sender { get; init; }

    public IReadOnlyList<EmailAddressInfo> ReplyTo { get; init; } = [];

    public string? ReturnPath { get; init; }

    public IReadOnlyList<EmailAddressInfo> To { get; init; } = [];

    public IReadOnlyList<EmailAddressInfo> Cc { get; init; } = [];

    public DateTimeOffset? Date { get; init; }

    public string? MessageId { get; init; }

    public string? XMailer { get; init; }

    public string? UserAgent { get; init; }

    public string? XOriginatingIp { get; init; }

    public IReadOnlyList<ReceivedHop> ReceivedHops { get; init; } = [];

    public AuthenticationSummary AuthResults { get; init; } = new() { Source = "none" };

    public IReadOnlyList<HeaderIp> Ips { get; init; } = [];

    public IReadOnlyList<UrlSummary> Urls { get; init; } = [];

    public IReadOnlyList<AttachmentSummary> Attachments { get; init; } = [];

    public bool Forwarded { get; init; }

    public ForwardInfo? Forward { get; init; }

    /// <summary>The outer sender of a forward (the user who reported the mail); null when the message was not forwarded.</summary>
    public EmailAddressInfo? Reporter { get; init; }

    public IReadOnlyList<Finding> Findings { get; init; } = [];

    public IReadOnlyList<string> Defects { get; init; } = [];

    /// <summary>Whether the caller asked for no external lookups (<c>--no-lookups</c>), recorded as given.</summary>
    public bool NoLookups { get; init; }

    /// <summary>True when reputation lookups answered for at least one indicator and the verdict includes them
    /// (<see cref="ReputationFolding"/>); false when the verdict uses only the message itself.</summary>
    public bool LookupsPerformed { get; init; }

    /// <summary>Reputation of the message's indicators (attachment hashes, URLs, sending IPs), in lookup order; empty
    /// when no lookups were made. Unavailable answers are listed as such, never as clean.</summary>
    public IReadOnlyList<IndicatorReputation> Reputation { get; init; } = [];

    public string RawHeaders { get; init; } = string.Empty;
}
