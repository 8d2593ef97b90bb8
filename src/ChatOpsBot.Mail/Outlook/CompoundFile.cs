using System.Buffers.Binary;
using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>Kinds of directory entries in a compound file (MS-CFB 2.6.1).</summary>
internal enum CompoundEntryType : byte
{
    Unused = 0,
    Storage = 1,
    Stream = 2,
    Root = 5,
}

/// <summary>One directory entry: a storage (a folder) or a stream (a file) of the compound file.</summary>
internal sealed record CompoundEntry(int Id, string Name, CompoundEntryType Type, int Left, int Right, int Child, uint StartSector, long Size)
{
    public bool IsStorage => Type is CompoundEntryType.Storage or CompoundEntryType.Root;

    public bool IsStream => Type == CompoundEntryType.Stream;
}

/// <summary>
/// A read-only view of a Compound File Binary file (MS-CFB): header, FAT through the DIFAT, mini FAT and mini stream,
/// and the directory's red-black trees, for both 512- and 4096-byte sectors. Every sector chain is followed with
/// loop detection and a length bound; every anomaly is a defect, never an exception.
/// </summary>
internal sealed class CompoundFile
{
    public const int HeaderBytes = 512;
    public const int MiniStreamCutoff = 4096;
    public const int DirectoryEntryBytes = 128;

    private const uint MaxRegularSector = 0xFFFFFFFA;
    private const uint EndOfChain = 0xFFFFFFFE;
    private const uint FreeSector = 0xFFFFFFFF;
    private const uint NoStream = 0xFFFFFFFF;
    private const int MiniSectorBytes = 64;

    private static ReadOnlySpan<byte> Signature => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private readonly ReadOnlyMemory<byte> _data;
    private readonly int _sectorBytes;
    private readonly int _sectorCount;
    private readonly OutlookReaderOptions _options;
    private readonly OutlookBudget _budget;
    private readonly int[] _visitStamps;
    private int[] _owner = [];
    private readonly Dictionary<int, IReadOnlyList<CompoundEntry>> _children = [];
    private uint[] _fat = [];
    private uint[] _miniFat = [];
    private int[] _miniStreamSectors = [];
    private long _miniStreamBytes;
    private CompoundEntry[] _entries = [];
    private int _stamp;

    private CompoundFile(ReadOnlyMemory<byte> data, int sectorBytes, OutlookReaderOptions options, OutlookBudget budget)
    {
        _data = data;
        _sectorBytes = sectorBytes;
        _options = options;
        _budget = budget;
        long afterHeader = Math.Max(0, data.Length - sectorBytes);
        _sectorCount = (int)((afterHeader + sectorBytes - 1) / sectorBytes);
        _visitStamps = new int[_sectorCount];
    }

    /// <summary>The root storage (directory entry 0).</summary>
    public CompoundEntry Root => _entries[0];

    /// <summary>Sector size in bytes: 512 (version 3) or 4096 (version 4).</summary>
    public int SectorBytes => _sectorBytes;

    /// <summary>Whether <paramref name="head"/> starts with the compound file signature D0 CF 11 E0 A1 B1 1A E1.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> head) => head.StartsWith(Signature);

