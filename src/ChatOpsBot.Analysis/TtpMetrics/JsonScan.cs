using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>
/// Validating RFC 8259 scanning primitives over a buffer that may end anywhere. Each returns the position after what
/// it scanned, or <see cref="NeedMoreData"/> when the buffer ends first, and throws <see cref="JsonSyntaxException"/>
/// for input no more data could make valid. They accept exactly what <c>System.Text.Json</c> accepts by default
/// (no comments, no trailing commas, no NaN/Infinity), which the tests check against <c>JsonDocument</c>.
/// </summary>
/// <remarks>
/// Written for this one job instead of using <c>Utf8JsonReader</c>: a record is a handful of short tokens, and the
/// general reader's per-token bookkeeping (and its JIT warm-up in a sub-second process) cost more than the scanning.
/// </remarks>
internal static class JsonScan
{
    public const int NeedMoreData = -1;
    public const int MaxDepth = 64;

    // '"', '\\' and the control characters, which must be escaped inside a JSON string.
    private static readonly SearchValues<byte> s_stringSpecials = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"u8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SkipWhitespace(ReadOnlySpan<byte> data, int position)
    {
        // Most gaps are empty or one space (after ':'); indentation runs go to the vectorised path.
        if ((uint)position < (uint)data.Length)
        {
            byte b = data[position];
            if (b > (byte)' ')
            {
                return position;
            }

            if (b == (byte)' ' && (uint)(position + 1) < (uint)data.Length && data[position + 1] > (byte)' ')
            {
                return position + 1;
            }
        }

        return SkipWhitespaceRun(data, position);
    }

    /// <summary>Scans a string whose opening quote is at <paramref name="position"/> - 1; returns the index of the closing quote.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ScanString(ReadOnlySpan<byte> data, int position, out bool escaped)
    {
        if (Vector128.IsHardwareAccelerated && (uint)position <= (uint)data.Length)
        {
            // 16 bytes at a time: stop at '"', '\\' or a control character; only '"' is the fast way out.
            ref byte start = ref MemoryMarshal.GetReference(data);
            int i = position;
            while (i <= data.Length - Vector128<byte>.Count)
            {
                Vector128<byte> chunk = Vector128.LoadUnsafe(ref start, (nuint)i);
                Vector128<byte> stops = Vector128.Equals(chunk, Vector128.Create((byte)'"')) | Vector128.Equals(chunk, Vector128.Create((byte)'\\')) | Vector128.LessThan(chunk, Vector128.Create((byte)' '));
                uint mask = stops.ExtractMostSignificantBits();
                if (mask != 0)
                {
                    i += BitOperations.TrailingZeroCount(mask);
                    if (data[i] == (byte)'"')
                    {
                        escaped = false;
                        return i;
                    }

                    return ScanStringSlow(data, position, out escaped);
                }

                i += Vector128<byte>.Count;
            }

            position = i;
        }

        return ScanStringTail(data, position, out escaped);
    }

    /// <summary>Scans a number, <c>true</c>, <c>false</c> or <c>null</c> starting at <paramref name="position"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ScanScalar(ReadOnlySpan<byte> data, int position, out ScalarKind kind)
    {
        byte first = data[position];
        switch (first)
        {
            case (byte)'t':
                kind = ScalarKind.True;
                return ScanLiteral(data, position, "true"u8);
            case (byte)'f':
                kind = ScalarKind.False;
                return ScanLiteral(data, position, "false"u8);
            case (byte)'n':
                kind = ScalarKind.Null;
                return ScanLiteral(data, position, "null"u8);
            case (byte)'-':
            case >= (byte)'0' and <= (byte)'9':
                kind = ScalarKind.Number;
                return ScanNumber(data, position);
            default:
                throw new JsonSyntaxException(position, $"{DescribeByte(first)} cannot start a JSON value");
        }
    }

