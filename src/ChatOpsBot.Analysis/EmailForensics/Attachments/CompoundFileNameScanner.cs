using System.Buffers.Binary;
using System.Text;

namespace ChatOpsBot.Analysis.EmailForensics.Attachments;

/// <summary>
/// Collects the stream/storage names of an OLE compound file (doc/xls/ppt/msg/msi) while its bytes stream past, without
/// following sector chains: directory entries are 128 bytes, always 128-byte aligned, and start with a UTF-16LE name
/// whose byte length (terminator included) sits at 0x40 and an object type (1 storage, 2 stream, 5 root) at 0x42.
/// Recognising "Macros"/"_VBA_PROJECT" this way needs no random access, so it works on non-seekable streams.
/// </summary>
internal sealed class CompoundFileNameScanner
{
    private const int EntrySize = 128;
    private const int MaxNames = 4_096;

    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlySet<string> Names => _names;

    /// <summary>Scans one chunk that starts at <paramref name="offset"/> in the file (a multiple of 128).</summary>
    public void Scan(ReadOnlySpan<byte> chunk, long offset)
    {
        int first = (int)((EntrySize - (offset % EntrySize)) % EntrySize);
        for (int position = first; position + EntrySize <= chunk.Length && _names.Count < MaxNames; position += EntrySize)
        {
            ReadOnlySpan<byte> entry = chunk.Slice(position, EntrySize);
            int nameBytes = BinaryPrimitives.ReadUInt16LittleEndian(entry[0x40..]);
            byte objectType = entry[0x42];
            if (nameBytes is < 4 or > 64 || nameBytes % 2 != 0 || objectType is not (1 or 2 or 5))
            {
                continue;
            }

            int length = (nameBytes / 2) - 1;
            ReadOnlySpan<byte> nameSpan = entry[..(length * 2)];
            if (BinaryPrimitives.ReadUInt16LittleEndian(entry[(length * 2)..]) != 0)
            {
                continue;
            }

            _names.Add(Encoding.Unicode.GetString(nameSpan));
        }
    }

    public bool HasMacros => _names.Contains("Macros") || _names.Contains("VBA") || _names.Any(name => name.StartsWith("_VBA_PROJECT", StringComparison.OrdinalIgnoreCase));

    public bool IsEncryptedOoxml => _names.Contains("EncryptedPackage");

    /// <summary>The document type the names reveal, or the generic OLE type.</summary>
    public string ContentType()
    {
        if (_names.Contains("WordDocument"))
        {
            return "application/msword";
        }

        if (_names.Contains("Workbook") || _names.Contains("Book"))
        {
            return "application/vnd.ms-excel";
        }

        if (_names.Contains("PowerPoint Document"))
        {
            return "application/vnd.ms-powerpoint";
        }

        if (_names.Contains("__properties_version1.0") || _names.Any(name => name.StartsWith("__substg1.0_", StringComparison.OrdinalIgnoreCase)))
        {
            return "application/vnd.ms-outlook";
        }

        return ContentSniffer.OleStorage;
    }
}
