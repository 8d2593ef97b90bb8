namespace ChatOpsBot.Mail;

/// <summary>
/// Limits that keep parsing bounded on hostile input. A message that exceeds a limit still parses: the part beyond
/// the limit is kept as raw bytes (so <see cref="MimeMessage.WriteTo(Stream)"/> still reproduces the input) and a
/// <see cref="MimeDefect"/> records what was cut. No limit ever causes an exception.
/// </summary>
public sealed record MimeParserOptions
{
    /// <summary>The defaults: generous for real mail, small enough to bound memory and time for a server.</summary>
    public static MimeParserOptions Default { get; } = new();

    /// <summary>
    /// Bytes read from the input (default 256 MiB). Input beyond is not read and
    /// <see cref="MimeDefectKind.InputTruncated"/> is recorded.
    /// </summary>
    public int MaxInputBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>
    /// Nesting depth of multiparts and embedded messages (default 64, at most 1,000; the top-level body is depth 0).
    /// A container deeper than this is kept as an opaque <see cref="MimePart"/> with
    /// <see cref="MimeDefectKind.NestingTooDeep"/>.
    /// </summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>
    /// Entities (parts of any kind, across embedded messages) per message (default 10,000). Parts beyond the limit are
    /// left in the enclosing multipart's epilogue with <see cref="MimeDefectKind.TooManyParts"/>.
    /// </summary>
    public int MaxParts { get; init; } = 10_000;

    /// <summary>
    /// Headers kept per entity (default 1,000). Later headers stay in the raw bytes but not in
    /// <see cref="MimeEntity.Headers"/>; <see cref="MimeDefectKind.TooManyHeaders"/> is recorded.
    /// </summary>
    public int MaxHeaders { get; init; } = 1_000;

    /// <summary>
    /// Bytes of one header including folded lines (default 256 KiB). A longer header keeps its full raw bytes, but
    /// its decoded value covers only this many bytes (<see cref="MimeDefectKind.HeaderTooLong"/>).
    /// </summary>
    public int MaxHeaderBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// Bytes of one entity's header block (default 1 MiB), counting an over-long header as
    /// <see cref="MaxHeaderBytes"/>. Headers beyond are kept raw but not decoded
    /// (<see cref="MimeDefectKind.HeaderBlockTooLarge"/>).
    /// </summary>
    public int MaxHeaderBlockBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Bytes the parser may decode eagerly per message (default 64 MiB): today only base64 or quoted-printable
    /// encoded <c>message/rfc822</c> parts, which must be decoded to be parsed. Part contents are decoded on demand and
    /// never exceed their raw size. An encoded message beyond this budget stays opaque
    /// (<see cref="MimeDefectKind.DecodedSizeLimitExceeded"/>).
    /// </summary>
    public long MaxDecodedBytes { get; init; } = 64L * 1024 * 1024;
}
