using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Attachments;

/// <summary>Builds small files with the exact structure each test needs.</summary>
internal static class TestFiles
{
    public static byte[] Zip(params (string Name, byte[] Content)[] entries) => Zip(CompressionLevel.Optimal, entries);

    public static byte[] Zip(CompressionLevel level, params (string Name, byte[] Content)[] entries)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] content) in entries)
            {
                ZipArchiveEntry entry = zip.CreateEntry(name, level);
                using Stream stream = entry.Open();
                stream.Write(content);
            }
        }

        return output.ToArray();
    }

    /// <summary>Sets general-purpose flag bit 0 ("encrypted") in every local and central directory header.</summary>
    public static byte[] MarkEncrypted(byte[] zip)
    {
        byte[] patched = (byte[])zip.Clone();
        for (int i = 0; i + 4 <= patched.Length; i++)
        {
            if (patched.AsSpan(i).StartsWith("PK\x03\x04"u8))
            {
                patched[i + 6] |= 1;
            }
            else if (patched.AsSpan(i).StartsWith("PK\x01\x02"u8))
            {
                patched[i + 8] |= 1;
            }
        }

        return patched;
    }

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Ooxml(bool withMacros)
    {
        string contentTypes = withMacros
            ? "<Types><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.ms-word.document.macroEnabled.main+xml\"/></Types>"
            : "<Types><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
        var entries = new List<(string, byte[])>
        {
            ("[Content_Types].xml", Text(contentTypes)),
            ("word/document.xml", Text("<w:document/>")),
        };
        if (withMacros)
        {
            entries.Add(("word/vbaProject.bin", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 1, 2, 3]));
        }

        return Zip([.. entries]);
    }

    /// <summary>DOS header whose e_lfanew points at a "PE\0\0" signature, followed by a minimal COFF header.</summary>
    public static byte[] PortableExecutable()
    {
        byte[] pe = new byte[0x200];
        pe[0] = (byte)'M';
        pe[1] = (byte)'Z';
        BinaryPrimitives.WriteInt32LittleEndian(pe.AsSpan(0x3C), 0x80);
        "PE\0\0"u8.CopyTo(pe.AsSpan(0x80));
        BinaryPrimitives.WriteUInt16LittleEndian(pe.AsSpan(0x84), 0x14C);
        return pe;
    }

    /// <summary>
    /// An OLE compound file with a header sector and one directory sector holding the given storage/stream names.
    /// </summary>
    public static byte[] CompoundFile(params string[] names)
    {
        byte[] file = new byte[512 * 3];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(0x1E), 9);
        string[] all = ["Root Entry", .. names];
        for (int i = 0; i < all.Length; i++)
        {
            Span<byte> entry = file.AsSpan(512 + (i * 128), 128);
            byte[] name = Encoding.Unicode.GetBytes(all[i]);
            name.CopyTo(entry);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[0x40..], (ushort)(name.Length + 2));
            entry[0x42] = i == 0 ? (byte)5 : all[i] is "Macros" or "VBA" ? (byte)1 : (byte)2;
        }

        return file;
    }

    public static byte[] Iso()
    {
        byte[] iso = new byte[0x8800];
        iso[0x8000] = 1;
        "CD001"u8.CopyTo(iso.AsSpan(0x8001));
        return iso;
    }

    public static byte[] Shortcut()
    {
        byte[] lnk = new byte[76];
        byte[] header = [0x4C, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46];
        header.CopyTo(lnk, 0);
        return lnk;
    }
}
