using System.Collections.Concurrent;
using System.Text;
using System.Text.Unicode;

namespace ChatOpsBot.Mail;

/// <summary>Charset lookup with the aliases real mail uses, and the UTF-8 / windows-1252 fallbacks.</summary>
internal static class Charsets
{
    private static readonly ConcurrentDictionary<string, Charset?> s_cache = new(StringComparer.OrdinalIgnoreCase);

    // Multi-byte code pages whose bytes below 0x80 are always single characters (lead bytes are 0x80 and above):
    // text made only of such bytes decodes as ASCII (Shift_JIS, GBK, Korean, Big5, GB18030, EUC-KR).
    private static readonly int[] s_asciiSafeMultiByteCodePages = [932, 936, 949, 950, 51949, 54936];

    // Labels that the runtime does not know or that senders use wrongly (WHATWG label table: latin1, ascii and
    // iso-8859-1 all mean windows-1252, which is what mislabelled mail with 0x80-0x9F bytes means).
    private static readonly Dictionary<string, string> s_aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["utf8"] = "utf-8",
        ["utf-8"] = "utf-8",
        ["unicode-1-1-utf-8"] = "utf-8",
        ["latin1"] = "windows-1252",
        ["latin-1"] = "windows-1252",
        ["l1"] = "windows-1252",
        ["iso-8859-1"] = "windows-1252",
        ["iso8859-1"] = "windows-1252",
        ["iso_8859-1"] = "windows-1252",
        ["iso-latin-1"] = "windows-1252",
        ["cp1252"] = "windows-1252",
        ["us-ascii"] = "windows-1252",
        ["ascii"] = "windows-1252",
        ["ansi_x3.4-1968"] = "windows-1252",
        ["ks_c_5601-1987"] = "ks_c_5601-1987",
        ["ks_c_5601"] = "ks_c_5601-1987",
        ["ksc5601"] = "ks_c_5601-1987",
        ["euc-kr"] = "ks_c_5601-1987",
        ["cp949"] = "ks_c_5601-1987",
        ["gb2312"] = "gbk",
        ["x-gbk"] = "gbk",
        ["cp936"] = "gbk",
        ["sjis"] = "shift_jis",
        ["x-sjis"] = "shift_jis",
        ["cp932"] = "shift_jis",
        ["windows-31j"] = "shift_jis",
        ["iso-8859-8-i"] = "iso-8859-8",
        ["x-mac-roman"] = "macintosh",
        ["iso-8859-16"] = "windows-1250",
    };

    // Registered before any lookup (static initializers run in textual order); registering twice is harmless.
    internal static Encoding Windows1252 { get; } = RegisterCodePages();

    // The labels nearly all mail carries (body parts and encoded words alike), resolved once by the same rule as any
    // other label and found by a plain comparison: the cache's case-insensitive hashing costs more than the decoding
    // of a short text.
    private static readonly (string Label, Charset? Charset)[] s_frequent =
        [.. new[] { "utf-8", "us-ascii", "iso-8859-1", "windows-1252" }.Select(label => (label, Resolve(label)))];

    private static readonly Charset s_windows1252 = new(Windows1252, AsciiCompatible: true);

    /// <summary>The encoding for a charset label, or null when unknown (including <c>x-unknown</c>, <c>unknown-8bit</c>).</summary>
    internal static Encoding? GetEncodingOrNull(string? charset) => GetCharsetOrNull(charset)?.Encoding;

    internal static Charset? GetCharsetOrNull(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return null;
        }

        ReadOnlySpan<char> label = charset.AsSpan().Trim().Trim("\"'").Trim();
        foreach ((string frequent, Charset? known) in s_frequent)
        {
            // ASCII case folding matches only what the cache's OrdinalIgnoreCase would match too.
            if (label.Length == frequent.Length && System.Text.Ascii.EqualsIgnoreCase(label, frequent))
            {
                return known;
            }
        }

        return s_cache.GetOrAdd(label.Length == charset.Length ? charset : new string(label), Resolve);
    }

    /// <summary>The charset a trimmed label names, uncached (internal as the reference of the tests).</summary>
    internal static Charset? Resolve(string label)
    {
        string name = s_aliases.TryGetValue(label, out string? alias) ? alias : label;
        if (name.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return new Charset(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false), AsciiCompatible: true);
        }

        if (name.Equals("utf-7", StringComparison.OrdinalIgnoreCase) || name.Equals("csUnicode11UTF7", StringComparison.OrdinalIgnoreCase))
        {
            return new Charset(Utf7Encoding.Instance, AsciiCompatible: false);
        }

        try
        {
            Encoding encoding = Encoding.GetEncoding(name);
            return new Charset(encoding, IsAsciiCompatible(encoding));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether text made only of bytes below 0x80 decodes in <paramref name="encoding"/> to the same characters as in
    /// ASCII: a stateless single-byte or lead-byte code page that maps those bytes to themselves. Not UTF-7, UTF-16,
    /// ISO-2022 (escape sequences switch the meaning of ASCII bytes) or EBCDIC.
    /// </summary>
    internal static bool IsAsciiCompatible(Encoding encoding)
    {
        if (encoding is not UTF8Encoding && !encoding.IsSingleByte && Array.IndexOf(s_asciiSafeMultiByteCodePages, encoding.CodePage) < 0)
        {
            return false;
        }

        Span<byte> probe = stackalloc byte[128];
        for (int i = 0; i < probe.Length; i++)
        {
            probe[i] = (byte)i;
        }

        Span<char> decoded = stackalloc char[256];
        int length = encoding.GetChars(probe, decoded);
        if (length != probe.Length)
        {
            return false;
        }

        for (int i = 0; i < length; i++)
        {
            if (decoded[i] != i)
            {
                return false;
            }
        }

        return true;
    }

    private static Encoding RegisterCodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }

    internal static bool IsKnown(string? charset) => string.IsNullOrWhiteSpace(charset) || GetEncodingOrNull(charset) is not null;

    /// <summary>Decodes body text: the declared charset, else UTF-8 if valid, else windows-1252.</summary>
    internal static string DecodeText(ReadOnlySpan<byte> bytes, string? charset)
    {
        Charset? known = GetCharsetOrNull(charset);
        if (known is null || IsUsAsciiLabel(charset))
        {
            // No (usable) label, or a us-ascii label on 8-bit data: strictly valid UTF-8 is almost certainly UTF-8.
            return DecodeHeaderBytes(bytes, out _);
        }

        // Most text is ASCII whatever its label: widening it is vectorised, while code page decoders go byte by byte.
        return known.GetString(bytes);
    }

    /// <summary>Decodes 8-bit header (or preamble) bytes: ASCII, else UTF-8 when valid (RFC 6532), else windows-1252.</summary>
    internal static string DecodeHeaderBytes(ReadOnlySpan<byte> bytes, out bool invalidUtf8)
    {
        invalidUtf8 = false;
        if (System.Text.Ascii.IsValid(bytes))
        {
            return AsciiString(bytes);
        }

        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        invalidUtf8 = true;
        return s_windows1252.GetString(bytes);
    }

    /// <summary>
    /// The text of bytes known to be ASCII, widened in one pass (<see cref="Encoding.ASCII"/> would count them first).
    /// </summary>
    internal static string AsciiString(ReadOnlySpan<byte> ascii) =>
        ascii.IsEmpty ? string.Empty : string.Create(ascii.Length, ascii, static (destination, source) => System.Text.Ascii.ToUtf16(source, destination, out _));

    private static bool IsUsAsciiLabel(string? charset) =>
        charset is not null && (charset.Trim().Equals("us-ascii", StringComparison.OrdinalIgnoreCase)
            || charset.Trim().Equals("ascii", StringComparison.OrdinalIgnoreCase));
}