    /// <summary>Opens the file, or returns null with <paramref name="problem"/> when it is not a readable compound file.</summary>
    public static CompoundFile? Open(ReadOnlyMemory<byte> data, OutlookReaderOptions options, OutlookBudget budget, List<MimeDefect> defects, out string? problem)
    {
        ReadOnlySpan<byte> span = data.Span;
        if (!HasSignature(span))
        {
            problem = "not an Outlook .msg file: it does not start with the compound file signature D0 CF 11 E0 A1 B1 1A E1";
            return null;
        }

        if (span.Length < HeaderBytes)
        {
            problem = $"the compound file is truncated: {span.Length} bytes, shorter than its 512-byte header";
            return null;
        }

        ushort major = U16(span, 26);
        ushort sectorShift = U16(span, 30);
        int sectorBytes;
        if (sectorShift is 9 or 12)
        {
            sectorBytes = 1 << sectorShift;
            if ((major == 3 && sectorShift != 9) || (major == 4 && sectorShift != 12) || major is not (3 or 4))
            {
                OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"version {major} with sector shift {sectorShift}; sectors of {sectorBytes} bytes assumed", 26);
            }
        }
        else if (major is 3 or 4)
        {
            sectorBytes = major == 3 ? 512 : 4096;
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"sector shift {sectorShift} is invalid; sectors of {sectorBytes} bytes assumed from version {major}", 30);
        }
        else
        {
            problem = $"the compound file has an unsupported version {major} and sector shift {sectorShift}";
            return null;
        }

        if (span.Length < sectorBytes)
        {
            problem = $"the compound file is truncated: {span.Length} bytes, shorter than one {sectorBytes}-byte sector";
            return null;
        }

        if (U16(span, 28) != 0xFFFE)
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, "the byte order mark is not FFFE", 28);
        }

        if (U16(span, 32) != 6)
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"mini sector shift {U16(span, 32)} is invalid; 64-byte mini sectors assumed", 32);
        }

        if (U32(span, 56) != MiniStreamCutoff)
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"mini stream cutoff {U32(span, 56)} is invalid; 4096 assumed", 56);
        }

        if ((data.Length - sectorBytes) % sectorBytes != 0)
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, "the file does not end on a sector boundary (truncated?)", data.Length);
        }

        var file = new CompoundFile(data, sectorBytes, options, budget);
        file.ReadFat(defects);
        CompoundEntry[] entries = file.ReadDirectory(defects);
        if (entries.Length == 0)
        {
            problem = "the compound file has no readable directory";
            return null;
        }

        if (entries[0].Type != CompoundEntryType.Root)
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"directory entry 0 is a {entries[0].Type}, not the root storage", 0);
            entries[0] = entries[0] with { Type = CompoundEntryType.Root };
        }

        file._entries = entries;
        file._owner = new int[entries.Length];

        file.ReadMiniStream(defects);
        problem = null;
        return file;
    }

    /// <summary>The children of a storage, in directory-tree order; entries reached twice (loops) are dropped.</summary>
    public IReadOnlyList<CompoundEntry> Children(CompoundEntry storage, List<MimeDefect> defects)
    {
        if (_children.TryGetValue(storage.Id, out IReadOnlyList<CompoundEntry>? cached))
        {
            return cached;
        }

        var children = new List<CompoundEntry>();
        _children[storage.Id] = children;
        if (!storage.IsStorage)
        {
            return children;
        }

        // In-order walk of the red-black tree with an explicit stack: a hostile tree may be deep or cyclic. Each entry
        // belongs to one storage; one reached again (a loop, or shared by two storages) is reported and skipped.
        var stack = new Stack<int>();
        int current = storage.Child;
        while (current >= 0 || stack.Count > 0)
        {
            while (current >= 0)
            {
                if (current == 0 || _owner[current] != 0)
                {
                    OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"directory entry {current} is reached twice (a loop in the directory tree); skipped", 0);
                    current = -1;
                    break;
                }

                _owner[current] = storage.Id + 1;
                stack.Push(current);
                current = _entries[current].Left;
            }

            if (stack.Count == 0)
            {
                break;
            }

            int id = stack.Pop();
            CompoundEntry entry = _entries[id];
            if (entry.Type is CompoundEntryType.Storage or CompoundEntryType.Stream)
            {
                children.Add(entry);
            }
            else
            {
                OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"directory entry {id} in storage '{storage.Name}' is {entry.Type}; skipped", 0);
            }

            current = entry.Right;
        }

        return children;
    }

    /// <summary>
    /// The bytes of a stream, or null when it is over a limit; a chain shorter than the stream's size gives the bytes
    /// that could be read (with a defect).
    /// </summary>
    public byte[]? ReadStream(CompoundEntry entry, List<MimeDefect> defects)
    {
        if (entry.Size > _options.MaxStreamBytes)
        {
            OutlookDefects.Add(defects, MimeDefectKind.DecodedSizeLimitExceeded, $"stream '{entry.Name}' declares {entry.Size} bytes, more than the limit of {_options.MaxStreamBytes}; not read", 0);
            return null;
        }

        if (!_budget.TryCharge(entry.Size))
        {
            OutlookDefects.Add(defects, MimeDefectKind.DecodedSizeLimitExceeded, $"stream '{entry.Name}' ({entry.Size} bytes) is beyond the total decoded limit of {_options.MaxTotalDecodedBytes} bytes; not read", 0);
            return null;
        }

        int size = (int)entry.Size;
        return size < MiniStreamCutoff
            ? ReadMiniChain(entry.StartSector, size, entry.Name, defects)
            : ReadChain(entry.StartSector, size, entry.Name, defects);
    }

    private void ReadFat(List<MimeDefect> defects)
    {
        ReadOnlySpan<byte> span = _data.Span;
        uint fatSectorCount = U32(span, 44);
        int wanted = (int)Math.Min(fatSectorCount, (uint)Math.Max(1, _sectorCount));
        if (fatSectorCount > (uint)_sectorCount)
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"the header declares {fatSectorCount} FAT sectors, more than the file's {_sectorCount} sectors", 44);
        }

        // The DIFAT: 109 FAT sector numbers in the header, then a chain of DIFAT sectors, each ending with the next one.
        var fatSectors = new List<uint>(Math.Min(wanted, 109));
        for (int i = 0; i < 109 && fatSectors.Count < wanted; i++)
        {
            fatSectors.Add(U32(span, 76 + (i * 4)));
        }

        uint difat = U32(span, 68);
        int perDifat = (_sectorBytes / 4) - 1;
        int stamp = NextStamp();
        while (fatSectors.Count < wanted && difat <= MaxRegularSector)
        {
            if (difat >= (uint)_sectorCount || _visitStamps[difat] == stamp)
            {
                OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"the DIFAT chain {(difat >= (uint)_sectorCount ? "points outside the file" : "loops")} at sector {difat}", 68);
                break;
            }

            _visitStamps[difat] = stamp;
            ReadOnlySpan<byte> sector = Sector(difat);
            for (int i = 0; i < perDifat && fatSectors.Count < wanted; i++)
            {
                fatSectors.Add(U32(sector, i * 4));
            }

            difat = U32(sector, perDifat * 4);
        }

        if (fatSectors.Count < wanted)
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"the DIFAT lists {fatSectors.Count} of {wanted} FAT sectors", 68);
        }

        // Entries for sectors past the end of the file are never needed, so the FAT is no larger than the file.
        int perSector = _sectorBytes / 4;
        var fat = new uint[Math.Min((long)fatSectors.Count * perSector, _sectorCount)];
        Array.Fill(fat, FreeSector);
        for (int k = 0; k < fatSectors.Count && (long)k * perSector < fat.Length; k++)
        {
            uint at = fatSectors[k];
            if (at >= (uint)_sectorCount)
            {
                OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"FAT sector {k} is at sector {at}, outside the file", 76);
                continue;
            }

            ReadOnlySpan<byte> sector = Sector(at);
            int count = Math.Min(perSector, fat.Length - (k * perSector));
            for (int i = 0; i < count; i++)
            {
                fat[(k * perSector) + i] = U32(sector, i * 4);
            }
        }

        _fat = fat;
    }

    private CompoundEntry[] ReadDirectory(List<MimeDefect> defects)
    {
        ReadOnlySpan<byte> header = _data.Span;
        bool version3 = _sectorBytes == 512;
        long maxBytes = (long)_options.MaxDirectoryEntries * DirectoryEntryBytes;
        byte[] directory = ReadChain(U32(header, 48), -1, "directory", defects, maxBytes);
        int count = directory.Length / DirectoryEntryBytes;
        if (count >= _options.MaxDirectoryEntries && NextInChainExists(U32(header, 48), maxBytes))
        {
            OutlookDefects.Add(defects, MimeDefectKind.TooManyParts, $"the directory has more than {_options.MaxDirectoryEntries} entries; the rest were not read", 48);
        }

        var entries = new CompoundEntry[count];
        for (int id = 0; id < count; id++)
        {
            ReadOnlySpan<byte> raw = directory.AsSpan(id * DirectoryEntryBytes, DirectoryEntryBytes);
            int nameBytes = U16(raw, 64);
            if (nameBytes > 64 || nameBytes % 2 != 0)
            {
                nameBytes = Math.Min(64, nameBytes & ~1);
            }

            string name = Encoding.Unicode.GetString(raw[..Math.Max(0, nameBytes - 2)]);
            int nul = name.IndexOf('\0', StringComparison.Ordinal);
            if (nul >= 0)
            {
                name = name[..nul];
            }

            byte type = raw[66];
            CompoundEntryType kind = type is 0 or 1 or 2 or 5 ? (CompoundEntryType)type : CompoundEntryType.Unused;
            if (kind == CompoundEntryType.Unused && type != 0)
            {
                OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"directory entry {id} has unknown type {type}; ignored", 0);
            }

            ulong size = BinaryPrimitives.ReadUInt64LittleEndian(raw[120..]);
            if (version3)
            {
                // MS-CFB: version 3 readers ignore the high 32 bits, which old writers left uninitialised.
                size &= 0xFFFFFFFF;
            }

            entries[id] = new CompoundEntry(
                id,
                name,
                kind,
                Link(raw, 68, count),
                Link(raw, 72, count),
                Link(raw, 76, count),
                U32(raw, 116),
                (long)Math.Min(size, long.MaxValue));
        }

        return entries;
    }

    private bool NextInChainExists(uint start, long maxBytes)
    {
        long sectors = maxBytes / _sectorBytes;
        uint current = start;
        for (long i = 0; i < sectors && current < (uint)_fat.Length; i++)
        {
            current = _fat[current];
        }

        return current <= MaxRegularSector;
    }

    private static int Link(ReadOnlySpan<byte> raw, int offset, int count)
    {
        uint id = U32(raw, offset);
        return id == NoStream || id >= (uint)count ? -1 : (int)id;
    }

    private void ReadMiniStream(List<MimeDefect> defects)
    {
        ReadOnlySpan<byte> header = _data.Span;
        uint miniFatStart = U32(header, 60);
        byte[] miniFat = miniFatStart > MaxRegularSector
            ? []
            : ReadChain(miniFatStart, -1, "mini FAT", defects, (long)_sectorCount * _sectorBytes);
        _miniFat = new uint[miniFat.Length / 4];
        for (int i = 0; i < _miniFat.Length; i++)
        {
            _miniFat[i] = U32(miniFat, i * 4);
        }

        CompoundEntry root = _entries[0];
        if (root.StartSector > MaxRegularSector || root.Size == 0)
        {
            return;
        }

        long needed = (root.Size + _sectorBytes - 1) / _sectorBytes;
        List<int> sectors = ChainSectors(root.StartSector, Math.Min(needed, _sectorCount), "mini stream", defects, out bool complete);
        if (!complete && sectors.Count < needed)
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"the mini stream's chain has {sectors.Count} of {needed} sectors", 0);
        }

        _miniStreamSectors = [.. sectors];
        _miniStreamBytes = Math.Min(root.Size, (long)sectors.Count * _sectorBytes);
    }

    private byte[] ReadChain(uint start, int size, string what, List<MimeDefect> defects) =>
        ReadChain(start, size, what, defects, size);

    /// <summary>
    /// Reads a chain of regular sectors: exactly <paramref name="size"/> bytes when it is known, else up to the end of
    /// the chain and at most <paramref name="maxBytes"/>.
    /// </summary>
    private byte[] ReadChain(uint start, int size, string what, List<MimeDefect> defects, long maxBytes)
    {
        if (size == 0)
        {
            return [];
        }

        long maxSectors = Math.Min(_sectorCount, (maxBytes + _sectorBytes - 1) / _sectorBytes);
        List<int> sectors = ChainSectors(start, maxSectors, what, defects, out bool complete);
        long available = (long)sectors.Count * _sectorBytes;
        long length = size >= 0 ? Math.Min(size, available) : Math.Min(available, maxBytes);
        if (size >= 0 && available < size)
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"stream '{what}' declares {size} bytes but its sector chain holds {available}{(complete ? string.Empty : " (broken chain)")}", start * (long)_sectorBytes);
        }

        var result = new byte[length];
        for (int i = 0; i < sectors.Count && (long)i * _sectorBytes < length; i++)
        {
            ReadOnlySpan<byte> sector = Sector((uint)sectors[i]);
            int count = (int)Math.Min(_sectorBytes, length - ((long)i * _sectorBytes));
            sector[..count].CopyTo(result.AsSpan(i * _sectorBytes));
        }

        return result;
    }

    private byte[] ReadMiniChain(uint start, int size, string what, List<MimeDefect> defects)
    {
        if (size == 0)
        {
            return [];
        }

        // At most 64 mini sectors (the cutoff is 4096 bytes), so a small set detects loops.
        int needed = (size + MiniSectorBytes - 1) / MiniSectorBytes;
        var result = new byte[size];
        var seen = new HashSet<uint>();
        uint current = start;
        int read = 0;
        for (int i = 0; i < needed; i++)
        {
            long offset = (long)current * MiniSectorBytes;
            int count = Math.Min(MiniSectorBytes, size - read);
            string? problem = current > MaxRegularSector ? "ends early"
                : current >= (uint)_miniFat.Length || offset + count > _miniStreamBytes ? "points outside the mini stream"
                : !seen.Add(current) ? "loops"
                : null;
            if (problem is not null)
            {
                OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"stream '{what}': its mini sector chain {problem} at mini sector 0x{current:X} ({read} of {size} bytes read)", 0);
                return result[..read];
            }

            int regular = _miniStreamSectors[(int)(offset / _sectorBytes)];
            Sector((uint)regular).Slice((int)(offset % _sectorBytes), count).CopyTo(result.AsSpan(read));
            read += count;
            current = _miniFat[current];
        }

        return result;
    }

    /// <summary>Follows a FAT chain for at most <paramref name="maxSectors"/> sectors, stopping at loops and bad links.</summary>
    private List<int> ChainSectors(uint start, long maxSectors, string what, List<MimeDefect> defects, out bool complete)
    {
        var sectors = new List<int>((int)Math.Min(maxSectors, 1024));
        int stamp = NextStamp();
        uint current = start;
        complete = false;
        while (sectors.Count < maxSectors)
        {
            if (current == EndOfChain)
            {
                complete = true;
                return sectors;
            }

            if (current > MaxRegularSector || current >= (uint)_sectorCount)
            {
                OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"the sector chain of '{what}' {(current > MaxRegularSector ? "is broken" : "points outside the file")} at sector 0x{current:X}", 0);
                return sectors;
            }

            if (_visitStamps[current] == stamp)
            {
                OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"the sector chain of '{what}' loops at sector {current}", (current + 1L) * _sectorBytes);
                return sectors;
            }

            _visitStamps[current] = stamp;
            sectors.Add((int)current);
            current = current < (uint)_fat.Length ? _fat[current] : FreeSector;
        }

        complete = current == EndOfChain;
        return sectors;
    }

    private int NextStamp()
    {
        _stamp++;
        if (_stamp == int.MaxValue)
        {
            Array.Clear(_visitStamps);
            _stamp = 1;
        }

        return _stamp;
    }

    /// <summary>Sector <paramref name="id"/>, zero-padded when the file ends inside it.</summary>
    private ReadOnlySpan<byte> Sector(uint id)
    {
        long offset = ((long)id + 1) * _sectorBytes;
        ReadOnlySpan<byte> span = _data.Span;
        if (offset + _sectorBytes <= span.Length)
        {
            return span.Slice((int)offset, _sectorBytes);
        }

        var padded = new byte[_sectorBytes];
        if (offset < span.Length)
        {
            span[(int)offset..].CopyTo(padded);
        }

        return padded;
    }

    private static ushort U16(ReadOnlySpan<byte> span, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(span[offset..]);

    private static uint U32(ReadOnlySpan<byte> span, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(span[offset..]);
}
