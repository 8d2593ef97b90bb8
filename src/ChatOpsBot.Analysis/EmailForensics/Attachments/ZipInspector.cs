using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.EmailForensics.Attachments;

/// <summary>What a zip archive turned out to be.</summary>
internal sealed record ZipFacts(string ContentType, bool HasMacros, bool ExternalTemplate);

/// <summary>
/// Lists a zip archive's members with sizes and hashes, recursing into zips inside it, within the bounds of
/// <see cref="AttachmentInspectionOptions"/>. Corrupt archives and members become findings, never exceptions.
/// </summary>
internal sealed class ZipInspector(AttachmentInspectionOptions options, List<ArchiveMember> members, List<Finding> findings)
{
    private const int SniffBytes = ContentSniffer.HeadLength;
    private const long RatioFloorBytes = 1024 * 1024;

    private long _decompressedTotal;
    private bool _totalLimitReported;
    private int _limitedMembers;
    private string? _firstLimitedMember;
    private int _encryptedMembers;
    private string? _firstEncryptedMember;

    /// <summary>Inspects the archive in <paramref name="archive"/> (seekable, positioned anywhere).</summary>
    public ZipFacts Inspect(Stream archive, string subject) => Inspect(archive, prefix: string.Empty, depth: 1, subject);

    /// <summary>Adds the findings that summarise all archives inspected; call once after <see cref="Inspect(Stream, string)"/>.</summary>
    public void Summarise(string subject)
    {
        if (_encryptedMembers > 0)
        {
            findings.Add(new Finding("attachment.encrypted-archive", FindingSeverity.High,
                $"{subject} holds {_encryptedMembers} encrypted member(s) (first: {_firstEncryptedMember}); their content cannot be scanned, a common way to get malware past mail filters."));
        }

        if (_limitedMembers > 0)
        {
            findings.Add(new Finding("attachment.archive-limit", FindingSeverity.Medium,
                $"{_limitedMembers} archive member(s) (first: {_firstLimitedMember}) were not hashed because they decompress past the size or ratio limits (a zip bomb, or just very large)."));
        }
    }

    private ZipFacts Inspect(Stream archive, string prefix, int depth, string subject)
    {
        string label = prefix.Length == 0 ? subject : $"Nested archive {prefix.TrimEnd('/')}";
        try
        {
            long? declaredEntries = DeclaredEntryCount(archive);
            if (declaredEntries is null)
            {
                findings.Add(new Finding("attachment.corrupt-archive", FindingSeverity.Medium,
                    $"{label} starts like a zip file but has no readable central directory; it cannot be listed."));
                return new ZipFacts(ContentSniffer.Zip, false, false);
            }

            if (declaredEntries > options.MaxArchiveEntries)
            {
                findings.Add(new Finding("attachment.archive-limit", FindingSeverity.Medium,
                    $"{label} declares {declaredEntries} entries, more than the limit of {options.MaxArchiveEntries}; it was not listed."));
                return new ZipFacts(ContentSniffer.Zip, false, false);
            }

            archive.Position = 0;
            using var zip = new ZipArchive(archive, ZipArchiveMode.Read, leaveOpen: true);
            return InspectEntries(zip, prefix, depth, label);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or NotSupportedException or ArgumentException)
        {
            findings.Add(new Finding("attachment.corrupt-archive", FindingSeverity.Medium,
                $"{label} is a damaged zip archive ({exception.Message}); members listed before the damage are kept."));
            return new ZipFacts(ContentSniffer.Zip, false, false);
        }
    }

    private ZipFacts InspectEntries(ZipArchive zip, string prefix, int depth, string label)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        bool macroContentType = false;
        bool externalTemplate = false;
        bool hasVbaProject = false;
        string? odfMimeType = null;
        int listed = 0;
        System.Collections.ObjectModel.ReadOnlyCollection<ZipArchiveEntry> entries = zip.Entries;
        foreach (ZipArchiveEntry entry in entries)
        {
            string fullName = entry.FullName;
            names.Add(fullName);
            hasVbaProject |= fullName.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase);
            if (fullName.EndsWith('/') && entry.Length == 0)
            {
                continue;
            }

            if (listed >= options.MaxListedMembers)
            {
                continue;
            }

            listed++;
            string memberName = prefix + fullName;
            if (entry.IsEncrypted)
            {
                _encryptedMembers++;
                _firstEncryptedMember ??= memberName;
                members.Add(new ArchiveMember(memberName, entry.Length, entry.CompressedLength, true, null, null, null) { Depth = depth });
                FileNameAnalysis.Analyse(fullName, $"Archive member {memberName}", findings);
                AddMemberTypeFindings(memberName, null, fullName);
                continue;
            }