/// <summary>A known charset: its decoder, and whether ASCII-only text can skip it (see <see cref="Charsets.IsAsciiCompatible"/>).</summary>
internal sealed record Charset(Encoding Encoding, bool AsciiCompatible)
{
    private const int ByteValues = 256;

    // For an ASCII-compatible single-byte code page, the character each byte decodes to (taken from the encoding
    // itself): text is then widened by table, its ASCII runs vectorised, where the code page decoder goes byte by
    // byte through its fallback machinery. Null for every other encoding.
    private readonly string? _byteChars = AsciiCompatible && Encoding.IsSingleByte ? ByteChars(Encoding) : null;

    /// <summary>Whether <see cref="GetString"/> widens by table instead of calling <see cref="Encoding"/>.</summary>
    internal bool DecodesByTable => _byteChars is not null;

    /// <summary>The text of <paramref name="bytes"/> in this charset: what <see cref="Encoding"/> decodes them to.</summary>
    public string GetString(ReadOnlySpan<byte> bytes)
    {
        if (_byteChars is not null)
        {
            return bytes.IsEmpty ? string.Empty : string.Create(bytes.Length, new TableWidening(bytes, _byteChars), static (destination, state) => state.WidenInto(destination));
        }

        // Most text is ASCII whatever its label: widening it is vectorised, while code page decoders go byte by byte.
        return AsciiCompatible && System.Text.Ascii.IsValid(bytes) ? Charsets.AsciiString(bytes) : Encoding.GetString(bytes);
    }

    private static string? ByteChars(Encoding encoding)
    {
        Span<byte> value = stackalloc byte[1];
        Span<char> decoded = stackalloc char[4];
        char[] table = new char[ByteValues];
        for (int b = 0; b < ByteValues; b++)
        {
            value[0] = (byte)b;
            // A byte its fallback turns into more than one character (or none) cannot be decoded by table.
            if (encoding.GetChars(value, decoded) != 1)
            {
                return null;
            }

            table[b] = decoded[0];
        }

        return new string(table);
    }

    private readonly ref struct TableWidening(ReadOnlySpan<byte> bytes, string byteChars)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private readonly string _byteChars = byteChars;

        public void WidenInto(Span<char> destination)
        {
            int i = 0;
            while (i < _bytes.Length)
            {
                System.Text.Ascii.ToUtf16(_bytes[i..], destination[i..], out int written);
                i += written;
                while (i < _bytes.Length && _bytes[i] > 0x7F)
                {
                    destination[i] = _byteChars[_bytes[i]];
                    i++;
                }
            }
        }
    }
}
