using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>
/// A decode-only UTF-7 (RFC 2152): the runtime's UTF-7 is obsolete and disabled, but UTF-7 mail is a known filter
/// evasion, so the analyst must see the decoded text.
/// </summary>
internal sealed class Utf7Encoding : Encoding
{
    public static Utf7Encoding Instance { get; } = new();

    public override string WebName => "utf-7";

    public override int GetByteCount(char[] chars, int index, int count) => throw new NotSupportedException("UTF-7 is decode-only.");

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) =>
        throw new NotSupportedException("UTF-7 is decode-only.");

    public override int GetCharCount(byte[] bytes, int index, int count) => Decode(bytes.AsSpan(index, count)).Length;

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex)
    {
        string decoded = Decode(bytes.AsSpan(byteIndex, byteCount));
        decoded.CopyTo(0, chars, charIndex, decoded.Length);
        return decoded.Length;
    }

    public override string GetString(byte[] bytes, int index, int count) => Decode(bytes.AsSpan(index, count));

    public override int GetMaxByteCount(int charCount) => (charCount * 5) + 2;

    public override int GetMaxCharCount(int byteCount) => byteCount;

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        StringBuilder text = new(bytes.Length);
        int i = 0;
        while (i < bytes.Length)
        {
            byte b = bytes[i++];
            if (b != '+')
            {
                text.Append((char)b);
                continue;
            }

            if (i < bytes.Length && bytes[i] == '-')
            {
                text.Append('+');
                i++;
                continue;
            }

            int bits = 0;
            int accumulator = 0;
            while (i < bytes.Length && Base64Value(bytes[i]) is int value and >= 0)
            {
                accumulator = (accumulator << 6) | value;
                bits += 6;
                if (bits >= 16)
                {
                    bits -= 16;
                    text.Append((char)((accumulator >> bits) & 0xFFFF));
                }

                i++;
            }

            if (i < bytes.Length && bytes[i] == '-')
            {
                i++;
            }
        }

        return text.ToString();
    }

    private static int Base64Value(byte b) => b switch
    {
        >= (byte)'A' and <= (byte)'Z' => b - 'A',
        >= (byte)'a' and <= (byte)'z' => b - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => b - '0' + 52,
        (byte)'+' => 62,
        (byte)'/' => 63,
        _ => -1,
    };
}
