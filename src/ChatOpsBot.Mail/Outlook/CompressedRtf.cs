using System.Buffers.Binary;

namespace ChatOpsBot.Mail;

/// <summary>
/// The RTF compression of PR_RTF_COMPRESSED (MS-OXRTFCP): a 16-byte header, then either the RTF as is ("MELA") or
/// LZ77-style runs against a 4 KiB ring dictionary primed with a fixed RTF prefix ("LZFu").
/// </summary>
internal static class CompressedRtf
{
    public const uint Compressed = 0x75465A4C;   // "LZFu"
    public const uint Uncompressed = 0x414C454D; // "MELA"

    private const int DictionaryBytes = 4096;

    /// <summary>The dictionary's initial content (MS-OXRTFCP 3.1.3.1), 207 bytes.</summary>
    internal static ReadOnlySpan<byte> Prefix =>
        "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"u8;

    private static readonly uint[] s_crcTable = BuildCrcTable();

    /// <summary>
    /// The RTF, at most <paramref name="maxBytes"/> bytes; null when the header is unusable. Damage (CRC mismatch,
    /// truncation, sizes that disagree) is recorded and what could be decompressed is returned.
    /// </summary>
    public static byte[]? Decompress(ReadOnlySpan<byte> data, int maxBytes, List<MimeDefect> defects)
    {
        if (data.Length < 16)
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompressedRtf, $"the compressed RTF is {data.Length} bytes, shorter than its 16-byte header", 0);
            return null;
        }

        uint compressedSize = BinaryPrimitives.ReadUInt32LittleEndian(data);
        uint rawSize = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);

        // COMPSIZE counts the bytes after itself; the content is what lies between the header and that end.
        long end = 4L + compressedSize;
        if (end > data.Length || end < 16)
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompressedRtf, $"the compressed RTF declares {compressedSize} bytes but holds {data.Length - 4}", 0);
            end = data.Length;
        }

        ReadOnlySpan<byte> content = data[16..(int)end];
        if (type == Uncompressed)
        {
            int length = (int)Math.Min(Math.Min(rawSize, (uint)content.Length), (uint)maxBytes);
            return content[..length].ToArray();
        }

        if (type != Compressed)
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompressedRtf, $"unknown compression type 0x{type:X8}", 8);
            return null;
        }

        if (Crc(content) != crc)
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompressedRtf, "the compressed RTF's CRC does not match its content", 12);
        }

        return Inflate(content, rawSize, maxBytes, defects);
    }

    private static byte[] Inflate(ReadOnlySpan<byte> content, uint rawSize, int maxBytes, List<MimeDefect> defects)
    {
        Span<byte> dictionary = stackalloc byte[DictionaryBytes];
        Prefix.CopyTo(dictionary);
        int writePosition = Prefix.Length;
        var output = new byte[(int)Math.Min(Math.Min(rawSize, (uint)maxBytes), (uint)Math.Min(maxBytes, (long)content.Length * 16))];
        int written = 0;
        int at = 0;
        bool ended = false;
        bool limited = false;
        while (at < content.Length && !ended && !limited)
        {
            int control = content[at++];
            for (int bit = 0; bit < 8 && !ended && !limited; bit++)
            {
                if ((control & (1 << bit)) == 0)
                {
                    if (at >= content.Length)
                    {
                        break;
                    }

                    limited = !Emit(content[at++], dictionary, ref writePosition, ref output, ref written, maxBytes);
                    continue;
                }

                if (at + 1 >= content.Length)
                {
                    at = content.Length;
                    break;
                }

                int token = (content[at] << 8) | content[at + 1];
                at += 2;
                int offset = token >> 4;
                int length = (token & 0xF) + 2;
                if (offset == writePosition)
                {
                    ended = true;
                    break;
                }

                for (int i = 0; i < length && !limited; i++)
                {
                    limited = !Emit(dictionary[(offset + i) % DictionaryBytes], dictionary, ref writePosition, ref output, ref written, maxBytes);
                }
            }
        }

        if (limited)
        {
            OutlookDefects.Add(defects, MimeDefectKind.DecodedSizeLimitExceeded, $"the RTF body is larger than {maxBytes} bytes; the rest was not decompressed", 0);
        }
        else if (!ended)
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompressedRtf, "the compressed RTF ends without its end marker (truncated)", 0);
        }

        if (!limited && written != rawSize)
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompressedRtf, $"the compressed RTF declares {rawSize} bytes but decompresses to {written}", 4);
        }

        return output.AsSpan(0, written).ToArray();
    }

    private static bool Emit(byte value, Span<byte> dictionary, ref int writePosition, ref byte[] output, ref int written, int maxBytes)
    {
        if (written >= maxBytes)
        {
            return false;
        }

        if (written == output.Length)
        {
            Array.Resize(ref output, (int)Math.Min(maxBytes, Math.Max(256, (long)output.Length * 2)));
        }

        output[written++] = value;
        dictionary[writePosition] = value;
        writePosition = (writePosition + 1) % DictionaryBytes;
        return true;
    }

    /// <summary>CRC-32 (polynomial EDB88320) as MS-OXRTFCP 3.1.3.2 computes it: initial value 0, no final inversion.</summary>
    internal static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = 0;
        foreach (byte b in data)
        {
            crc = s_crcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
