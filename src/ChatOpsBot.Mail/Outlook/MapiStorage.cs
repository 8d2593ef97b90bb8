using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>Property ids (MS-OXPROPS) the forensic view reads, without their type.</summary>
internal static class MapiId
{
    public const ushort MessageClass = 0x001A;
    public const ushort Subject = 0x0037;
    public const ushort ClientSubmitTime = 0x0039;
    public const ushort SentRepresentingName = 0x0042;
    public const ushort SentRepresentingAddressType = 0x0064;
    public const ushort SentRepresentingEmailAddress = 0x0065;
    public const ushort TransportMessageHeaders = 0x007D;
    public const ushort RecipientType = 0x0C15;
    public const ushort SenderName = 0x0C1A;
    public const ushort SenderAddressType = 0x0C1E;
    public const ushort SenderEmailAddress = 0x0C1F;
    public const ushort DisplayBcc = 0x0E02;
    public const ushort DisplayCc = 0x0E03;
    public const ushort DisplayTo = 0x0E04;
    public const ushort MessageDeliveryTime = 0x0E06;
    public const ushort Body = 0x1000;
    public const ushort RtfCompressed = 0x1009;
    public const ushort Html = 0x1013;
    public const ushort InternetMessageId = 0x1035;
    public const ushort InternetReferences = 0x1039;
    public const ushort InReplyToId = 0x1042;
    public const ushort DisplayName = 0x3001;
    public const ushort AddressType = 0x3002;
    public const ushort EmailAddress = 0x3003;
    public const ushort AttachData = 0x3701;
    public const ushort AttachFileName = 0x3704;
    public const ushort AttachMethod = 0x3705;
    public const ushort AttachLongFileName = 0x3707;
    public const ushort AttachPathName = 0x3708;
    public const ushort AttachLongPathName = 0x370D;
    public const ushort AttachMimeTag = 0x370E;
    public const ushort AttachContentId = 0x3712;
    public const ushort AttachFlags = 0x3714;
    public const ushort SmtpAddress = 0x39FE;
    public const ushort InternetCodePage = 0x3FDE;
    public const ushort MessageCodePage = 0x3FFD;
    public const ushort SenderSmtpAddress = 0x5D01;
    public const ushort SentRepresentingSmtpAddress = 0x5D02;
    public const ushort AttachmentHidden = 0x7FFE;
}

/// <summary>Property types (MS-OXCDATA 2.11.1) that the reader interprets.</summary>
internal static class MapiType
{
    public const ushort Int32 = 0x0003;
    public const ushort Boolean = 0x000B;
    public const ushort Object = 0x000D;
    public const ushort String8 = 0x001E;
    public const ushort Unicode = 0x001F;
    public const ushort SysTime = 0x0040;
    public const ushort Binary = 0x0102;
}

/// <summary>What kind of storage holds a property stream; it decides the stream's header size (MS-OXMSG 2.4).</summary>
internal enum MapiStorageKind
{
    TopLevelMessage,
    EmbeddedMessage,
    RecipientOrAttachment,
}

/// <summary>
/// The properties of one storage of a .msg file (MS-OXMSG): fixed-size values from <c>__properties_version1.0</c>,
/// variable-size values from the <c>__substg1.0_IIIITTTT</c> streams, sub-storages by name.
/// </summary>
internal sealed class MapiStorage
{
    public const string PropertiesStream = "__properties_version1.0";
    public const string RecipientPrefix = "__recip_version1.0_#";
    public const string AttachmentPrefix = "__attach_version1.0_#";

    private readonly CompoundFile _file;
    private readonly Dictionary<string, CompoundEntry> _children;
    private readonly Dictionary<uint, ulong> _fixed = [];
    private readonly List<MimeDefect> _defects;

    private MapiStorage(CompoundFile file, CompoundEntry storage, Dictionary<string, CompoundEntry> children, List<MimeDefect> defects)
    {
        _file = file;
        Entry = storage;
        _children = children;
        _defects = defects;
    }

    public CompoundEntry Entry { get; }

    /// <summary>Whether the storage has a property stream (a real MAPI object rather than an arbitrary storage).</summary>
    public bool HasPropertyStream { get; private set; }

    /// <summary>The code page of 8-bit strings; set by the reader once it knows the message's code page.</summary>
    public Encoding EightBit { get; set; } = Charsets.Windows1252;

    public static MapiStorage Open(CompoundFile file, CompoundEntry storage, MapiStorageKind kind, List<MimeDefect> defects)
    {
        var children = new Dictionary<string, CompoundEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (CompoundEntry child in file.Children(storage, defects))
        {
            if (!children.TryAdd(child.Name, child))
            {
                OutlookDefects.Add(defects, MimeDefectKind.InvalidCompoundFile, $"storage '{storage.Name}' has two entries named '{child.Name}'; the first is used", 0);
            }
        }

        var result = new MapiStorage(file, storage, children, defects);
        result.ReadFixedProperties(kind);
        return result;
    }

