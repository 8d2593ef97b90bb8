namespace ChatOpsBot.Mail;

/// <summary>
/// Limits that keep reading an Outlook <c>.msg</c> bounded on hostile input. Exceeding one never throws: what lies
/// beyond is left out and a <see cref="MimeDefect"/> says what was cut.
/// </summary>
public sealed record OutlookReaderOptions
{
    /// <summary>The defaults: room for any real Outlook item, small enough to bound memory and time on a server.</summary>
    public static OutlookReaderOptions Default { get; } = new();

    /// <summary>Bytes of the file that are read (default 128 MiB); beyond, <see cref="MimeDefectKind.InputTruncated"/>.</summary>
    public int MaxInputBytes { get; init; } = 128 * 1024 * 1024;

    /// <summary>Directory entries read from the compound file (default 65,536); beyond, <see cref="MimeDefectKind.TooManyParts"/>.</summary>
    public int MaxDirectoryEntries { get; init; } = 65_536;

    /// <summary>Bytes of one stream (default 64 MiB); a larger stream is left out with <see cref="MimeDefectKind.DecodedSizeLimitExceeded"/>.</summary>
    public int MaxStreamBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// Bytes read from streams and decompressed from RTF, summed over the whole file including embedded messages
    /// (default 128 MiB); content beyond is left out with <see cref="MimeDefectKind.DecodedSizeLimitExceeded"/>.
    /// </summary>
    public long MaxTotalDecodedBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>Embedded messages inside embedded messages (default 8; the file's own message is depth 0).</summary>
    public int MaxEmbeddingDepth { get; init; } = 8;

    /// <summary>Attachments over the whole file, embedded messages included (default 1,000).</summary>
    public int MaxAttachments { get; init; } = 1_000;

    /// <summary>Recipients per message (default 10,000).</summary>
    public int MaxRecipients { get; init; } = 10_000;

    /// <summary>Limits of the MIME parser that reads the message this reader produces.</summary>
    public MimeParserOptions MimeOptions { get; init; } = MimeParserOptions.Default;
}
