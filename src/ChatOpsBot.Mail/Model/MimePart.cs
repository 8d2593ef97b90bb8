namespace ChatOpsBot.Mail;

/// <summary>A leaf entity: its content is kept raw (as read) and decoded on demand.</summary>
public class MimePart : MimeEntity
{
    private IReadOnlyList<MimeDefect>? _contentDefects;

    internal MimePart(EntityHead head, ReadOnlyMemory<byte> rawContent)
        : base(head)
    {
        RawContent = rawContent;
    }

    /// <summary>The body bytes as read, still transfer-encoded.</summary>
    public ReadOnlyMemory<byte> RawContent { get; }

    /// <summary>
    /// The file name: Content-Disposition <c>filename</c>, else Content-Type <c>name</c> (both RFC 2231 and
    /// RFC 2047 decoded), else the name on a uuencode <c>begin</c> line; null when there is none.
    /// </summary>
    public string? FileName =>
        NonEmpty(ContentDisposition?.FileName) ?? NonEmpty(ContentType.Name)
        ?? (ContentTransferEncoding == ContentEncoding.UuEncode ? UuDecoder.FindFileName(RawContent.Span) : null);

    /// <inheritdoc/>
    public override bool IsAttachment => ContentDisposition?.Disposition switch
    {
        "attachment" => true,
        "inline" => false,
        _ => FileName is not null,
    };

    /// <summary>
    /// Anomalies in the content encoding (junk or internal padding in base64, bad quoted-printable escapes,
    /// malformed uuencode). Computed by decoding once, on first access, unless the content was already decoded in
    /// full (the defects of that decoding are kept).
    /// </summary>
    public IReadOnlyList<MimeDefect> ContentDefects
    {
        get
        {
            if (_contentDefects is null && TransferDecoder.IsIdentity(ContentTransferEncoding))
            {
                // 7bit, 8bit, binary and unknown encodings are passed through as they are: there is nothing to find.
                _contentDefects = [];
            }

            if (_contentDefects is null)
            {
                TransferDecoder decoder = CreateDecoder();
                using (Stream sink = Stream.Null)
                {
                    TransferDecoder.DecodeTo(decoder, RawContent.Span, sink);
                }

                _contentDefects = decoder.Defects;
            }

            return _contentDefects;
        }
    }

    /// <summary>The decoded content (transfer encoding removed) in a new array.</summary>
    public byte[] GetContentBytes()
    {
        TransferDecoder decoder = CreateDecoder();
        byte[] content = TransferDecoder.DecodeAll(decoder, RawContent.Span);
        _contentDefects ??= decoder.Defects;
        return content;
    }

    /// <summary>A read-only stream of the decoded content, decoded as it is read (no full copy is made).</summary>
    public Stream OpenContentStream() =>
        new DecodingStream(RawContent, CreateDecoder(), decoder => _contentDefects ??= decoder.Defects);

    /// <summary>Writes the decoded content to <paramref name="destination"/>.</summary>
    /// <param name="destination">The stream to write to.</param>
    /// <returns>The number of decoded bytes written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="IOException">Writing to <paramref name="destination"/> failed.</exception>
    public long CopyContentTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        TransferDecoder decoder = CreateDecoder();
        long written = TransferDecoder.DecodeTo(decoder, RawContent.Span, destination);
        _contentDefects ??= decoder.Defects;
        return written;
    }

    private protected TransferDecoder CreateDecoder() => TransferDecoder.Create(ContentTransferEncoding, BodyOffset);

    /// <summary>Keeps the defects of a full decoding made elsewhere, as <see cref="GetContentBytes"/> does.</summary>
    private protected void KeepContentDefects(TransferDecoder decoder) => _contentDefects ??= decoder.Defects;

    private protected override void WriteBodyTo(Stream destination) => destination.Write(RawContent.Span);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
