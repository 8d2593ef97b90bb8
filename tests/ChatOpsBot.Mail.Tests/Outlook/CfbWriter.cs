using System.Buffers.Binary;
using System.Text;

namespace ChatOpsBot.Mail.Tests.Outlook;

/// <summary>A storage or stream to write into a compound file.</summary>
internal sealed record CfbNode(string Name, byte[]? Data, IReadOnlyList<CfbNode>? Children)
{
    public static CfbNode Stream(string name, byte[] data) => new(name, data, null);

    public static CfbNode Storage(string name, params IEnumerable<CfbNode> children) => new(name, null, children.ToList());

    public bool IsStorage => Children is not null;
}

/// <summary>
/// Test-only writer of Compound File Binary files (MS-CFB) with 512- or 4096-byte sectors: streams under 4096 bytes
/// go to the mini stream, larger ones to regular sectors; the FAT grows into DIFAT sectors past 109 FAT sectors.
/// Siblings are linked as a sorted right-leaning chain (all black), which is a valid (if unbalanced) tree to read.
/// </summary>
internal static class CfbWriter
{
    public const uint EndOfChain = 0xFFFFFFFE;
    public const uint FreeSector = 0xFFFFFFFF;
    private const uint FatSector = 0xFFFFFFFD;
    private const uint DifatSector = 0xFFFFFFFC;
    private const uint NoStream = 0xFFFFFFFF;

    public static byte[] Build(CfbNode root, int sectorSize = 512)
    {
        var entries = new List<(CfbNode Node, int Left, int Right, int Child)>();
        Flatten(root, entries);

        var sectors = new List<byte[]>();
        var fat = new List<uint>();
        var starts = new uint[entries.Count];
        var sizes = new long[entries.Count];
        using var mini = new MemoryStream();
        var miniFat = new List<uint>();
        for (int i = 1; i < entries.Count; i++)
        {
            byte[]? data = entries[i].Node.Data;
            if (data is null)
            {
                continue;
            }

            sizes[i] = data.Length;
            if (data.Length >= 4096)
            {
                starts[i] = Allocate(data, sectorSize, sectors, fat);
            }
            else if (data.Length == 0)
            {
                starts[i] = EndOfChain;
            }
            else
            {
                starts[i] = (uint)(mini.Length / 64);
                int count = (data.Length + 63) / 64;
                for (int k = 0; k < count; k++)
                {
                    miniFat.Add(k == count - 1 ? EndOfChain : (uint)(miniFat.Count + 1));
                }

                mini.Write(data);
                mini.Write(new byte[(count * 64) - data.Length]);
            }
        }

        starts[0] = mini.Length == 0 ? EndOfChain : Allocate(mini.ToArray(), sectorSize, sectors, fat);
        sizes[0] = mini.Length;

        int perSector = sectorSize / 128;
        int directoryCount = (entries.Count + perSector - 1) / perSector;
        var directory = new byte[directoryCount * sectorSize];
        for (int i = 0; i < directoryCount * perSector; i++)
        {
            Span<byte> raw = directory.AsSpan(i * 128, 128);
            if (i >= entries.Count)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(raw[68..], NoStream);
                BinaryPrimitives.WriteUInt32LittleEndian(raw[72..], NoStream);
                BinaryPrimitives.WriteUInt32LittleEndian(raw[76..], NoStream);
                continue;
            }

            (CfbNode node, int left, int right, int child) = entries[i];
            byte[] name = Encoding.Unicode.GetBytes(node.Name + "\0");
            name.CopyTo(raw);
            BinaryPrimitives.WriteUInt16LittleEndian(raw[64..], (ushort)name.Length);
            raw[66] = (byte)(i == 0 ? 5 : node.IsStorage ? 1 : 2);
            raw[67] = 1; // black
            BinaryPrimitives.WriteUInt32LittleEndian(raw[68..], left < 0 ? NoStream : (uint)left);
            BinaryPrimitives.WriteUInt32LittleEndian(raw[72..], right < 0 ? NoStream : (uint)right);
            BinaryPrimitives.WriteUInt32LittleEndian(raw[76..], child < 0 ? NoStream : (uint)child);
            BinaryPrimitives.WriteUInt32LittleEndian(raw[116..], node.IsStorage && i != 0 ? 0 : starts[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(raw[120..], (ulong)sizes[i]);
        }

        uint directoryStart = Allocate(directory, sectorSize, sectors, fat);
        uint miniFatStart = EndOfChain;
        int miniFatSectors = 0;
        if (miniFat.Count > 0)
        {
            var bytes = new byte[((miniFat.Count * 4) + sectorSize - 1) / sectorSize * sectorSize];
            bytes.AsSpan().Fill(0xFF);
            for (int i = 0; i < miniFat.Count; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), miniFat[i]);
            }

            miniFatStart = Allocate(bytes, sectorSize, sectors, fat);
            miniFatSectors = bytes.Length / sectorSize;
        }

        // FAT and DIFAT sectors cover themselves too: grow until everything fits.
        int entriesPerSector = sectorSize / 4;
        int fatCount = 1;
        int difatCount = 0;
        while (true)
        {
            difatCount = fatCount <= 109 ? 0 : ((fatCount - 109) + entriesPerSector - 2) / (entriesPerSector - 1);
            if ((long)fatCount * entriesPerSector >= sectors.Count + fatCount + difatCount)
            {
                break;
            }

            fatCount++;
        }

