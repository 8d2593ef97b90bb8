using ChatOpsBot.Analysis.EmailForensics.Links;

namespace ChatOpsBot.Analysis.EmailForensics.Attachments;

/// <summary>
/// One file inside an archive attachment. <paramref name="Name"/> is the path inside the archive, prefixed with the
/// enclosing archive's member path for nested archives ("inner.zip/evil.exe"). Hashes are of the decompressed bytes
/// and are null when the member is encrypted, a directory, or was not (fully) decompressed because a limit was hit.
/// </summary>
public sealed record ArchiveMember(string Name, long Size, long CompressedSize, bool Encrypted, string? Sha256, string? Md5, string? Sha1)
{
    /// <summary>1 for members of the attachment itself, 2 for members of an archive inside it, and so on.</summary>
    public int Depth { get; init; } = 1;

    /// <summary>Type sniffed from the member's first bytes, when it was decompressed.</summary>
    public string? SniffedContentType { get; init; }
}

/// <summary>
/// Forensic facts about one attachment: its name and declared type as given, the type sniffed from its bytes, size and
/// lower-case hex hashes of the whole content (for hash lookups; the file itself is never uploaded anywhere).
/// </summary>
public sealed record AttachmentReport(string? FileName, string? DeclaredContentType, string SniffedContentType, long Size, string Md5, string Sha1, string Sha256)
{
    public IReadOnlyList<ArchiveMember> ArchiveMembers { get; init; } = [];

    public IReadOnlyList<Finding> Findings { get; init; } = [];

    /// <summary>URLs inside HTML/SVG/script attachments (form targets of local phishing pages, download links).</summary>
    public IReadOnlyList<ExtractedUrl> Urls { get; init; } = [];
}
