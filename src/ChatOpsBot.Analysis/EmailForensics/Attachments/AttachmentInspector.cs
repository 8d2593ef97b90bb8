using System.Buffers;
using System.Text;
using AngleSharp.Html.Parser;
using AngleSharp.Html.Parser.Tokens;
using ChatOpsBot.Analysis.EmailForensics.Links;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.EmailForensics.Attachments;

/// <summary>
/// Forensics of one attachment: hashes, sniffed type, archive listing and the findings that make it suspicious
/// (executables, double extensions, bidi tricks, macros, encrypted archives, type mismatches, HTML smuggling).
/// The content is read once, in chunks, for all three hashes; a seekable stream is re-read to list an archive,
/// a non-seekable one is copied to memory only when it is an archive, and only up to
/// <see cref="AttachmentInspectionOptions.MaxBufferedArchiveBytes"/>.
/// </summary>
public static class AttachmentInspector
{
    private const int ChunkSize = 1024 * 1024;

    public static AttachmentReport Inspect(string? fileName, string? declaredContentType, Stream content, AttachmentInspectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        options ??= AttachmentInspectionOptions.Default;
        options.Validate();

        var findings = new List<Finding>();
        var members = new List<ArchiveMember>();
        string subject = string.IsNullOrEmpty(fileName) ? "Attachment" : $"Attachment \"{fileName}\"";
        string? extension = FileNameAnalysis.EffectiveExtension(fileName);
        bool declaredScriptLike = TypeGroups.OfExtension(extension) is TypeGroup.Html or TypeGroup.Script
            || TypeGroups.OfContentType(declaredContentType) is TypeGroup.Html or TypeGroup.Script;

        long start = content.CanSeek ? content.Position : 0;
        PassResult pass = ReadOnce(content, options, declaredScriptLike);
        string sniffed = pass.SniffedContentType;

        if (pass.Size == 0)
        {
            findings.Add(new Finding("attachment.empty", FindingSeverity.Info, $"{subject} is empty (0 bytes)."));
        }

        if (sniffed == ContentSniffer.Zip)
        {
            sniffed = InspectZip(content, start, pass, options, members, findings, subject);
        }
        else if (pass.CompoundFile is not null)
        {
            sniffed = InspectCompoundFile(pass.CompoundFile, findings, subject);
        }

        FileNameAnalysis.Analyse(fileName, subject, findings);
        AddTypeFindings(extension, declaredContentType, sniffed, findings, subject);

        IReadOnlyList<ExtractedUrl> urls = [];
        if (pass.ScriptText is not null)
        {
            urls = InspectScriptText(pass.ScriptText, sniffed, findings, subject);
        }

        return new AttachmentReport(fileName, declaredContentType, sniffed, pass.Size, pass.Md5, pass.Sha1, pass.Sha256)
        {
            ArchiveMembers = members,
            Findings = Deduplicate(findings),
            Urls = urls,
        };
    }

    private sealed record PassResult(long Size, string Md5, string Sha1, string Sha256, string SniffedContentType,
        MemoryStream? ArchiveCopy, bool ArchiveCopyOverflowed, CompoundFileNameScanner? CompoundFile, string? ScriptText);