            MemberContent content = ReadMember(entry, memberName, depth);
            members.Add(new ArchiveMember(memberName, content.Hashed ? content.Length : entry.Length, entry.CompressedLength, false,
                content.Sha256, content.Md5, content.Sha1)
            {
                Depth = depth,
                SniffedContentType = content.SniffedContentType,
            });
            FileNameAnalysis.Analyse(fullName, $"Archive member {memberName}", findings);
            AddMemberTypeFindings(memberName, content.SniffedContentType, fullName);

            if (fullName.Equals("[Content_Types].xml", StringComparison.OrdinalIgnoreCase) && content.Text is not null)
            {
                macroContentType = content.Text.Contains("macroEnabled", StringComparison.OrdinalIgnoreCase);
            }
            else if (fullName.EndsWith("_rels/settings.xml.rels", StringComparison.OrdinalIgnoreCase) && content.Text is not null)
            {
                externalTemplate |= content.Text.Contains("attachedTemplate", StringComparison.OrdinalIgnoreCase)
                    && content.Text.Contains("TargetMode=\"External\"", StringComparison.OrdinalIgnoreCase);
            }
            else if (fullName == "mimetype" && content.Text is not null)
            {
                odfMimeType = content.Text.Trim();
            }

            if (content.NestedArchive is not null)
            {
                using MemoryStream nested = content.NestedArchive;
                ZipFacts inner = Inspect(nested, memberName + "/", depth + 1, label);
                if (inner.HasMacros)
                {
                    findings.Add(new Finding("attachment.macro-office", FindingSeverity.High,
                        $"Archive member {memberName} is a macro-enabled Office document ({inner.ContentType})."));
                }
            }
        }

        if (entries.Count - names.Count(name => name.EndsWith('/')) > options.MaxListedMembers)
        {
            findings.Add(new Finding("attachment.archive-limit", FindingSeverity.Low,
                $"{label} has {entries.Count} entries; only the first {options.MaxListedMembers} are listed."));
        }

        bool macros = hasVbaProject || macroContentType;
        return new ZipFacts(ZipContentType(names, macros, odfMimeType), macros, externalTemplate);
    }

    private void AddMemberTypeFindings(string memberName, string? sniffedContentType, string fullName)
    {
        TypeGroup byContent = TypeGroups.OfContentType(sniffedContentType);
        TypeGroup byName = TypeGroups.OfExtension(FileNameAnalysis.EffectiveExtension(fullName));
        if (byContent is TypeGroup.Executable || byName is TypeGroup.Executable or TypeGroup.Script or TypeGroup.Shortcut or TypeGroup.HelpFile
            || byContent is TypeGroup.Shortcut)
        {
            findings.Add(new Finding("attachment.executable", FindingSeverity.High,
                $"Archive member {memberName} is {(byContent is TypeGroup.Executable or TypeGroup.Shortcut ? $"executable content ({sniffedContentType})" : "an executable or script by its extension")}."));
        }
        else if (byContent is TypeGroup.DiskImage || byName is TypeGroup.DiskImage)
        {
            findings.Add(new Finding("attachment.disk-image", FindingSeverity.High,
                $"Archive member {memberName} is a disk image; files inside it lose the mark-of-the-web when mounted."));
        }
    }

    private static string ZipContentType(HashSet<string> names, bool macros, string? odfMimeType)
    {
        if (names.Contains("[Content_Types].xml"))
        {
            if (names.Contains("word/document.xml") || names.Any(name => name.StartsWith("word/", StringComparison.OrdinalIgnoreCase)))
            {
                return macros ? "application/vnd.ms-word.document.macroEnabled.12" : "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
            }

            if (names.Any(name => name.StartsWith("xl/", StringComparison.OrdinalIgnoreCase)))
            {
                return macros ? "application/vnd.ms-excel.sheet.macroEnabled.12" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            }

            if (names.Any(name => name.StartsWith("ppt/", StringComparison.OrdinalIgnoreCase)))
            {
                return macros ? "application/vnd.ms-powerpoint.presentation.macroEnabled.12" : "application/vnd.openxmlformats-officedocument.presentationml.presentation";
            }
        }

        if (names.Contains("AndroidManifest.xml") && names.Contains("classes.dex"))
        {
            return "application/vnd.android.package-archive";
        }

        if (names.Contains("META-INF/MANIFEST.MF"))
        {
            return "application/java-archive";
        }

        if (odfMimeType is not null && odfMimeType.StartsWith("application/vnd.oasis.opendocument", StringComparison.Ordinal) && odfMimeType.Length < 100)
        {
            return odfMimeType;
        }

        return ContentSniffer.Zip;
    }

    private sealed record MemberContent(bool Hashed, long Length, string? Sha256, string? Md5, string? Sha1, string? SniffedContentType, string? Text, MemoryStream? NestedArchive);

    private MemberContent ReadMember(ZipArchiveEntry entry, string memberName, int depth)
    {
        long memberLimit = Math.Min(options.MaxMemberBytes, options.MaxTotalDecompressedBytes - _decompressedTotal);
        if (entry.Length > options.MaxMemberBytes || memberLimit <= 0)
        {
            NoteLimited(memberName, memberLimit <= 0);
            return new MemberContent(false, entry.Length, null, null, null, null, null, null);
        }

        long ratioLimit = Math.Max(RatioFloorBytes, entry.CompressedLength * options.MaxCompressionRatio);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(81_920);
        var head = new MemoryStream();
        MemoryStream? nested = null;
        bool nestedDecided = false;
        bool captureText = IsSmallTextPart(entry.FullName);
        int used = 0;
        try
        {
            using var hashes = new MultiHash();
            using Stream stream = entry.Open();
            long total = 0;
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                used = Math.Max(used, read);
                total += read;
                _decompressedTotal += read;
                if (total > memberLimit || total > ratioLimit)
                {
                    NoteLimited(memberName, _decompressedTotal >= options.MaxTotalDecompressedBytes);
                    nested?.Dispose();
                    return new MemberContent(false, entry.Length, null, null, null, Sniff(head), null, null);
                }

                ReadOnlySpan<byte> chunk = buffer.AsSpan(0, read);
                hashes.Append(chunk);
                int toHead = (int)Math.Min(chunk.Length, SniffBytes - head.Length);
                head.Write(chunk[..toHead]);
                if (nested is not null)
                {
                    if (nested.Length + chunk.Length > options.MaxNestedArchiveBytes)
                    {
                        nested.Dispose();
                        nested = null;
                        nestedDecided = true;
                    }
                    else
                    {
                        nested.Write(chunk);
                    }
                }
                else if (!nestedDecided && head.Length >= 4)
                {
                    // Everything read so far is in the head at this point, so the copy starts complete.
                    nestedDecided = true;
                    bool isZip = head.GetBuffer().AsSpan(0, 4).SequenceEqual("PK\x03\x04"u8);
                    if (isZip && (depth >= options.MaxArchiveDepth || entry.Length > options.MaxNestedArchiveBytes))
                    {
                        findings.Add(new Finding("attachment.archive-limit", FindingSeverity.Low,
                            $"Archive member {memberName} is itself an archive beyond the nesting or size limit; its members were not listed."));
                    }
                    else if (isZip)
                    {
                        nested = new MemoryStream();
                        nested.Write(head.GetBuffer(), 0, (int)head.Length);
                        nested.Write(chunk[toHead..]);
                    }
                }
            }

            (string md5, string sha1, string sha256) = hashes.Finish();
            string? text = captureText ? Encoding.UTF8.GetString(head.GetBuffer(), 0, (int)head.Length) : null;
            return new MemberContent(true, total, sha256, md5, sha1, Sniff(head), text, nested);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or NotSupportedException)
        {
            nested?.Dispose();
            findings.Add(new Finding("attachment.corrupt-archive", FindingSeverity.Medium,
                $"Archive member {memberName} cannot be decompressed ({exception.Message})."));
            return new MemberContent(false, entry.Length, null, null, null, null, null, null);
        }
        finally
        {
            buffer.AsSpan(0, used).Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Sniff(MemoryStream head) => ContentSniffer.Sniff(head.GetBuffer().AsSpan(0, (int)head.Length));

    private static bool IsSmallTextPart(string name) =>
        name.Equals("[Content_Types].xml", StringComparison.OrdinalIgnoreCase) || name == "mimetype"
        || name.EndsWith("_rels/settings.xml.rels", StringComparison.OrdinalIgnoreCase);

    private void NoteLimited(string memberName, bool totalExhausted)
    {
        _limitedMembers++;
        _firstLimitedMember ??= memberName;
        if (totalExhausted && !_totalLimitReported)
        {
            _totalLimitReported = true;
            findings.Add(new Finding("attachment.archive-limit", FindingSeverity.Medium,
                $"Decompressing the archive reached the total limit of {options.MaxTotalDecompressedBytes} bytes; later members were not hashed."));
        }
    }

    /// <summary>
    /// Entry count from the end-of-central-directory record (ZIP64 aware), read before <see cref="ZipArchive"/>
    /// materialises every entry; null when no record is found.
    /// </summary>
    private static long? DeclaredEntryCount(Stream archive)
    {
        const int EocdSize = 22;
        long length = archive.Length;
        if (length < EocdSize)
        {
            return null;
        }

        int tailLength = (int)Math.Min(length, EocdSize + ushort.MaxValue + 20);
        byte[] tail = new byte[tailLength];
        archive.Position = length - tailLength;
        archive.ReadExactly(tail);
        int eocd = tail.AsSpan().LastIndexOf("PK\x05\x06"u8);
        if (eocd < 0 || eocd + EocdSize > tail.Length)
        {
            return null;
        }

        long entries = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(eocd + 10));
        if (entries != ushort.MaxValue)
        {
            return entries;
        }

        // ZIP64: the locator just before the record points at the ZIP64 end record, whose entry count is at +32.
        int locator = eocd - 20;
        if (locator < 0 || !tail.AsSpan(locator).StartsWith("PK\x06\x07"u8))
        {
            return entries;
        }

        long zip64Offset = BinaryPrimitives.ReadInt64LittleEndian(tail.AsSpan(locator + 8));
        if (zip64Offset < 0 || zip64Offset + 40 > length)
        {
            return null;
        }

        Span<byte> record = stackalloc byte[40];
        archive.Position = zip64Offset;
        archive.ReadExactly(record);
        return record.StartsWith("PK\x06\x06"u8) ? (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(record[32..]), long.MaxValue) : null;
    }
}

