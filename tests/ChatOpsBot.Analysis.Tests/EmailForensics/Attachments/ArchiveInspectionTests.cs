using System.IO.Compression;
using System.Security.Cryptography;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Attachments;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Attachments;

public class ArchiveInspectionTests
{
    private static AttachmentReport Inspect(string? name, byte[] content, AttachmentInspectionOptions? options = null)
    {
        using var stream = new MemoryStream(content);
        return AttachmentInspector.Inspect(name, "application/zip", stream, options);
    }

    private static string[] Codes(AttachmentReport report) => report.Findings.Select(finding => finding.Code).ToArray();

    [Fact]
    public void ZipMembersAreListedWithSizesAndHashes()
    {
        byte[] readme = TestFiles.Text("abc");
        byte[] data = new byte[10_000];
        byte[] zip = TestFiles.Zip(("readme.txt", readme), ("dir/data.bin", data));

        AttachmentReport report = Inspect("files.zip", zip);

        report.SniffedContentType.ShouldBe("application/zip");
        report.ArchiveMembers.Count.ShouldBe(2);
        ArchiveMember first = report.ArchiveMembers[0];
        first.Name.ShouldBe("readme.txt");
        first.Size.ShouldBe(3);
        first.Encrypted.ShouldBeFalse();
        first.Sha256.ShouldBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        first.Md5.ShouldBe("900150983cd24fb0d6963f7d28e17f72");
        first.Sha1.ShouldBe("a9993e364706816aba3e25717850c26c9cd0d89d");
        ArchiveMember second = report.ArchiveMembers[1];
        second.Name.ShouldBe("dir/data.bin");
        second.Size.ShouldBe(10_000);
        second.CompressedSize.ShouldBeLessThan(10_000);
        second.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(data)));
        report.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(zip)));
        report.Findings.ShouldBeEmpty();
    }

    [Fact]
    public void ZipOnAForwardOnlyStreamIsListedFromOneBoundedCopy()
    {
        byte[] zip = TestFiles.Zip(("a.txt", TestFiles.Text("abc")));
        using var stream = new ChunkedStream(zip);

        AttachmentReport report = AttachmentInspector.Inspect("a.zip", null, stream);

        report.ArchiveMembers.ShouldHaveSingleItem().Sha256.ShouldBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        report.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(zip)));
    }

    [Fact]
    public void ForwardOnlyArchivesBeyondTheBufferLimitAreHashedButNotListed()
    {
        byte[] zip = TestFiles.Zip(CompressionLevel.NoCompression, ("big.bin", new byte[200_000]));
        using var stream = new ChunkedStream(zip);

        AttachmentReport report = AttachmentInspector.Inspect("a.zip", null, stream, new AttachmentInspectionOptions { MaxBufferedArchiveBytes = 100_000 });

        report.ArchiveMembers.ShouldBeEmpty();
        report.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(zip)));
        Codes(report).ShouldContain("attachment.archive-limit");
    }

    [Fact]
    public void ZipStartingPartWayIntoASeekableStreamIsReadFromItsStart()
    {
        byte[] zip = TestFiles.Zip(("a.txt", TestFiles.Text("abc")));
        using var stream = new MemoryStream([.. new byte[10], .. zip]);
        stream.Position = 10;

        AttachmentReport report = AttachmentInspector.Inspect("a.zip", null, stream);

        report.Size.ShouldBe(zip.Length);
        report.ArchiveMembers.ShouldHaveSingleItem().Name.ShouldBe("a.txt");
    }

    [Fact]
    public void EncryptedMembersAreListedWithoutHashesAndFlagged()
    {
        byte[] zip = TestFiles.MarkEncrypted(TestFiles.Zip(("secret.exe", TestFiles.PortableExecutable()), ("readme.txt", TestFiles.Text("pw: 1234"))));

        AttachmentReport report = Inspect("invoice.zip", zip);

        report.ArchiveMembers.Count.ShouldBe(2);
        report.ArchiveMembers.ShouldAllBe(member => member.Encrypted && member.Sha256 == null);
        Finding finding = report.Findings.Where(finding => finding.Code == "attachment.encrypted-archive").ShouldHaveSingleItem();
        finding.Severity.ShouldBe(FindingSeverity.High);
        Codes(report).ShouldContain("attachment.executable");
    }

    [Fact]
    public void ExecutableMembersAreFlaggedByNameAndContent()
    {
        byte[] zip = TestFiles.Zip(("docs/invoice.pdf.exe", TestFiles.PortableExecutable()), ("readme.txt", TestFiles.PortableExecutable()));

        AttachmentReport report = Inspect("docs.zip", zip);

        report.Findings.Count(finding => finding.Code == "attachment.executable").ShouldBe(2);
        report.Findings.ShouldContain(finding => finding.Code == "attachment.double-extension" && finding.Reason.Contains("invoice.pdf.exe"));
        report.ArchiveMembers[1].SniffedContentType.ShouldBe("application/vnd.microsoft.portable-executable");
    }

    [Fact]
    public void NestedArchivesAreListedOneLevelDownByDefault()
    {
        byte[] inner = TestFiles.Zip(("evil.exe", TestFiles.PortableExecutable()));
        byte[] outer = TestFiles.Zip(("inner.zip", inner), ("note.txt", TestFiles.Text("hi")));

        AttachmentReport report = Inspect("outer.zip", outer);

        report.ArchiveMembers.Select(member => (member.Name, member.Depth)).ShouldBe([("inner.zip", 1), ("inner.zip/evil.exe", 2), ("note.txt", 1)]);
        report.Findings.ShouldContain(finding => finding.Code == "attachment.executable" && finding.Reason.Contains("inner.zip/evil.exe"));
    }

    [Fact]
    public void ArchivesNestedBeyondTheDepthLimitAreNotOpened()
    {
        byte[] inner = TestFiles.Zip(("evil.exe", TestFiles.PortableExecutable()));
        byte[] outer = TestFiles.Zip(("inner.zip", inner));

        AttachmentReport report = Inspect("outer.zip", outer, new AttachmentInspectionOptions { MaxArchiveDepth = 1 });

        report.ArchiveMembers.ShouldHaveSingleItem().Name.ShouldBe("inner.zip");
        Codes(report).ShouldContain("attachment.archive-limit");
    }

    [Fact]
    public void MembersThatDecompressPastTheRatioLimitAreNotHashed()
    {
        byte[] zip = TestFiles.Zip(("zeros.bin", new byte[8 * 1024 * 1024]));

        AttachmentReport report = Inspect("bomb.zip", zip);

        ArchiveMember member = report.ArchiveMembers.ShouldHaveSingleItem();
        member.Sha256.ShouldBeNull();
        member.Size.ShouldBe(8 * 1024 * 1024);
        Codes(report).ShouldContain("attachment.archive-limit");
    }

    [Fact]
    public void MembersBeyondThePerMemberLimitAreNotHashed()
    {
        byte[] random = new byte[50_000];
        new Random(7).NextBytes(random);
        byte[] zip = TestFiles.Zip(("random.bin", random), ("small.txt", TestFiles.Text("abc")));

        AttachmentReport report = Inspect("a.zip", zip, new AttachmentInspectionOptions { MaxMemberBytes = 10_000 });

        report.ArchiveMembers[0].Sha256.ShouldBeNull();
        report.ArchiveMembers[1].Sha256.ShouldNotBeNull();
        Codes(report).ShouldContain("attachment.archive-limit");
    }

    [Fact]
    public void DecompressionStopsAtTheTotalLimit()
    {
        byte[] random = new byte[30_000];
        new Random(7).NextBytes(random);
        byte[] zip = TestFiles.Zip(("1.bin", random), ("2.bin", random), ("3.bin", random));

        AttachmentReport report = Inspect("a.zip", zip, new AttachmentInspectionOptions { MaxTotalDecompressedBytes = 50_000 });

        report.ArchiveMembers.Count.ShouldBe(3);
        report.ArchiveMembers[0].Sha256.ShouldNotBeNull();
        report.ArchiveMembers[1].Sha256.ShouldBeNull();
        report.ArchiveMembers[2].Sha256.ShouldBeNull();
        report.Findings.ShouldContain(finding => finding.Code == "attachment.archive-limit" && finding.Reason.Contains("total"));
    }

    [Fact]
    public void ArchivesDeclaringTooManyEntriesAreNotOpened()
    {
        byte[] zip = TestFiles.Zip([.. Enumerable.Range(0, 10).Select(i => ($"{i}.txt", TestFiles.Text("x")))]);

        AttachmentReport report = Inspect("many.zip", zip, new AttachmentInspectionOptions { MaxArchiveEntries = 5 });

        report.ArchiveMembers.ShouldBeEmpty();
        report.Findings.ShouldHaveSingleItem().Code.ShouldBe("attachment.archive-limit");
    }

    [Fact]
    public void ListingStopsAtMaxListedMembers()
    {
        byte[] zip = TestFiles.Zip([.. Enumerable.Range(0, 10).Select(i => ($"{i}.txt", TestFiles.Text("x")))]);

        AttachmentReport report = Inspect("many.zip", zip, new AttachmentInspectionOptions { MaxListedMembers = 3 });

        report.ArchiveMembers.Count.ShouldBe(3);
        report.Findings.ShouldHaveSingleItem().Code.ShouldBe("attachment.archive-limit");
    }

    [Fact]
    public void GarbageAfterAZipSignatureIsACorruptArchive()
    {
        AttachmentReport report = Inspect("broken.zip", [.. "PK\x03\x04"u8, .. new byte[100]]);

        report.SniffedContentType.ShouldBe("application/zip");
        Codes(report).ShouldBe(["attachment.corrupt-archive"]);
    }

    [Fact]
    public void ATruncatedZipIsACorruptArchive()
    {
        byte[] zip = TestFiles.Zip(("a.txt", new byte[5_000]));

        Codes(Inspect("cut.zip", zip[..(zip.Length / 2)])).ShouldContain("attachment.corrupt-archive");
    }

    [Fact]
    public void ACorruptMemberIsReportedAndTheRestStillListed()
    {
        byte[] random = new byte[4_000];
        new Random(1).NextBytes(random);
        byte[] zip = TestFiles.Zip(CompressionLevel.Optimal, ("text.txt", new byte[4_000]), ("ok.bin", random));
        // Corrupt the deflate stream of the first member (its data starts right after the 30-byte header and name).
        int dataStart = 30 + "text.txt".Length;
        for (int i = dataStart; i < dataStart + 8; i++)
        {
            zip[i] = 0xFF;
        }

        AttachmentReport report = Inspect("c.zip", zip);

        report.ArchiveMembers.Count.ShouldBe(2);
        report.ArchiveMembers[1].Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(random)));
        Codes(report).ShouldContain("attachment.corrupt-archive");
    }

    [Fact]
    public void RandomBytesAfterAZipSignatureNeverThrowAndStillHashTheWholeAttachment()
    {
        var random = new Random(3);
        for (int i = 0; i < 300; i++)
        {
            byte[] zip = TestFiles.Zip(("a.txt", TestFiles.Text("hello hello hello")), ("b/c.bin", new byte[300]));
            int flips = random.Next(1, 20);
            for (int f = 0; f < flips; f++)
            {
                zip[random.Next(4, zip.Length)] = (byte)random.Next(256);
            }

            AttachmentReport report = Inspect("fuzz.zip", zip);

            report.Size.ShouldBe(zip.Length);
            report.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(zip)));
        }
    }
}