        int fatStart = sectors.Count;
        for (int i = 0; i < fatCount; i++)
        {
            fat.Add(FatSector);
        }

        int difatStart = sectors.Count + fatCount;
        for (int i = 0; i < difatCount; i++)
        {
            fat.Add(DifatSector);
        }

        var fatBytes = new byte[fatCount * sectorSize];
        fatBytes.AsSpan().Fill(0xFF);
        for (int i = 0; i < fat.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(fatBytes.AsSpan(i * 4), fat[i]);
        }

        for (int i = 0; i < fatCount; i++)
        {
            sectors.Add(fatBytes.AsSpan(i * sectorSize, sectorSize).ToArray());
        }

        for (int d = 0; d < difatCount; d++)
        {
            var sector = new byte[sectorSize];
            sector.AsSpan().Fill(0xFF);
            for (int k = 0; k < entriesPerSector - 1; k++)
            {
                int fatIndex = 109 + (d * (entriesPerSector - 1)) + k;
                if (fatIndex < fatCount)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(sector.AsSpan(k * 4), (uint)(fatStart + fatIndex));
                }
            }

            BinaryPrimitives.WriteUInt32LittleEndian(sector.AsSpan((entriesPerSector - 1) * 4), d == difatCount - 1 ? EndOfChain : (uint)(difatStart + d + 1));
            sectors.Add(sector);
        }

        var header = new byte[sectorSize];
        ReadOnlySpan<byte> signature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        signature.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(24), 0x3E);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(26), (ushort)(sectorSize == 512 ? 3 : 4));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(28), 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(30), (ushort)(sectorSize == 512 ? 9 : 12));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(32), 6);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(40), sectorSize == 512 ? 0u : (uint)directoryCount);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(44), (uint)fatCount);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(48), directoryStart);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(56), 4096);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(60), miniFatStart);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(64), (uint)miniFatSectors);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(68), difatCount == 0 ? EndOfChain : (uint)difatStart);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(72), (uint)difatCount);
        for (int i = 0; i < 109; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(76 + (i * 4)), i < fatCount ? (uint)(fatStart + i) : FreeSector);
        }

        using var output = new MemoryStream();
        output.Write(header);
        foreach (byte[] sector in sectors)
        {
            output.Write(sector);
        }

        return output.ToArray();
    }

    /// <summary>Byte offset of FAT entry <paramref name="sector"/> in a file written by <see cref="Build"/> (FAT sector 0 from the header).</summary>
    public static int FatEntryOffset(byte[] file, uint sector)
    {
        int sectorSize = 1 << BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(30));
        int perSector = sectorSize / 4;
        uint fatSector = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(76 + ((int)(sector / perSector) * 4)));
        return ((int)fatSector + 1) * sectorSize + ((int)(sector % perSector) * 4);
    }

    /// <summary>Byte offset of directory entry <paramref name="id"/> (the directory's first sector only).</summary>
    public static int DirectoryEntryOffset(byte[] file, int id)
    {
        int sectorSize = 1 << BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(30));
        uint first = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(48));
        return ((int)first + 1) * sectorSize + (id * 128);
    }

    /// <summary>The id of the first directory entry named <paramref name="name"/>.</summary>
    public static int FindEntry(byte[] file, string name)
    {
        for (int id = 0; ; id++)
        {
            int offset = DirectoryEntryOffset(file, id);
            int length = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(offset + 64));
            if (length >= 2 && Encoding.Unicode.GetString(file, offset, length - 2) == name)
            {
                return id;
            }
        }
    }

    private static uint Allocate(byte[] data, int sectorSize, List<byte[]> sectors, List<uint> fat)
    {
        int count = (data.Length + sectorSize - 1) / sectorSize;
        uint start = (uint)sectors.Count;
        for (int i = 0; i < count; i++)
        {
            var sector = new byte[sectorSize];
            data.AsSpan(i * sectorSize, Math.Min(sectorSize, data.Length - (i * sectorSize))).CopyTo(sector);
            sectors.Add(sector);
            fat.Add(i == count - 1 ? EndOfChain : (uint)(sectors.Count));
        }

        return start;
    }

    private static int Flatten(CfbNode node, List<(CfbNode Node, int Left, int Right, int Child)> entries)
    {
        int id = entries.Count;
        entries.Add((node, -1, -1, -1));
        if (node.Children is { Count: > 0 } children)
        {
            // MS-CFB orders siblings by name length, then by upper-cased name.
            List<CfbNode> sorted = children.OrderBy(c => c.Name.Length).ThenBy(c => c.Name.ToUpperInvariant(), StringComparer.Ordinal).ToList();
            var ids = sorted.Select(child => Flatten(child, entries)).ToList();
            for (int i = 0; i < ids.Count; i++)
            {
                entries[ids[i]] = entries[ids[i]] with { Right = i + 1 < ids.Count ? ids[i + 1] : -1 };
            }

            entries[id] = entries[id] with { Child = ids[0] };
        }

        return id;
    }
}