/// <summary>MD5, SHA-1 and SHA-256 fed from one pass over the bytes.</summary>
internal sealed class MultiHash : IDisposable
{
    // MD5 and SHA-1 are not used for security here: they are the identifiers threat-intel services index files by.
#pragma warning disable CA5350, CA5351
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
#pragma warning restore CA5350, CA5351
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    private const int ParallelThreshold = 256 * 1024;

    public void Append(ReadOnlySpan<byte> data)
    {
        _md5.AppendData(data);
        _sha1.AppendData(data);
        _sha256.AppendData(data);
    }

    /// <summary>
    /// Appends a large chunk with MD5 on one core and SHA-1 + SHA-256 on another: MD5 alone is as slow as the other two
    /// together, so this roughly doubles throughput on multi-core machines (each hash still sees its bytes in order).
    /// </summary>
    public void Append(byte[] buffer, int count)
    {
        if (count < ParallelThreshold || Environment.ProcessorCount < 2)
        {
            Append(buffer.AsSpan(0, count));
            return;
        }

        Parallel.Invoke(
            () => _md5.AppendData(buffer, 0, count),
            () =>
            {
                _sha1.AppendData(buffer, 0, count);
                _sha256.AppendData(buffer, 0, count);
            });
    }

    /// <summary>The three hashes of data held whole, without creating incremental hash state.</summary>
    public static (string Md5, string Sha1, string Sha256) HashOnce(ReadOnlySpan<byte> data)
    {
        // The digests go to the stack: only the hex strings are allocated.
        Span<byte> md5 = stackalloc byte[MD5.HashSizeInBytes];
        Span<byte> sha1 = stackalloc byte[SHA1.HashSizeInBytes];
        Span<byte> sha256 = stackalloc byte[SHA256.HashSizeInBytes];
#pragma warning disable CA5350, CA5351
        MD5.HashData(data, md5);
        SHA1.HashData(data, sha1);
#pragma warning restore CA5350, CA5351
        SHA256.HashData(data, sha256);
        return (Convert.ToHexStringLower(md5), Convert.ToHexStringLower(sha1), Convert.ToHexStringLower(sha256));
    }

    public (string Md5, string Sha1, string Sha256) Finish()
    {
        Span<byte> md5 = stackalloc byte[MD5.HashSizeInBytes];
        Span<byte> sha1 = stackalloc byte[SHA1.HashSizeInBytes];
        Span<byte> sha256 = stackalloc byte[SHA256.HashSizeInBytes];
        _md5.GetHashAndReset(md5);
        _sha1.GetHashAndReset(sha1);
        _sha256.GetHashAndReset(sha256);
        return (Convert.ToHexStringLower(md5), Convert.ToHexStringLower(sha1), Convert.ToHexStringLower(sha256));
    }

    public void Dispose()
    {
        _md5.Dispose();
        _sha1.Dispose();
        _sha256.Dispose();
    }
}
