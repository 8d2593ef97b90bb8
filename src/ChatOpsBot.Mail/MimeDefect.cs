namespace ChatOpsBot.Mail;

/// <summary>An anomaly found while parsing, recorded on the entity (or message) it belongs to.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Message">One sentence describing it, naming the offending value where useful.</param>
/// <param name="Offset">Byte offset in the buffer the entity was parsed from (see <see cref="MimeEntity.Offset"/>).</param>
public sealed record MimeDefect(MimeDefectKind Kind, string Message, long Offset);

/// <summary>Kinds of anomalies the parser records instead of failing.</summary>
public enum MimeDefectKind
{
    /// <summary>The input was longer than <see cref="MimeParserOptions.MaxInputBytes"/>; the rest was not read.</summary>
    InputTruncated,

    /// <summary>Bytes before the first header (an mbox <c>From </c> line, a BOM, export junk).</summary>
    GarbageBeforeHeaders,

    /// <summary>A line in the header block that is neither a header nor a continuation; the headers end there.</summary>
    MissingHeaderBodySeparator,

    /// <summary>
    /// A stray line that is not a header between headers; it is skipped (see <see cref="Header.IsInvalid"/>), while
    /// strict parsers (Python) end the headers there and read later headers as body.
    /// </summary>
    InvalidHeaderLine,

    /// <summary>More headers than <see cref="MimeParserOptions.MaxHeaders"/>.</summary>
    TooManyHeaders,

    /// <summary>A header longer than <see cref="MimeParserOptions.MaxHeaderBytes"/>.</summary>
    HeaderTooLong,

    /// <summary>A header block larger than <see cref="MimeParserOptions.MaxHeaderBlockBytes"/>.</summary>
    HeaderBlockTooLarge,

    /// <summary>A header that must appear once (From, Subject, Content-Type, ...) appears more than once.</summary>
    DuplicateHeader,

    /// <summary>8-bit header bytes that are not valid UTF-8; decoded as windows-1252.</summary>
    InvalidUtf8Header,

    /// <summary>A malformed RFC 2047 encoded word (unknown encoding letter, bad base64, unterminated).</summary>
    InvalidEncodedWord,

    /// <summary>An encoded word inside an address, where RFC 2047 forbids it; it is left undecoded.</summary>
    EncodedWordInAddress,

    /// <summary>A charset the runtime does not know; the text was decoded as UTF-8 or windows-1252.</summary>
    UnknownCharset,

    /// <summary>A Content-Type that cannot be parsed; text/plain is assumed.</summary>
    InvalidContentType,

    /// <summary>A Content-Type without a subtype.</summary>
    MissingSubtype,

    /// <summary>A malformed parameter (missing value, unterminated quote, bad RFC 2231 section).</summary>
    InvalidParameter,

    /// <summary>A Content-Transfer-Encoding that is not known; the content is kept as is.</summary>
    UnknownTransferEncoding,

    /// <summary>A Content-Transfer-Encoding other than 7bit/8bit/binary on a multipart (ignored).</summary>
    EncodedMultipart,

    /// <summary>A multipart without a boundary parameter; it is treated as a single text part.</summary>
    MissingBoundary,

    /// <summary>A multipart whose boundary never appears; it is treated as a single text part.</summary>
    StartBoundaryNotFound,

    /// <summary>A multipart whose closing boundary never appears.</summary>
    CloseBoundaryNotFound,

    /// <summary>A nested multipart reusing an enclosing multipart's boundary.</summary>
    BoundaryReused,

    /// <summary>
    /// A delimiter line with text after the boundary (<c>--b</c> followed by more than <c>--</c> and whitespace). It
    /// is honoured, as lenient parsers do; strict parsers would read the line as content.
    /// </summary>
    BoundaryWithTrailingText,

    /// <summary>
    /// A delimiter of an enclosing multipart inside a part of an unclosed inner multipart. Only the innermost boundary
    /// delimits here (as in stalwart mail-parser); Python and MimeKit would end the inner multipart there.
    /// </summary>
    EnclosingBoundaryInPart,

    /// <summary>A message/rfc822 part whose content does not start with a header; it is kept as text.</summary>
    InvalidEmbeddedMessage,

    /// <summary>A multipart or embedded message nested deeper than <see cref="MimeParserOptions.MaxDepth"/>.</summary>
    NestingTooDeep,

    /// <summary>More entities than <see cref="MimeParserOptions.MaxParts"/>.</summary>
    TooManyParts,

    /// <summary>An encoded embedded message beyond <see cref="MimeParserOptions.MaxDecodedBytes"/>.</summary>
    DecodedSizeLimitExceeded,

    /// <summary>A message/rfc822 part with a base64 or quoted-printable encoding (forbidden by RFC 2046; decoded).</summary>
    EncodedMessagePart,

    /// <summary>Characters outside the base64 alphabet (other than whitespace) in base64 content.</summary>
    InvalidBase64,

    /// <summary>Padding in the middle of base64 content (concatenated blocks); decoding continued past it.</summary>
    Base64InternalPadding,

    /// <summary>Base64 content whose length is not a multiple of four.</summary>
    Base64MissingPadding,

    /// <summary>An <c>=</c> in quoted-printable content not followed by two hex digits or a line break.</summary>
    InvalidQuotedPrintable,

    /// <summary>Uuencoded content without a <c>begin</c> line or with malformed lines.</summary>
    InvalidUuencode,

    /// <summary>A uuencoded <c>begin NNN name</c> block inside a text part (hidden from MIME-only tools).</summary>
    InlineUuencode,

    /// <summary>An address that could not be parsed completely.</summary>
    InvalidAddress,

    /// <summary>A date that could not be parsed; <see cref="MimeMessage.Date"/> is null.</summary>
    InvalidDate,

    /// <summary>
    /// An Outlook .msg whose compound file structure is damaged (bad header field, broken or looping sector chain,
    /// directory loop, truncated stream); what could be read was kept.
    /// </summary>
    InvalidCompoundFile,

    /// <summary>A malformed MAPI property stream or property of an Outlook .msg.</summary>
    InvalidOutlookProperty,

    /// <summary>A damaged compressed RTF body (bad header, CRC mismatch, truncated, wrong size).</summary>
    InvalidCompressedRtf,

    /// <summary>An Outlook attachment whose content is not extracted: an OLE object, or a reference to a file path or URL.</summary>
    UnsupportedOutlookAttachment,
}
