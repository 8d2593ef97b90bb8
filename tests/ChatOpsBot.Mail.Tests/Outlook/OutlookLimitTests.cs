using System.Buffers.Binary;
using ChatOpsBot.Mail;

namespace ChatOpsBot.Mail.Tests.Outlook;

/// <summary>Damaged and oversized .msg files: every anomaly is a defect, every limit holds, nothing throws or hangs.</summary>
public class OutlookLimitTests
{
    private const ushort Subject = 0x0037;

    private static uint StartSector(byte[] file, string entryName) =>
        BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(CfbWriter.DirectoryEntryOffset(file, CfbWriter.FindEntry(file, entryName)) + 116));

    [Fact]
    public void ALoopingFatChainIsCutWithADefect()
    {
        byte[] file = new MsgBuilder().Text(Subject, "loop").Attach("a.bin", null, OutlookReaderTests.Pseudorandom(10_000, 1)).Build();
        uint start = StartSector(file, "__substg1.0_37010102");
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(CfbWriter.FatEntryOffset(file, start + 5)), start);

        MimeMessage message = OutlookReaderTests.Read(file);

        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidCompoundFile && d.Message.Contains("loops", StringComparison.Ordinal));
        ((MimePart)message.Attachments.Single()).GetContentBytes().Length.ShouldBe(6 * 512);
        message.Subject.ShouldBe("loop");
    }

    [Fact]
    public void AFatChainPointingOutsideTheFileIsCutWithADefect()
    {
        byte[] file = new MsgBuilder().Attach("a.bin", null, OutlookReaderTests.Pseudorandom(10_000, 1)).Build();
        uint start = StartSector(file, "__substg1.0_37010102");
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(CfbWriter.FatEntryOffset(file, start)), 0x00FFFFFF);

        MimeMessage message = OutlookReaderTests.Read(file);

        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidCompoundFile && d.Message.Contains("outside the file", StringComparison.Ordinal));
    }

    [Fact]
    public void ALoopingMiniChainIsCutWithADefect()
    {
        byte[] file = new MsgBuilder().Attach("small.bin", null, OutlookReaderTests.Pseudorandom(300, 2)).Build();
        uint start = StartSector(file, "__substg1.0_37010102");
        uint miniFatSector = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(60));
        int entry = (int)(miniFatSector + 1) * 512 + (int)((start + 2) * 4);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(entry), start);

        MimeMessage message = OutlookReaderTests.Read(file);

        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidCompoundFile && d.Message.Contains("loops", StringComparison.Ordinal));
        ((MimePart)message.Attachments.Single()).GetContentBytes().Length.ShouldBe(3 * 64);
    }

    [Fact]
    public void ALoopInTheDirectoryTreeIsReportedAndEachEntryReadOnce()
    {
        byte[] file = new MsgBuilder().Text(Subject, "tree").Text(0x1000, "body").Build();
        int properties = CfbWriter.FindEntry(file, "__properties_version1.0");
        int offset = CfbWriter.DirectoryEntryOffset(file, properties);
        int first = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(CfbWriter.DirectoryEntryOffset(file, 0) + 76));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(offset + 68), (uint)first); // left child: back to the first sibling
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(offset + 72), (uint)properties); // right child: itself

        MimeMessage message = OutlookReaderTests.Read(file);

        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidCompoundFile && d.Message.Contains("reached twice", StringComparison.Ordinal));
        message.Subject.ShouldBe("tree");
    }

    [Fact]
    public void ALoopingDifatChainIsCutWithADefect()
    {
        // More than 109 + 127 sectors, so that the reader needs a second DIFAT sector and meets the loop.
        byte[] file = new MsgBuilder().Text(Subject, "difat").Attach("a.bin", null, OutlookReaderTests.Pseudorandom(150_000, 1)).Build();
        uint fatSector = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(76));
        int sectorCount = (file.Length / 512) - 1;
        var extra = new byte[512];
        extra.AsSpan().Fill(0xFF);
        BinaryPrimitives.WriteUInt32LittleEndian(extra.AsSpan(508), (uint)sectorCount); // the DIFAT sector points to itself
        file = [.. file, .. extra];
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(44), 400);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(68), (uint)sectorCount);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(72), 1_000_000);
        for (int i = 1; i < 109; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(76 + (i * 4)), fatSector);
        }

        OutlookReadResult result = OutlookMessageReader.Read(file);

        MimeMessage message = result.Message.ShouldNotBeNull();
        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidCompoundFile && d.Message.Contains("DIFAT", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(512, 0xFFFF_FFFFUL)]
    [InlineData(4096, 0x0000_0100_0000_0000UL)]
    [InlineData(4096, 0xFFFF_FFFF_FFFF_FFFFUL)]
    public void AHugeDeclaredStreamSizeIsNotAllocated(int sectorSize, ulong size)
    {
        byte[] file = new MsgBuilder().Text(Subject, "huge").Attach("a.bin", null, OutlookReaderTests.Pseudorandom(5000, 1)).Build(sectorSize);
        int entry = CfbWriter.DirectoryEntryOffset(file, CfbWriter.FindEntry(file, "__substg1.0_37010102"));
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(entry + 120), size);

        MimeMessage message = OutlookReaderTests.Read(file);

        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.DecodedSizeLimitExceeded);
        message.Subject.ShouldBe("huge");
        message.Attachments.ShouldBeEmpty();
    }

    [Fact]
    public void Version3IgnoresTheHighHalfOfAStreamSize()
    {
        // MS-CFB: old writers left the high 32 bits uninitialised in version 3 files.
        byte[] file = new MsgBuilder().Attach("a.bin", null, OutlookReaderTests.Pseudorandom(5000, 1)).Build();
        int entry = CfbWriter.DirectoryEntryOffset(file, CfbWriter.FindEntry(file, "__substg1.0_37010102"));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(entry + 124), 0xDEADBEEF);

        MimeMessage message = OutlookReaderTests.Read(file);

        ((MimePart)message.Attachments.Single()).GetContentBytes().ShouldBe(OutlookReaderTests.Pseudorandom(5000, 1));
        message.Defects.ShouldBeEmpty();
    }

    [Fact]
    public void EmbeddingDeeperThanTheLimitIsCutWithNestingTooDeep()
    {
        MsgBuilder message = new MsgBuilder().Text(Subject, "level 30");
        for (int level = 29; level >= 0; level--)
        {
            message = new MsgBuilder().Text(Subject, $"level {level}").Embed(message);
        }

        var options = new OutlookReaderOptions { MaxEmbeddingDepth = 5 };
        MimeMessage read = OutlookReaderTests.Read(message.Build(), options);

        int depth = 0;
        MimeMessage current = read;
        while (current.Attachments.OfType<MessagePart>().SingleOrDefault() is { } part)
        {
            current = part.Message;
            depth++;
        }

        depth.ShouldBe(5);
        current.Subject.ShouldBe("level 5");
        current.Defects.ShouldContain(d => d.Kind == MimeDefectKind.NestingTooDeep);
    }

    [Fact]
    public void AttachmentsBeyondTheLimitAreLeftOutWithTooManyParts()
    {
        var builder = new MsgBuilder().Text(Subject, "many");
        for (int i = 0; i < 12; i++)
        {
            builder.Attach($"f{i}.txt", "text/plain", [(byte)('a' + i)]);
        }

        MimeMessage message = OutlookReaderTests.Read(builder.Build(), new OutlookReaderOptions { MaxAttachments = 10 });

        message.Attachments.Count().ShouldBe(10);
        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.TooManyParts);
    }

    [Fact]
    public void TheTotalDecodedBudgetCoversTheWholeFile()
    {
        var builder = new MsgBuilder().Text(Subject, "budget");
        for (int i = 0; i < 8; i++)
        {
            builder.Attach($"f{i}.bin", null, OutlookReaderTests.Pseudorandom(100_000, i));
        }

        MimeMessage message = OutlookReaderTests.Read(builder.Build(), new OutlookReaderOptions { MaxTotalDecodedBytes = 350_000 });

        message.Attachments.Count().ShouldBe(3);
        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.DecodedSizeLimitExceeded);
    }

    [Fact]
    public void AStreamOverTheStreamLimitIsLeftOut()
    {
        byte[] file = new MsgBuilder().Text(Subject, "s").Attach("big.bin", null, OutlookReaderTests.Pseudorandom(50_000, 1)).Attach("ok.bin", null, [1]).Build();

        MimeMessage message = OutlookReaderTests.Read(file, new OutlookReaderOptions { MaxStreamBytes = 40_000 });

        message.Attachments.Cast<MimePart>().Select(p => p.FileName).ShouldBe(["ok.bin"]);
        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.DecodedSizeLimitExceeded && d.Message.Contains("__substg1.0_37010102", StringComparison.Ordinal));
    }

    [Fact]
    public void InputBeyondTheInputLimitIsNotReadAndSaysSo()
    {
        // The writer puts the directory and FAT last, so a cut file has no structure left: the problem names the limit.
        byte[] file = new MsgBuilder().Text(Subject, "t").Attach("big.bin", null, OutlookReaderTests.Pseudorandom(200_000, 1)).Build();
        var options = new OutlookReaderOptions { MaxInputBytes = 100_000 };

        OutlookReadResult fromMemory = OutlookMessageReader.Read(file, options);
        OutlookReadResult fromStream = OutlookMessageReader.Read(new MemoryStream(file), options);

        foreach (OutlookReadResult result in new[] { fromMemory, fromStream })
        {
            result.Message.ShouldBeNull();
            result.Problem.ShouldNotBeNull().ShouldContain("larger than 100000 bytes");
        }
    }

    [Fact]
    public void InputCutAfterItsStructureStillReadsWithInputTruncated()
    {
        byte[] file = new MsgBuilder().Text(Subject, "t").Attach("a.bin", null, [1, 2, 3]).Build();
        byte[] padded = [.. file, .. new byte[50_000]];

        OutlookReadResult result = OutlookMessageReader.Read(new MemoryStream(padded), new OutlookReaderOptions { MaxInputBytes = file.Length + 1000 });

        MimeMessage message = result.Message.ShouldNotBeNull();
        message.Subject.ShouldBe("t");
        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InputTruncated);
    }

    [Fact]
    public void ThousandsOfBadDirectoryEntriesGiveABoundedDefectList()
    {
        var streams = Enumerable.Range(0, 3000).Select(i => CfbNode.Stream($"s{i:D4}", [1])).ToList();
        byte[] file = CfbWriter.Build(CfbNode.Storage("Root Entry", [CfbNode.Stream("__properties_version1.0", new byte[32]), .. streams]));
        for (int id = 1; id <= 3000; id++) // siblings sort by name length: the s#### streams come first
        {
            file[CfbWriter.DirectoryEntryOffset(file, 0) + (id * 128) + 66] = 9; // unknown type
        }

        MimeMessage message = OutlookReaderTests.Read(file);

        message.Defects.Count.ShouldBeLessThanOrEqualTo(201);
        message.Defects[^1].Message.ShouldContain("not listed");
    }
}
