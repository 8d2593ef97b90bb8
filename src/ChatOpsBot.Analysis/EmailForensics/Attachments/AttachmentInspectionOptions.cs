namespace ChatOpsBot.Analysis.EmailForensics.Attachments;

/// <summary>
/// Bounds that keep hostile attachments (zip bombs, huge central directories, deep nesting) from costing unbounded
/// time or memory. Hitting one produces an "attachment.archive-limit" finding, never an exception.
/// </summary>
public sealed record AttachmentInspectionOptions
{
    /// <summary>Archives declaring more entries than this are not opened at all (the central directory alone would be costly).</summary>
    public int MaxArchiveEntries { get; init; } = 10_000;

    /// <summary>Members listed per archive; the rest are counted in a finding.</summary>
    public int MaxListedMembers { get; init; } = 1_000;

    /// <summary>Decompressed bytes hashed per member; a longer member is reported without hashes.</summary>
    public long MaxMemberBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Decompressed bytes across all members of all nested archives of one attachment.</summary>
    public long MaxTotalDecompressedBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Decompressed:compressed ratio above which a member (past its first MiB) is treated as a bomb.</summary>
    public int MaxCompressionRatio { get; init; } = 200;

    /// <summary>Archive levels opened: 1 lists the attachment's members, 2 also lists members of archives inside it.</summary>
    public int MaxArchiveDepth { get; init; } = 2;

    /// <summary>Largest nested archive held in memory to be opened.</summary>
    public long MaxNestedArchiveBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Largest archive copied to memory when the content stream cannot seek.</summary>
    public long MaxBufferedArchiveBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Bytes of an HTML/SVG/script attachment examined for smuggling code and URLs.</summary>
    public int MaxScriptScanBytes { get; init; } = 4 * 1024 * 1024;

    internal static AttachmentInspectionOptions Default { get; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxArchiveEntries);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxListedMembers);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxMemberBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxTotalDecompressedBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCompressionRatio, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxArchiveDepth);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxNestedArchiveBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxBufferedArchiveBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxScriptScanBytes);
    }
}