    /// <summary>Skips the object or array whose opening bracket is at <paramref name="position"/>.</summary>
    /// <param name="depth">Nesting depth of that object or array; deeper than <see cref="MaxDepth"/> is an error.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int SkipContainer(ReadOnlySpan<byte> data, int position, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new JsonSyntaxException(position, $"nested deeper than {MaxDepth} levels");
        }

        bool isObject = data[position] == (byte)'{';
        byte close = isObject ? (byte)'}' : (byte)']';
        position = SkipWhitespace(data, position + 1);
        if (position >= data.Length)
        {
            return NeedMoreData;
        }

        if (data[position] == close)
        {
            return position + 1;
        }

        while (true)
        {
            if (isObject)
            {
                if (data[position] != (byte)'"')
                {
                    throw new JsonSyntaxException(position, $"expected a property name, got {DescribeByte(data[position])}");
                }

                position = ScanString(data, position + 1, out _);
                if (position < 0)
                {
                    return NeedMoreData;
                }

                position = SkipWhitespace(data, position + 1);
                if (position >= data.Length)
                {
                    return NeedMoreData;
                }

                if (data[position] != (byte)':')
                {
                    throw new JsonSyntaxException(position, $"expected ':' after a property name, got {DescribeByte(data[position])}");
                }

                position = SkipWhitespace(data, position + 1);
                if (position >= data.Length)
                {
                    return NeedMoreData;
                }
            }

            position = SkipValue(data, position, depth + 1);
            if (position < 0)
            {
                return NeedMoreData;
            }

            position = SkipWhitespace(data, position);
            if (position >= data.Length)
            {
                return NeedMoreData;
            }

            byte next = data[position];
            if (next == close)
            {
                return position + 1;
            }

            if (next != (byte)',')
            {
                throw new JsonSyntaxException(position, $"expected ',' or '{(char)close}', got {DescribeByte(next)}");
            }

            position = SkipWhitespace(data, position + 1);
            if (position >= data.Length)
            {
                return NeedMoreData;
            }
        }
    }

    /// <summary>Skips any value starting at <paramref name="position"/> (no leading whitespace).</summary>
    public static int SkipValue(ReadOnlySpan<byte> data, int position, int depth)
    {
        byte first = data[position];
        if (first == (byte)'"')
        {
            int end = ScanString(data, position + 1, out _);
            return end < 0 ? NeedMoreData : end + 1;
        }

        if (first is (byte)'{' or (byte)'[')
        {
            return SkipContainer(data, position, depth);
        }

        return ScanScalar(data, position, out _);
    }

    /// <summary>
    /// Writes the unescaped UTF-8 of a string's raw content (already validated by <see cref="ScanString"/>).
    /// Returns the bytes written, or -1 when a <c>\u</c> escape leaves a surrogate unpaired (not valid text).
    /// </summary>
    public static int Unescape(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        int written = 0;
        int i = 0;
        while (i < raw.Length)
        {
            int backslash = raw[i..].IndexOf((byte)'\\');
            if (backslash < 0)
            {
                raw[i..].CopyTo(destination[written..]);
                return written + raw.Length - i;
            }

            raw.Slice(i, backslash).CopyTo(destination[written..]);
            written += backslash;
            i += backslash + 1;
            byte escape = raw[i++];
            if (escape != (byte)'u')
            {
                destination[written++] = escape switch
                {
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    _ => escape,
                };
                continue;
            }

            int codePoint = Hex4(raw.Slice(i, 4));
            i += 4;
            if (char.IsHighSurrogate((char)codePoint))
            {
                if (i + 6 > raw.Length || raw[i] != (byte)'\\' || raw[i + 1] != (byte)'u')
                {
                    return -1;
                }

                int low = Hex4(raw.Slice(i + 2, 4));
                if (!char.IsLowSurrogate((char)low))
                {
                    return -1;
                }

                codePoint = char.ConvertToUtf32((char)codePoint, (char)low);
                i += 6;
            }
            else if (char.IsLowSurrogate((char)codePoint))
            {
                return -1;
            }

            written += new Rune(codePoint).EncodeToUtf8(destination[written..]);
        }

        return written;
    }

    /// <summary>
    /// Byte equality written out for the short names and values of log exports: overlapping 8-, 4- or 2-byte reads
    /// instead of a call into a general (and, early in a run, not yet optimised) routine.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool BytesEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int length = a.Length;
        if (length != b.Length)
        {
            return false;
        }

        if (length >= 8)
        {
            if (length > 32)
            {
                return a.SequenceEqual(b);
            }

            for (int i = 0; i < length - 8; i += 8)
            {
                if (MemoryMarshal.Read<ulong>(a[i..]) != MemoryMarshal.Read<ulong>(b[i..]))
                {
                    return false;
                }
            }

            return MemoryMarshal.Read<ulong>(a[(length - 8)..]) == MemoryMarshal.Read<ulong>(b[(length - 8)..]);
        }

        if (length >= 4)
        {
            return MemoryMarshal.Read<uint>(a) == MemoryMarshal.Read<uint>(b)
                && MemoryMarshal.Read<uint>(a[(length - 4)..]) == MemoryMarshal.Read<uint>(b[(length - 4)..]);
        }

        for (int i = 0; i < length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    public static string DescribeByte(byte b) => b switch
    {
        >= 0x21 and < 0x7F => $"'{(char)b}'",
        (byte)' ' => "a space",
        _ => $"byte 0x{b:X2}",
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ScanStringTail(ReadOnlySpan<byte> data, int position, out bool escaped)
    {
        int i = position;
        while ((uint)i < (uint)data.Length)
        {
            byte b = data[i];
            if (b == (byte)'"')
            {
                escaped = false;
                return i;
            }

            if (b == (byte)'\\' || b < 0x20)
            {
                break;
            }

            i++;
        }

        return ScanStringSlow(data, position, out escaped);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SkipWhitespaceRun(ReadOnlySpan<byte> data, int position)
    {
        if (Vector128.IsHardwareAccelerated && position >= 0)
        {
            ref byte start = ref MemoryMarshal.GetReference(data);
            while (position <= data.Length - Vector128<byte>.Count)
            {
                Vector128<byte> chunk = Vector128.LoadUnsafe(ref start, (nuint)position);
                Vector128<byte> blank = Vector128.Equals(chunk, Vector128.Create((byte)' ')) | Vector128.Equals(chunk, Vector128.Create((byte)'\n'))
                    | Vector128.Equals(chunk, Vector128.Create((byte)'\r')) | Vector128.Equals(chunk, Vector128.Create((byte)'\t'));
                uint other = ~blank.ExtractMostSignificantBits() & 0xFFFF;
                if (other != 0)
                {
                    return position + BitOperations.TrailingZeroCount(other);
                }

                position += Vector128<byte>.Count;
            }
        }

        while ((uint)position < (uint)data.Length)
        {
            byte b = data[position];
            if (b > (byte)' ' || (b != (byte)' ' && b != (byte)'\n' && b != (byte)'\r' && b != (byte)'\t'))
            {
                break;
            }

            position++;
        }

        return position;
    }

    private static int ScanStringSlow(ReadOnlySpan<byte> data, int position, out bool escaped)
    {
        escaped = false;
        while (true)
        {
            if (position >= data.Length)
            {
                return NeedMoreData;
            }

            int special = data[position..].IndexOfAny(s_stringSpecials);
            if (special < 0)
            {
                return NeedMoreData;
            }

            position += special;
            byte b = data[position];
            if (b == (byte)'"')
            {
                return position;
            }

            if (b != (byte)'\\')
            {
                throw new JsonSyntaxException(position, $"control character 0x{b:X2} inside a string must be escaped");
            }

            escaped = true;
            if (position + 1 >= data.Length)
            {
                return NeedMoreData;
            }

            byte escape = data[position + 1];
            if (escape == (byte)'u')
            {
                if (position + 6 > data.Length)
                {
                    return NeedMoreData;
                }

                if (Hex4(data.Slice(position + 2, 4)) < 0)
                {
                    throw new JsonSyntaxException(position, "\\u must be followed by four hexadecimal digits");
                }

                position += 6;
            }
            else if (escape is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t')
            {
                position += 2;
            }
            else
            {
                throw new JsonSyntaxException(position, $"'\\{(char)escape}' is not a JSON escape");
            }
        }
    }

    private static int ScanLiteral(ReadOnlySpan<byte> data, int position, ReadOnlySpan<byte> literal)
    {
        ReadOnlySpan<byte> available = data[position..];
        if (available.Length < literal.Length)
        {
            return literal.StartsWith(available) ? NeedMoreData : throw BadLiteral(position, literal);
        }

        return available.StartsWith(literal) ? position + literal.Length : throw BadLiteral(position, literal);
    }

    private static JsonSyntaxException BadLiteral(int position, ReadOnlySpan<byte> literal) =>
        new(position, $"invalid literal, expected '{Encoding.ASCII.GetString(literal)}'");

    /// <summary><c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>; a number must be followed by something else.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ScanNumber(ReadOnlySpan<byte> data, int position)
    {
        int start = position;
        if (data[position] == (byte)'-')
        {
            position++;
        }

        if (position >= data.Length)
        {
            return NeedMoreData;
        }

        if (data[position] == (byte)'0')
        {
            position++;
            if (position < data.Length && char.IsAsciiDigit((char)data[position]))
            {
                throw new JsonSyntaxException(start, "invalid number: leading zeros are not allowed");
            }
        }
        else if (char.IsAsciiDigit((char)data[position]))
        {
            position = SkipDigits(data, position);
        }
        else
        {
            throw new JsonSyntaxException(start, "invalid number");
        }

        if (position < data.Length && data[position] == (byte)'.')
        {
            int digits = SkipDigits(data, position + 1);
            if (digits == position + 1 && digits < data.Length)
            {
                throw new JsonSyntaxException(start, "invalid number: a digit must follow '.'");
            }

            position = digits;
        }

        if (position < data.Length && (data[position] | 0x20) == (byte)'e')
        {
            position++;
            if (position < data.Length && data[position] is (byte)'+' or (byte)'-')
            {
                position++;
            }

            int digits = SkipDigits(data, position);
            if (digits == position && digits < data.Length)
            {
                throw new JsonSyntaxException(start, "invalid number: a digit must follow the exponent");
            }

            position = digits;
        }

        if (position >= data.Length)
        {
            return NeedMoreData;
        }

        return position;
    }

    private static int SkipDigits(ReadOnlySpan<byte> data, int position)
    {
        while (position < data.Length && char.IsAsciiDigit((char)data[position]))
        {
            position++;
        }

        return position;
    }

    private static int Hex4(ReadOnlySpan<byte> hex)
    {
        int value = 0;
        foreach (byte b in hex)
        {
            int digit = HexDigit(b);
            if (digit < 0)
            {
                return -1;
            }

            value = (value << 4) | digit;
        }

        return value;
    }

    private static int HexDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}

/// <summary>The kinds of scalar <see cref="JsonScan.ScanScalar"/> recognises.</summary>
internal enum ScalarKind : byte
{
    Number = 1,
    True,
    False,
    Null,
}

/// <summary>Input that is not JSON, at a buffer position; the reader turns it into a line and column.</summary>
internal sealed class JsonSyntaxException(int position, string problem) : Exception(problem)
{
    public int Position { get; } = position;
}
