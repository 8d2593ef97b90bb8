using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ChatOpsBot.Analysis.EmailForensics.Attachments;

/// <summary>Content type from magic numbers and, for text, from the first markup or script tokens.</summary>
internal static class ContentSniffer
{
    public const string OctetStream = "application/octet-stream";
    public const string Zip = "application/zip";
    public const string OleStorage = "application/x-ole-storage";
    public const string Html = "text/html";
    public const string Svg = "image/svg+xml";
    public const string PlainText = "text/plain";

    /// <summary>Bytes of the head needed to see every signature (ISO 9660 puts its own at 0x8001).</summary>
    public const int HeadLength = 0x9006 + 1;

    private static ReadOnlySpan<byte> OleSignature => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private static ReadOnlySpan<byte> LnkSignature =>
        [0x4C, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46];

    private static ReadOnlySpan<byte> OneNoteSignature =>
        [0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D, 0xAE, 0xB1, 0x53, 0x78, 0xD0, 0x29, 0x96, 0xD3];

    public static string Sniff(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return "application/x-empty";
        }

        if (head.StartsWith("MZ"u8))
        {
            return IsPortableExecutable(head) ? "application/vnd.microsoft.portable-executable" : "application/x-msdownload";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x7F, (byte)'E', (byte)'L', (byte)'F']))
        {
            return "application/x-elf";
        }

        if (head.Length >= 4)
        {
            uint magic = BinaryPrimitives.ReadUInt32BigEndian(head);
            if (magic is 0xFEEDFACE or 0xFEEDFACF or 0xCEFAEDFE or 0xCFFAEDFE)
            {
                return "application/x-mach-binary";
            }

            // 0xCAFEBABE is both a Mach-O universal binary and a Java class; a universal binary has few architectures.
            if (magic == 0xCAFEBABE && head.Length >= 8)
            {
                return BinaryPrimitives.ReadUInt32BigEndian(head[4..]) is > 0 and < 20 ? "application/x-mach-binary" : "application/java-vm";
            }
        }

        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8) || head.StartsWith("PK\x07\x08"u8))
        {
            return Zip;
        }

        if (head.StartsWith(OleSignature))
        {
            return OleStorage;
        }

        if (head[..Math.Min(head.Length, 1024)].IndexOf("%PDF-"u8) >= 0)
        {
            return "application/pdf";
        }

        if (head.StartsWith("Rar!\x1A\x07"u8))
        {
            return "application/vnd.rar";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C]))
        {
            return "application/x-7z-compressed";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            return "application/gzip";
        }

        if (head.StartsWith("BZh"u8))
        {
            return "application/x-bzip2";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00]))
        {
            return "application/x-xz";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]))
        {
            return "application/zstd";
        }

        if (head.StartsWith("MSCF"u8))
        {
            return "application/vnd.ms-cab-compressed";
        }

        if (head.StartsWith(LnkSignature))
        {
            return "application/x-ms-shortcut";
        }

        if (head.StartsWith(OneNoteSignature))
        {
            return "application/onenote";
        }

        if (head.StartsWith("ITSF"u8))
        {
            return "application/vnd.ms-htmlhelp";
        }

        if (head.StartsWith("{\\rt"u8))
        {
            return "application/rtf";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8))
        {
            return "image/tiff";
        }

        if (head.StartsWith("conectix"u8) || head.StartsWith("vhdxfile"u8))
        {
            return "application/x-vhd";
        }

        if (IsDiskImage(head, out string? image))
        {
            return image;
        }

        if (head.Length > 262 && head[257..262].SequenceEqual("ustar"u8))
        {
            return "application/x-tar";
        }

        return SniffText(head) ?? OctetStream;
    }

    private static bool IsPortableExecutable(ReadOnlySpan<byte> head)
    {
        if (head.Length < 0x40)
        {
            return false;
        }

        int peOffset = BinaryPrimitives.ReadInt32LittleEndian(head[0x3C..]);
        return peOffset > 0 && peOffset <= head.Length - 4 && head[peOffset..].StartsWith("PE\0\0"u8);
    }

    // ISO 9660 and UDF volume descriptors start at sector 16 (0x8000); the identifier follows the type byte.
    private static bool IsDiskImage(ReadOnlySpan<byte> head, out string contentType)
    {
        contentType = string.Empty;
        foreach (int offset in (ReadOnlySpan<int>)[0x8001, 0x8801, 0x9001])
        {
            if (head.Length < offset + 5)
            {
                break;
            }

            ReadOnlySpan<byte> identifier = head.Slice(offset, 5);
            if (identifier.SequenceEqual("CD001"u8))
            {
                contentType = "application/x-iso9660-image";
                return true;
            }

            if (identifier.SequenceEqual("BEA01"u8) || identifier.SequenceEqual("NSR02"u8) || identifier.SequenceEqual("NSR03"u8))
            {
                contentType = "application/x-udf-image";
                return true;
            }
        }

        return false;
    }

    private static string? SniffText(ReadOnlySpan<byte> head)
    {
        ReadOnlySpan<byte> sample = head[..Math.Min(head.Length, 8192)];
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            sample = sample[3..];
        }
        else if (sample.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || sample.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return PlainText;
        }

        int controls = 0;
        foreach (byte b in sample)
        {
            if (b == 0)
            {
                return null;
            }

            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1B))
            {
                controls++;
            }
        }

        if (controls > sample.Length / 50)
        {
            return null;
        }

        // ASCII text searched ignoring case finds exactly what its lower-cased copy searched ordinally finds (every
        // marker is lower-case ASCII): the lower-cased copy is made only for other text, where case mapping goes beyond
        // ASCII. Both are made in a pooled buffer, not as strings: the sample is up to 8 KB of every text attachment.
        char[] buffer = ArrayPool<char>.Shared.Rent(2 * Encoding.UTF8.GetMaxCharCount(sample.Length));
        int used = buffer.Length;
        try
        {
            int length = Encoding.UTF8.GetChars(sample, buffer);
            ReadOnlySpan<char> text = buffer.AsSpan(0, length);
            bool ascii = Ascii.IsValid(sample);
            ReadOnlySpan<char> lower = ascii ? text : buffer.AsSpan(length, text.ToLowerInvariant(buffer.AsSpan(length)));
            used = ascii ? length : length + lower.Length;
            return SniffDecodedText(text, lower, ascii ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        }
        finally
        {
            // The attachment's text is cleared before the buffer goes back to the shared pool: only the part written,
            // as the buffer is sized for the worst case.
            buffer.AsSpan(0, used).Clear();
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <param name="text">The sample decoded as UTF-8.</param>
    /// <param name="lower">The same, lower-cased when it is not ASCII (else <paramref name="text"/> itself).</param>
    /// <param name="comparison">How <paramref name="lower"/> is searched for the lower-case markers.</param>
    private static string SniffDecodedText(ReadOnlySpan<char> text, ReadOnlySpan<char> lower, StringComparison comparison)
    {
        ReadOnlySpan<char> start = lower.TrimStart();
        if (start.StartsWith("<svg", comparison)
            || ((start.StartsWith("<?xml", comparison) || start.StartsWith("<!doctype svg", comparison))
                && lower.Contains("<svg", comparison)))
        {
            return Svg;
        }

        if (lower.Contains("<hta:application", comparison))
        {
            return "application/hta";
        }

        if (start.StartsWith("<!doctype html", comparison) || start.StartsWith("<html", comparison)
            || start.StartsWith("<head", comparison) || start.StartsWith("<body", comparison)
            || start.StartsWith("<script", comparison) || start.StartsWith("<iframe", comparison)
            || start.StartsWith("<meta", comparison) || start.StartsWith("<form", comparison)
            || (start.StartsWith("<!--", comparison) && lower.Contains("<html", comparison)))
        {
            return Html;
        }

        if (start.StartsWith("<?xml", comparison))
        {
            return "application/xml";
        }

        if (LooksLikeMail(text))
        {
            return "message/rfc822";
        }

        int scriptMarkers = CountMarkers(lower, s_vbScriptMarkers, comparison);
        if (scriptMarkers >= 2)
        {
            return "text/vbscript";
        }

        if (CountMarkers(lower, s_javaScriptMarkers, comparison) >= 2 && (lower.Contains(';') || lower.Contains('{')))
        {
            return "application/javascript";
        }

        if (CountMarkers(lower, s_powerShellMarkers, comparison) >= 2)
        {
            return "text/x-powershell";
        }

        if (start.StartsWith("@echo off", comparison))
        {
            return "application/x-bat";
        }

        if (start.StartsWith("#!", comparison))
        {
            return "application/x-sh";
        }

        return PlainText;
    }

    private static bool LooksLikeMail(ReadOnlySpan<char> text)
    {
        // The starts of the first 20 parts text.Split('\n', 20) would give (the 20th is the rest), read in place.
        int headers = 0;
        ReadOnlySpan<char> rest = text;
        for (int part = 0; part < 20; part++)
        {
            if (rest.StartsWith("Received:", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("From:", StringComparison.OrdinalIgnoreCase)
                || rest.StartsWith("Return-Path:", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase)
                || rest.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("MIME-Version:", StringComparison.OrdinalIgnoreCase))
            {
                headers++;
            }

            int lineBreak = rest.IndexOf('\n');
            if (lineBreak < 0)
            {
                break;
            }

            rest = rest[(lineBreak + 1)..];
        }

        return headers >= 2;
    }

    private static int CountMarkers(ReadOnlySpan<char> lower, string[] markers, StringComparison comparison)
    {
        int count = 0;
        foreach (string marker in markers)
        {
            if (lower.Contains(marker, comparison))
            {
                count++;
            }
        }

        return count;
    }

    private static readonly string[] s_javaScriptMarkers =
        ["function(", "function ", "var ", "eval(", "activexobject", "wscript.", "document.write", "window.location", "=>", "new blob("];

    private static readonly string[] s_vbScriptMarkers = ["createobject(", "dim ", "end sub", "wscript.shell", "on error resume next"];

    private static readonly string[] s_powerShellMarkers = ["invoke-expression", "iex ", "-encodedcommand", "new-object net.webclient", "downloadstring(", "$env:"];
}
