using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Mail;
using ChatOpsBot.TestSupport;
using Xunit.Abstractions;

namespace ChatOpsBot.Mail.Tests.Outlook;

/// <summary>
/// Hostile variants of .msg files (fixed seed, so a failure reproduces by its mutant number): bit flips, truncations,
/// sector chains bent into loops, special sector values, huge sizes, deep embedding. Every mutant must read without
/// an exception and within the limits, and the analyzer must accept what comes out.
/// </summary>
public class OutlookMutationTests(ITestOutputHelper output)
{
    private const int Seed = 20_261_122;

    // Tight limits so that mutants reach them.
    private static readonly OutlookReaderOptions s_options = new()
    {
        MaxInputBytes = 2 * 1024 * 1024,
        MaxDirectoryEntries = 2_000,
        MaxStreamBytes = 512 * 1024,
        MaxTotalDecodedBytes = 2 * 1024 * 1024,
        MaxEmbeddingDepth = 4,
        MaxAttachments = 50,
        MaxRecipients = 50,
    };

    private static readonly uint[] s_specialSectors = [0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC, 0xFFFFFFFA, 0, 1, 0x7FFFFFFF];

    internal static byte[][] Seeds()
    {
        MsgBuilder Rich(int i) => new MsgBuilder()
            .Text(0x007D, "Received: from a ([203.0.113.1]) by b; Tue, 1 Apr 2025 10:00:00 +0000\r\nFrom: x@evil.example\r\nSubject: s\r\n")
            .Text(0x0037, "Ünïcödé subject " + i)
            .Text(0x0042, "Sender")
            .Text(0x5D02, "sender@evil.example")
            .Text(0x1000, "Body with https://evil.example/" + i)
            .Bytes(0x1009, RtfFixtures.CompressLiterals(OutlookReaderTests.EncapsulatedHtml))
            .Recipient(1, "Alice", "alice@corp.example")
            .Recipient(2, "Bob", "bob@corp.example")
            .Attach("small.txt", "text/plain", Encoding.ASCII.GetBytes("small attachment in the mini stream"))
            .Attach("big.bin", "application/octet-stream", OutlookReaderTests.Pseudorandom(20_000, i))
            .Attach("Счёт.pdf", "application/pdf", Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n"));

        MsgBuilder deep = new MsgBuilder().Text(0x0037, "deepest").Attach("x.js", null, [1, 2, 3]);
        for (int level = 0; level < 8; level++)
        {
            deep = new MsgBuilder().Text(0x0037, $"level {level}").Text(0x1000, "b").Embed(deep, $"level{level}.msg");
        }

        var eightBit = new MsgBuilder { EightBit = OutlookReaderTests.CodePagesEncoding(1251) }
            .Int(0x3FFD, 1251).Text8(0x0037, "Счёт").Text8(0x1000, "Оплатите");

        return
        [
            Rich(1).Build(),
            Rich(2).Build(4096),
            Rich(3).Embed(Rich(4), "inner.msg").Build(),
            deep.Build(),
            eightBit.Build(),
        ];
    }

    [Fact]
    public void FiveThousandGeneratedMutantsReadWithinLimits()
    {
        RunMutants(Seeds(), count: 5_000).ShouldBe(5_000);
    }

    [SharedFolderFact]
    public void TwoThousandMutantsOfTheCorpusMsgFilesReadWithinLimits()
    {
        byte[][] seeds = Directory.EnumerateFiles(SharedFolder.PathTo("corpus/mail"), "*.msg", SearchOption.AllDirectories).Select(File.ReadAllBytes).ToArray();

        RunMutants(seeds, count: 2_000).ShouldBe(2_000);
    }

    private int RunMutants(byte[][] seeds, int count)
    {
        ConcurrentBag<string> failures = [];
        int done = 0;
        int messages = 0;
        int withDefects = 0;
        Stopwatch total = Stopwatch.StartNew();
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            Random random = new(Seed + i);
            byte[] mutant = Mutate(seeds[random.Next(seeds.Length)], random);
            try
            {
                OutlookReadResult result = OutlookMessageReader.Read(mutant, s_options);
                if (result.Message is null)
                {
                    result.Problem.ShouldNotBeNullOrWhiteSpace();
                }
                else
                {
                    Interlocked.Increment(ref messages);
                    if (result.Message.EnumerateAllDefects().Any())
                    {
                        Interlocked.Increment(ref withDefects);
                    }

                    CheckLimits(result.Message, i, failures);
                    if (i % 5 == 0)
                    {
                        _ = EmailAnalyzer.Analyze(result.Message);
                    }
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"mutant {i}: {e.GetType().Name}: {e.Message}");
            }

            Interlocked.Increment(ref done);
        });

        output.WriteLine($"{done} mutants of {seeds.Length} seeds in {total.Elapsed.TotalSeconds:F1} s: {messages} read as messages ({withDefects} with defects), {done - messages} refused with a problem");
        foreach (string failure in failures.Take(20))
        {
            output.WriteLine(failure);
        }