    /// <summary>Sub-storages whose name starts with <paramref name="prefix"/>, by the hex number after it.</summary>
    public IEnumerable<CompoundEntry> NumberedStorages(string prefix) =>
        _children.Values
            .Where(e => e.IsStorage && e.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => uint.TryParse(e.Name.AsSpan(prefix.Length), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint n) ? n : uint.MaxValue)
            .ThenBy(e => e.Name, StringComparer.Ordinal);

    public int? GetInt32(ushort id) =>
        _fixed.TryGetValue(Tag(id, MapiType.Int32), out ulong value) ? (int)(uint)value : null;

    public bool? GetBoolean(ushort id) =>
        _fixed.TryGetValue(Tag(id, MapiType.Boolean), out ulong value) ? (value & 0xFFFF) != 0 : null;

    public DateTimeOffset? GetTime(ushort id)
    {
        if (!_fixed.TryGetValue(Tag(id, MapiType.SysTime), out ulong value))
        {
            return null;
        }

        // FILETIME: 100 ns ticks since 1601-01-01 UTC; out-of-range values (hostile or unset) are ignored.
        const long maxFileTime = 2650467743999999999; // 9999-12-31T23:59:59.9999999Z
        if (value == 0 || value > maxFileTime)
        {
            return null;
        }

        return new DateTimeOffset(DateTime.FromFileTimeUtc((long)value));
    }

    /// <summary>A string property: the Unicode form when present, else the 8-bit form in <see cref="EightBit"/>; cut at the first NUL.</summary>
    public string? GetString(ushort id)
    {
        if (ReadValue(id, MapiType.Unicode) is { } unicode)
        {
            return CutAtNul(Encoding.Unicode.GetString(unicode, 0, unicode.Length & ~1));
        }

        if (ReadValue(id, MapiType.String8) is { } eightBit)
        {
            return CutAtNul(EightBit.GetString(eightBit));
        }

        return null;
    }

    public byte[]? GetBinary(ushort id) => ReadValue(id, MapiType.Binary);

    public bool HasStream(ushort id, ushort type) => _children.TryGetValue(StreamName(id, type), out CompoundEntry? e) && e.IsStream;

    /// <summary>The storage holding a PT_OBJECT property (an embedded message or OLE object), or null.</summary>
    public CompoundEntry? GetObjectStorage(ushort id) =>
        _children.TryGetValue(StreamName(id, MapiType.Object), out CompoundEntry? entry) && entry.IsStorage ? entry : null;

    private byte[]? ReadValue(ushort id, ushort type) =>
        _children.TryGetValue(StreamName(id, type), out CompoundEntry? entry) && entry.IsStream ? _file.ReadStream(entry, _defects) : null;

    private void ReadFixedProperties(MapiStorageKind kind)
    {
        if (!_children.TryGetValue(PropertiesStream, out CompoundEntry? entry) || !entry.IsStream)
        {
            return;
        }

        HasPropertyStream = true;
        byte[]? stream = _file.ReadStream(entry, _defects);
        if (stream is null)
        {
            return;
        }

        int headerBytes = kind switch
        {
            MapiStorageKind.TopLevelMessage => 32,
            MapiStorageKind.EmbeddedMessage => 24,
            _ => 8,
        };
        if (stream.Length < headerBytes)
        {
            OutlookDefects.Add(_defects, MimeDefectKind.InvalidOutlookProperty, $"the property stream of '{Entry.Name}' has {stream.Length} bytes, shorter than its {headerBytes}-byte header", 0);
            return;
        }

        if ((stream.Length - headerBytes) % 16 != 0)
        {
            OutlookDefects.Add(_defects, MimeDefectKind.InvalidOutlookProperty, $"the property stream of '{Entry.Name}' ends inside an entry", 0);
        }

        for (int at = headerBytes; at + 16 <= stream.Length; at += 16)
        {
            uint tag = BinaryPrimitives.ReadUInt32LittleEndian(stream.AsSpan(at));
            ulong value = BinaryPrimitives.ReadUInt64LittleEndian(stream.AsSpan(at + 8));
            _fixed.TryAdd(tag, value);
        }
    }

    private static uint Tag(ushort id, ushort type) => ((uint)id << 16) | type;

    private static string StreamName(ushort id, ushort type) => $"__substg1.0_{id:X4}{type:X4}";

    private static string CutAtNul(string value)
    {
        int nul = value.IndexOf('\0', StringComparison.Ordinal);
        return nul >= 0 ? value[..nul] : value;
    }
}