    private static PassResult ReadOnce(Stream content, AttachmentInspectionOptions options, bool declaredScriptLike)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);

        // Most attachments fit in one chunk: they are hashed in one call each, without incremental hash state.
        MultiHash? hashes = null;
        (string Md5, string Sha1, string Sha256)? oneShot = null;
        long size = 0;
        string sniffed = "application/x-empty";
        MemoryStream? archiveCopy = null;
        bool archiveCopyOverflowed = false;
        CompoundFileNameScanner? compoundFile = null;
        MemoryStream? scriptCapture = null;
        int used = 0;
        try
        {
            while (true)
            {
                // Filling whole chunks keeps every chunk 128-byte aligned for the compound-file scan and puts the full
                // signature window (0x9006 bytes) in the first one.
                int read = content.ReadAtLeast(buffer.AsSpan(0, ChunkSize), ChunkSize, throwOnEndOfStream: false);
                used = Math.Max(used, read);
                if (read == 0)
                {
                    break;
                }

                ReadOnlySpan<byte> chunk = buffer.AsSpan(0, read);
                if (size == 0 && read < ChunkSize)
                {
                    oneShot = MultiHash.HashOnce(chunk);
                }
                else
                {
                    (hashes ??= new MultiHash()).Append(buffer, read);
                }

                if (size == 0)
                {
                    sniffed = ContentSniffer.Sniff(chunk[..Math.Min(read, ContentSniffer.HeadLength)]);
                    if (sniffed == ContentSniffer.Zip && !content.CanSeek)
                    {
                        archiveCopy = new MemoryStream();
                    }
                    else if (sniffed == ContentSniffer.OleStorage)
                    {
                        compoundFile = new CompoundFileNameScanner();
                    }

                    if (declaredScriptLike || IsScriptLike(sniffed))
                    {
                        scriptCapture = new MemoryStream();
                    }
                }

                if (archiveCopy is not null)
                {
                    if (archiveCopy.Length + read > options.MaxBufferedArchiveBytes)
                    {
                        archiveCopy.Dispose();
                        archiveCopy = null;
                        archiveCopyOverflowed = true;
                    }
                    else
                    {
                        archiveCopy.Write(chunk);
                    }
                }

                compoundFile?.Scan(chunk, size);
                if (scriptCapture is not null && scriptCapture.Length < options.MaxScriptScanBytes)
                {
                    scriptCapture.Write(chunk[..(int)Math.Min(read, options.MaxScriptScanBytes - scriptCapture.Length)]);
                }

                size += read;
                if (read < ChunkSize)
                {
                    break;
                }
            }

            (string md5, string sha1, string sha256) = oneShot ?? hashes?.Finish() ?? MultiHash.HashOnce([]);
            string? scriptText = scriptCapture is null ? null : Encoding.UTF8.GetString(scriptCapture.GetBuffer(), 0, (int)scriptCapture.Length);
            return new PassResult(size, md5, sha1, sha256, sniffed, archiveCopy, archiveCopyOverflowed, compoundFile, scriptText);
        }
        finally
        {
            scriptCapture?.Dispose();
            hashes?.Dispose();
            // Only what held attachment bytes is cleared: the whole 1 MiB chunk per attachment costs more than the
            // analysis of a small message.
            buffer.AsSpan(0, used).Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsScriptLike(string contentType) =>
        TypeGroups.OfContentType(contentType) is TypeGroup.Html or TypeGroup.Script;

    private static string InspectZip(Stream content, long start, PassResult pass, AttachmentInspectionOptions options,
        List<ArchiveMember> members, List<Finding> findings, string subject)
    {
        if (pass.ArchiveCopyOverflowed)
        {
            findings.Add(new Finding("attachment.archive-limit", FindingSeverity.Medium,
                $"{subject} is a zip archive larger than {options.MaxBufferedArchiveBytes} bytes on a stream that cannot seek; it was not listed."));
            return ContentSniffer.Zip;
        }

        if (options.MaxArchiveDepth == 0)
        {
            return ContentSniffer.Zip;
        }

        Stream archive;
        if (pass.ArchiveCopy is not null)
        {
            archive = pass.ArchiveCopy;
        }
        else
        {
            // The caller's stream was read to its end; view it from where it started.
            archive = start == 0 ? content : new OffsetStream(content, start);
        }

        try
        {
            var zip = new ZipInspector(options, members, findings);
            ZipFacts facts = zip.Inspect(archive, subject);
            zip.Summarise(subject);
            if (facts.HasMacros)
            {
                findings.Add(new Finding("attachment.macro-office", FindingSeverity.High,
                    $"{subject} is a macro-enabled Office document ({facts.ContentType}); macros run code when enabled."));
            }

            if (facts.ExternalTemplate)
            {
                findings.Add(new Finding("attachment.external-template", FindingSeverity.High,
                    $"{subject} loads its template from an external address when opened (remote template injection)."));
            }

            return facts.ContentType;
        }
        finally
        {
            pass.ArchiveCopy?.Dispose();
        }
    }

    private static string InspectCompoundFile(CompoundFileNameScanner compoundFile, List<Finding> findings, string subject)
    {
        string contentType = compoundFile.ContentType();
        if (compoundFile.HasMacros)
        {
            findings.Add(new Finding("attachment.macro-office", FindingSeverity.High,
                $"{subject} is an Office document with a VBA macro project; macros run code when enabled."));
        }

        if (compoundFile.IsEncryptedOoxml)
        {
            findings.Add(new Finding("attachment.encrypted-document", FindingSeverity.Medium,
                $"{subject} is a password-protected Office document; its content cannot be scanned."));
        }

        return contentType;
    }

    /// <param name="extension">The file name's <see cref="FileNameAnalysis.EffectiveExtension"/>.</param>
    private static void AddTypeFindings(string? extension, string? declaredContentType, string sniffed, List<Finding> findings, string subject)
    {
        TypeGroup sniffedGroup = TypeGroups.OfContentType(sniffed);
        TypeGroup extensionGroup = TypeGroups.OfExtension(extension);
        TypeGroup declaredGroup = TypeGroups.OfContentType(declaredContentType);

        if (sniffedGroup is TypeGroup.Executable || extensionGroup is TypeGroup.Executable or TypeGroup.Script
            || sniffedGroup is TypeGroup.Script && extensionGroup is not TypeGroup.Text)
        {
            string why = sniffedGroup is TypeGroup.Executable or TypeGroup.Script
                ? $"its content is {sniffed}"
                : $"its extension .{extension} runs code on Windows";
            findings.Add(new Finding("attachment.executable", FindingSeverity.High, $"{subject} is an executable or script: {why}."));
        }

        if (sniffedGroup is TypeGroup.Shortcut || extensionGroup is TypeGroup.Shortcut)
        {
            findings.Add(new Finding("attachment.shortcut", FindingSeverity.High, $"{subject} is a shortcut file; opening it runs the command it points to."));
        }

        if (sniffedGroup is TypeGroup.DiskImage || extensionGroup is TypeGroup.DiskImage)
        {
            findings.Add(new Finding("attachment.disk-image", FindingSeverity.High,
                $"{subject} is a disk image; files inside it lose the mark-of-the-web when mounted."));
        }

        if (sniffedGroup is TypeGroup.OneNote || sniffedGroup is TypeGroup.HelpFile || extensionGroup is TypeGroup.OneNote or TypeGroup.HelpFile)
        {
            findings.Add(new Finding("attachment.active-document", FindingSeverity.Medium,
                $"{subject} is a OneNote or compiled-help file, formats abused to run embedded scripts."));
        }

        if (sniffedGroup is TypeGroup.Html || (extensionGroup is TypeGroup.Html && sniffedGroup is TypeGroup.Text or TypeGroup.Generic))
        {
            findings.Add(new Finding("attachment.html", FindingSeverity.Medium,
                $"{subject} is an HTML/SVG document; opened from disk it can show a fake sign-in page or run script without any URL to block."));
        }

        if (extension is "docm" or "dotm" or "xlsm" or "xltm" or "xlam" or "pptm" or "potm" or "ppam" or "ppsm" or "sldm"
            && !findings.Exists(finding => finding.Code == "attachment.macro-office"))
        {
            findings.Add(new Finding("attachment.macro-office", FindingSeverity.Medium, $"{subject} has a macro-enabled Office extension (.{extension})."));
        }

        AddMismatch(findings, subject, "declared type", declaredContentType, declaredGroup, sniffed, sniffedGroup);
        AddMismatch(findings, subject, "extension", extension is null ? null : "." + extension, extensionGroup, sniffed, sniffedGroup);
    }

    private static void AddMismatch(List<Finding> findings, string subject, string what, string? claimed, TypeGroup claimedGroup, string sniffed, TypeGroup sniffedGroup)
    {
        if (claimed is null || TypeGroups.AreCompatible(claimedGroup, sniffedGroup, sniffed))
        {
            return;
        }

        FindingSeverity severity = TypeGroups.IsDangerous(sniffedGroup) ? FindingSeverity.High : FindingSeverity.Medium;
        findings.Add(new Finding("attachment.type-mismatch", severity, $"{subject} {what} is {claimed} but its content is {sniffed}."));
    }

    private static IReadOnlyList<ExtractedUrl> InspectScriptText(string text, string sniffed, List<Finding> findings, string subject)
    {
        // ASCII text searched ignoring case finds exactly what its lower-cased copy searched ordinally finds (the markers
        // are lower-case ASCII): the copy is made only for other text, where case mapping goes beyond ASCII.
        (string lower, StringComparison comparison) = Ascii.IsValid(text)
            ? (text, StringComparison.OrdinalIgnoreCase)
            : (text.ToLowerInvariant(), StringComparison.Ordinal);
        bool hasScript = lower.Contains("<script", comparison) || TypeGroups.OfContentType(sniffed) is TypeGroup.Script;
        bool buildsFile = lower.Contains("createobjecturl", comparison) || lower.Contains("mssaveoropenblob", comparison)
            || lower.Contains("mssaveblob", comparison);
        bool decodesPayload = lower.Contains("atob(", comparison) || lower.Contains("uint8array", comparison)
            || lower.Contains("fromcharcode", comparison) || lower.Contains("new blob", comparison);
        if (hasScript && buildsFile && decodesPayload)
        {
            findings.Add(new Finding("attachment.html-smuggling", FindingSeverity.High,
                $"{subject} assembles a file in script (decoded data turned into a Blob download): HTML smuggling delivers malware past attachment filters this way."));
        }

        bool isHtml = TypeGroups.OfContentType(sniffed) is TypeGroup.Html || lower.Contains("<html", comparison)
            || lower.Contains("<form", comparison);
        if (isHtml && HasPasswordField(text))
        {
            findings.Add(new Finding("attachment.credential-form", FindingSeverity.High,
                $"{subject} contains a form with a password field: a local credential-phishing page."));
        }

        return isHtml ? UrlExtractor.Extract(null, text) : UrlExtractor.Extract(text, null);
    }

    // Tokens, not a DOM: the tree builder is quadratic in nesting depth and this is attacker-supplied markup.
    private static bool HasPasswordField(string html)
    {
        using HtmlTokenizer tokenizer = HtmlTokens.Create(html);
        while (true)
        {
            HtmlToken token = tokenizer.Get();
            if (token.Type == HtmlTokenType.EndOfFile)
            {
                return false;
            }

            if (token.Type == HtmlTokenType.StartTag && token.Name == "input"
                && string.Equals(token.AsTag().GetAttribute("type")?.Trim(), "password", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
    }

    private static Finding[] Deduplicate(List<Finding> findings) => findings.Distinct().ToArray();
}
