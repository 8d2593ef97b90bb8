using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>One header field exactly as it appeared, with its value decoded for display.</summary>
public sealed class Header
{
    // Where the ASCII raw value lies in RawBytes, and the offset as an int: a message has thousands of headers, so
    // each is kept small (positions in a parsed buffer fit an int).
    private readonly int _valueStart;
    private readonly int _valueLength;
    private readonly int _offset;
    private string? _rawValue;
    private string? _value;

    internal Header(string field, string rawValue, string value, ReadOnlyMemory<byte> rawBytes, int offset, bool isInvalid = false)
    {
        IsInvalid = isInvalid;
        Field = field;
        _rawValue = rawValue;
        _value = value;
        RawBytes = rawBytes;
        _offset = offset;
    }

    /// <summary>
    /// A header whose <see cref="RawValue"/> is decoded from its ASCII bytes (<paramref name="valueLength"/> bytes
    /// from <paramref name="valueStart"/> in <paramref name="rawBytes"/>) only when asked for: the parser needs it for a
    /// few fields (addresses, Content-Type), and most headers are never read raw.
    /// </summary>
    internal Header(string field, int valueStart, int valueLength, string value, ReadOnlyMemory<byte> rawBytes, int offset)
    {
        Field = field;
        _valueStart = valueStart;
        _valueLength = valueLength;
        _value = value;
        RawBytes = rawBytes;
        _offset = offset;
        HasAsciiRawValue = true;
    }

    /// <summary>
    /// A header whose value is ASCII without encoded words: decoding it finds nothing to report, so both
    /// <see cref="Value"/> and <see cref="RawValue"/> are made from its bytes only when asked for (most headers of
    /// nested parts, and of a forward's outer message, never are).
    /// </summary>
    internal Header(string field, int valueStart, int valueLength, ReadOnlyMemory<byte> rawBytes, int offset)
    {
        Field = field;
        _valueStart = valueStart;
        _valueLength = valueLength;
        RawBytes = rawBytes;
        _offset = offset;
        HasAsciiRawValue = true;
        HasPlainAsciiValue = true;
    }

    /// <summary>
    /// Whether this is not a header but a stray line inside the header block (kept so nothing is lost; its
    /// <see cref="Field"/> is empty and <see cref="RawValue"/> is the whole line).
    /// </summary>
    public bool IsInvalid { get; }

    /// <summary>The field name as written (case preserved, surrounding whitespace removed).</summary>
    public string Field { get; }

    /// <summary>
    /// The text after the colon as written: folding kept, the final line break removed, encoded words not decoded.
    /// 8-bit bytes are read as UTF-8, or windows-1252 when they are not valid UTF-8.
    /// </summary>
    public string RawValue => _rawValue ??= Charsets.DecodeHeaderBytes(RawValueBytes, out _);

    /// <summary>Whether the raw value is ASCII, held in <see cref="RawValueBytes"/> (else only <see cref="RawValue"/> has it).</summary>
    internal bool HasAsciiRawValue { get; }

    /// <summary>
    /// Whether <see cref="Value"/> is <see cref="RawValueBytes"/> unfolded and trimmed, nothing decoded (ASCII without
    /// encoded words), so a parser may read it from the bytes.
    /// </summary>
    internal bool HasPlainAsciiValue { get; }

    /// <summary>The ASCII bytes of <see cref="RawValue"/> when <see cref="HasAsciiRawValue"/>, else empty.</summary>
    internal ReadOnlySpan<byte> RawValueBytes => RawBytes.Span.Slice(_valueStart, _valueLength);

    /// <summary>The value unfolded, trimmed, with RFC 2047 encoded words decoded.</summary>
    public string Value => _value ??= UnfoldAndTrimAscii(RawValueBytes);

    /// <summary>The whole header (name, colon, value, folding and terminating line break) as read.</summary>
    public ReadOnlyMemory<byte> RawBytes { get; }

    /// <summary>Byte offset of the header's first byte in the buffer its entity was parsed from.</summary>
    public long Offset => _offset;

    /// <summary>Whether this header's name is <paramref name="field"/> (case-insensitive).</summary>
    /// <param name="field">A header name such as <c>From</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="field"/> is null.</exception>
    public bool Is(string field)
    {
        ArgumentNullException.ThrowIfNull(field);

        // Names of another length never match ignoring case (ordinal); analysis asks this of every header, many times.
        return !IsInvalid && Field.Length == field.Length && string.Equals(Field, field, StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Field}: {Value}";

    /// <summary>
    /// <c>AddressParser.Unfold(raw).Trim()</c> of the ASCII text of <paramref name="raw"/>, without making that text
    /// first. For ASCII, <see cref="string.Trim()"/> removes exactly tab, LF, VT, FF, CR and space.
    /// </summary>
    internal static string UnfoldAndTrimAscii(ReadOnlySpan<byte> raw)
    {
        ReadOnlySpan<byte> trimmed = AsciiSpan.TrimWhiteSpace(raw);
        int lineBreak = trimmed.IndexOfAny((byte)'\r', (byte)'\n');
        if (lineBreak < 0)
        {
            return Charsets.AsciiString(trimmed);
        }

        ReadOnlySpan<byte> folded = trimmed[lineBreak..];
        int length = trimmed.Length - folded.Count((byte)'\r') - folded.Count((byte)'\n');
        return string.Create(length, trimmed, static (destination, source) => WidenWithoutLineBreaks(source, destination));
    }

    /// <summary>
    /// A message or content id without white space and angle brackets around it, or null when nothing is left:
    /// <c>value.Trim().Trim('&lt;', '&gt;').Trim()</c> on the span, so only an id that changes becomes a new string.
    /// </summary>
    internal static string? Unbracketed(string? value)
    {
        if (value is null)
        {
            return null;
        }

        ReadOnlySpan<char> id = value.AsSpan().Trim().Trim("<>").Trim();
        return id.IsEmpty ? null : id.Length == value.Length ? value : new string(id);
    }

    /// <summary>Writes the ASCII <paramref name="source"/> as characters without its CR and LF; returns how many.</summary>
    internal static int WidenWithoutLineBreaks(ReadOnlySpan<byte> source, Span<char> destination)
    {
        int length = 0;
        while (!source.IsEmpty)
        {
            int lineBreak = source.IndexOfAny((byte)'\r', (byte)'\n');
            ReadOnlySpan<byte> run = lineBreak < 0 ? source : source[..lineBreak];
            Ascii.ToUtf16(run, destination[length..], out int written);
            length += written;
            source = lineBreak < 0 ? default : source[(lineBreak + 1)..];
        }

        return length;
    }
}