        failures.ShouldBeEmpty();
        return done;
    }

    private static void CheckLimits(MimeMessage message, int mutant, ConcurrentBag<string> failures)
    {
        using var mime = new MemoryStream();
        message.WriteTo(mime);

        // Everything decoded is charged to the budget and written base64 (4/3) plus headers per part.
        long bound = (s_options.MaxTotalDecodedBytes * 4 / 3) + (1024 * 1024);
        if (mime.Length > bound)
        {
            failures.Add($"mutant {mutant}: {mime.Length} bytes of MIME, more than {bound}");
        }

        int depth = 0;
        int attachments = 0;
        Walk(message, 0);
        if (depth > s_options.MaxEmbeddingDepth)
        {
            failures.Add($"mutant {mutant}: embedded {depth} deep");
        }

        if (attachments > s_options.MaxAttachments)
        {
            failures.Add($"mutant {mutant}: {attachments} attachments");
        }

        void Walk(MimeMessage current, int level)
        {
            depth = Math.Max(depth, level);
            if (current.Defects.Count > 2 * (OutlookDefects.MaxPerList + 1))
            {
                failures.Add($"mutant {mutant}: {current.Defects.Count} defects on one message");
            }

            foreach (MimeEntity entity in current.BodyParts)
            {
                if (entity.IsAttachment)
                {
                    attachments++;
                }

                if (entity is MessagePart part)
                {
                    Walk(part.Message, level + 1);
                }
                else if (entity is TextPart text)
                {
                    _ = text.Text;
                }
            }
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        byte[] bytes = (byte[])seed.Clone();
        int sectorSize = bytes.Length >= 32 && BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(30)) == 12 ? 4096 : 512;
        int rounds = 1 + random.Next(3);
        for (int round = 0; round < rounds; round++)
        {
            switch (random.Next(8))
            {
                case 0:
                    // Bit flips anywhere.
                    for (int k = random.Next(1, 16); k > 0; k--)
                    {
                        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 1:
                    // Bit flips in the header.
                    for (int k = random.Next(1, 4); k > 0; k--)
                    {
                        bytes[random.Next(Math.Min(bytes.Length, 512))] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 2:
                    bytes = bytes[..random.Next(bytes.Length + 1)];
                    break;
                case 3:
                    // A special or random sector number in a 4-byte slot (FAT, DIFAT, directory links, starts).
                    if (bytes.Length >= 4)
                    {
                        int at = random.Next(bytes.Length / 4) * 4;
                        uint value = random.Next(2) == 0 ? s_specialSectors[random.Next(s_specialSectors.Length)] : (uint)random.Next(bytes.Length / sectorSize + 8);
                        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);
                    }

                    break;
                case 4 when bytes.Length > 512 + sectorSize:
                    // A FAT entry sent back to an earlier sector: a chain loop.
                    {
                        uint fatSector = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(76));
                        long fatOffset = ((long)fatSector + 1) * sectorSize;
                        int sectors = (bytes.Length / sectorSize) - 1;
                        int entry = random.Next(Math.Min(sectors, sectorSize / 4));
                        if (fatOffset + (entry * 4) + 4 <= bytes.Length)
                        {
                            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)fatOffset + (entry * 4)), (uint)random.Next(entry + 1));
                        }
                    }

                    break;
                case 5:
                    // A huge or odd size in a directory entry.
                    if (bytes.Length >= 128 + 512)
                    {
                        int entryAt = 512 + (random.Next((bytes.Length - 512) / 128) * 128);
                        ulong size = random.Next(3) switch
                        {
                            0 => 0xFFFFFFFFUL,
                            1 => (ulong)random.NextInt64(),
                            _ => (ulong)random.Next(0, 10_000),
                        };
                        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(entryAt + 120), size);
                    }

                    break;
                case 6:
                    // A directory entry's type, name length or sibling link scrambled.
                    if (bytes.Length >= 128 + 512)
                    {
                        int entryAt = 512 + (random.Next((bytes.Length - 512) / 128) * 128);
                        int field = random.Next(4);
                        if (field == 0)
                        {
                            bytes[entryAt + 66] = (byte)random.Next(8);
                        }
                        else if (field == 1)
                        {
                            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(entryAt + 64), (ushort)random.Next(200));
                        }
                        else
                        {
                            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(entryAt + 64 + (field * 4)), (uint)random.Next(64));
                        }
                    }

                    break;
                default:
                    // A block of the file repeated over another place (sector-sized copy).
                    if (bytes.Length > 2 * sectorSize)
                    {
                        int from = random.Next(bytes.Length - sectorSize);
                        int to = random.Next(bytes.Length - sectorSize);
                        Array.Copy(bytes, from, bytes, to, sectorSize);
                    }

                    break;
            }
        }

        return bytes;
    }
}
