using System.Buffers.Binary;
using System.Text;

namespace ChatOpsBot.Mail.Tests.Outlook;

/// <summary>Test-only producer of PR_RTF_COMPRESSED values.</summary>
internal static class RtfFixtures
{
    /// <summary>A valid "LZFu" stream with literal runs only (no dictionary references) and a correct CRC.</summary>
    public static byte[] CompressLiterals(string rtf)
    {
        byte[] data = Encoding.Latin1.GetBytes(rtf);
        using var body = new MemoryStream();
        int writePosition = 207; // after the dictionary's initial string
        int at = 0;
        while (true)
        {
            int run = Math.Min(8, data.Length - at);
            // The end marker is a reference to the write position, placed right after the last literal.
            body.WriteByte((byte)(run < 8 ? 1 << run : 0));
            body.Write(data, at, run);
            at += run;
            writePosition = (writePosition + run) % 4096;
            if (run < 8)
            {
                body.WriteByte((byte)(writePosition >> 4));
                body.WriteByte((byte)((writePosition & 0xF) << 4));
                break;
            }
        }

        byte[] content = body.ToArray();
        var result = new byte[16 + content.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(result, (uint)(content.Length + 12));
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), 0x75465A4C);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(12), Crc(content));
        content.CopyTo(result, 16);
        return result;
    }

    /// <summary>An "MELA" (stored, uncompressed) value.</summary>
    public static byte[] Stored(string rtf)
    {
        byte[] data = Encoding.Latin1.GetBytes(rtf);
        var result = new byte[16 + data.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(result, (uint)(data.Length + 12));
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), 0x414C454D);
        data.CopyTo(result, 16);
        return result;
    }

    // Written out here rather than calling the reader's, so that a wrong table in the reader cannot hide.
    private static uint Crc(byte[] data)
    {
        uint crc = 0;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc;
    }
}
