using System.Buffers;

namespace ChatOpsBot.Mail;

/// <summary>A <c>text/*</c> leaf whose content can be read as text in its declared charset.</summary>
public sealed class TextPart : MimePart
{
    private string? _text;
    private byte[]? _decoded;
    private bool _decodedHasNoUuencode;

    internal TextPart(EntityHead head, ReadOnlyMemory<byte> rawContent)
        : base(head, rawContent)
    {
    }

    /// <summary>Whether this is <c>text/html</c>.</summary>
    public bool IsHtml => ContentType.IsMimeType("text", "html");

    /// <summary>Whether this is <c>text/plain</c> (or a part the parser treats as plain text).</summary>
    public bool IsPlain => !IsHtml;

    /// <summary>
    /// The decoded text. The declared charset is used (with aliases such as <c>ks_c_5601-1987</c> and
    /// <c>latin1</c>); an unknown or missing charset falls back to UTF-8, or windows-1252 when the bytes are not
    /// valid UTF-8. Decoded once, on first access.
    /// </summary>
    public string Text => _text ??= DecodeText();

    /// <summary>
    /// Uuencoded files embedded in the text (<c>begin 644 name</c> ... <c>end</c>), which MIME-only tools miss.
    /// </summary>
    public IReadOnlyList<UuencodedFile> FindUuencodedFiles() => _decodedHasNoUuencode ? [] : UuDecoder.FindEmbeddedFiles(DecodedContent);

    // Content without a transfer encoding is read where it lies; encoded content is decoded once for both the text
    // and the uuencode scan (analysis reads both).
    private ReadOnlySpan<byte> DecodedContent =>
        TransferDecoder.IsIdentity(ContentTransferEncoding) ? RawContent.Span : (_decoded ??= GetContentBytes());

    private string DecodeText()
    {
        if (TransferDecoder.IsIdentity(ContentTransferEncoding) || _decoded is not null)
        {
            return Charsets.DecodeText(DecodedContent, ContentType.Charset);
        }

        // Encoded text is decoded into a pooled buffer; the decoded bytes are kept only when the uuencode scan will
        // need them, which is when they hold a "begin " line at all (UuDecoder.FindEmbeddedFiles looks for that first).
        TransferDecoder decoder = CreateDecoder();
        byte[] buffer = TransferDecoder.DecodeAllPooled(decoder, RawContent.Span, out int length);
        try
        {
            ReadOnlySpan<byte> decoded = buffer.AsSpan(0, length);
            KeepContentDefects(decoder);
            string text = Charsets.DecodeText(decoded, ContentType.Charset);
            if (decoded.IndexOf("begin "u8) >= 0)
            {
                _decoded = decoded.ToArray();
            }
            else
            {
                _decodedHasNoUuencode = true;
            }

            return text;
        }
        finally
        {
            buffer.AsSpan(0, length).Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>A file found in a uuencoded block inside a text part.</summary>
/// <param name="FileName">The name on the <c>begin</c> line.</param>
/// <param name="Mode">The octal permission string on the <c>begin</c> line, e.g. <c>644</c>.</param>
/// <param name="Content">The decoded bytes.</param>
public sealed record UuencodedFile(string FileName, string Mode, ReadOnlyMemory<byte> Content);
