using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using ChatOpsBot.Mail;
using ChatOpsBot.TestSupport;
using Xunit.Abstractions;

namespace ChatOpsBot.Mail.Tests.Corpus;

/// <summary>
/// Hostile variants of real and generated mail (fixed seeds, so failures reproduce): every mutant must parse without
/// an exception, respect the limits, round-trip byte for byte, and decode every part.
/// </summary>
public class MutationTests(ITestOutputHelper output)
{
    private const int Seed = 20_261_122;

    // Tight limits so that mutants actually reach them; the defaults are exercised by LimitTests.
    private static readonly MimeParserOptions s_options = new()
    {
        MaxDepth = 16,
        MaxParts = 200,
        MaxHeaders = 200,
        MaxHeaderBytes = 16 * 1024,
        MaxHeaderBlockBytes = 64 * 1024,
        MaxDecodedBytes = 4 * 1024 * 1024,
    };

    [Fact]
    public void GeneratedMutantsParseWithinLimitsAndRoundTrip()
    {
        byte[][] seeds =
        [
            LimitTests.DeepMultipart(1000),
            LimitTests.DeepMessages(1000),
            LimitTests.ManyHeaders(5000),
            Eml.Bytes("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
                + Convert.ToBase64String(LimitTests.DeepMultipart(40), Base64FormattingOptions.InsertLineBreaks) + "\n--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\ncaf=C3=A9 =\nend\n--b--\n"),
            Eml.Bytes("From: \"Doe, John\" <j@example.com>, Team: a@b.c;\nSubject: =?utf-8?B?4pi?= =?utf-8?B?gw==?=\nContent-Type: text/plain\nContent-Disposition: attachment; filename*0*=UTF-8''%E2%98; filename*1*=%83.txt\n\nbegin 644 cat.txt\n#0V%T\n`\nend\n"),
        ];

        RunMutants(seeds, count: 3_000).ShouldBe(3_000);
    }

    [SharedFolderFact]
    public void TenThousandCorpusMutantsParseWithinLimitsAndRoundTrip()
    {
        byte[][] seeds = MailCorpus.Messages().Select(File.ReadAllBytes).Where(b => b.Length < 2 * 1024 * 1024).ToArray();

        RunMutants(seeds, count: 10_000).ShouldBe(10_000);
    }

    private int RunMutants(byte[][] seeds, int count)
    {
        ConcurrentBag<string> failures = [];
        long slowestTicks = 0;
        int done = 0;
        Stopwatch total = Stopwatch.StartNew();
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            Random random = new(Seed + i);
            byte[] mutant = Mutate(seeds[random.Next(seeds.Length)], random);
            Stopwatch watch = Stopwatch.StartNew();
            try
            {
                MimeMessage message = MimeParser.Parse(mutant, s_options);
                CorpusTests.ExerciseEverything(message);
                message.ShouldRespect(s_options);
                if (!Eml.RoundTrip(message).AsSpan().SequenceEqual(mutant))
                {
                    failures.Add($"mutant {i}: does not round-trip");
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"mutant {i}: {e.GetType().Name}: {e.Message}");
            }

            long elapsed = watch.ElapsedTicks;
            long seen;
            while (elapsed > (seen = Interlocked.Read(ref slowestTicks)) && Interlocked.CompareExchange(ref slowestTicks, elapsed, seen) != seen)
            {
            }

            Interlocked.Increment(ref done);
        });

        TimeSpan slowest = TimeSpan.FromTicks(slowestTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
        output.WriteLine($"{done} mutants of {seeds.Length} seeds in {total.Elapsed.TotalSeconds:F1} s; slowest {slowest.TotalMilliseconds:F0} ms");
        foreach (string failure in failures.Take(20))
        {
            output.WriteLine(failure);
        }

        failures.ShouldBeEmpty();
        slowest.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        return done;
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        List<byte> bytes = [.. seed];
        int rounds = 1 + random.Next(4);
        for (int round = 0; round < rounds; round++)
        {
            switch (random.Next(9))
            {
                case 0 when bytes.Count > 0:
                    for (int k = random.Next(1, 16); k > 0; k--)
                    {
                        int at = random.Next(bytes.Count);
                        bytes[at] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 1 when bytes.Count > 0:
                    bytes = bytes.Take(random.Next(bytes.Count + 1)).ToList();
                    break;
                case 2:
                    bytes = MutateLines(bytes, random, duplicate: true);
                    break;
                case 3:
                    bytes = MutateLines(bytes, random, duplicate: false);
                    break;
                case 4:
                    bytes.InsertRange(HeaderInsertPoint(bytes, random), Encoding.ASCII.GetBytes($"X-Huge: {new string('h', random.Next(1, 100_000))}\r\n"));
                    break;
                case 5:
                    bytes.InsertRange(random.Next(bytes.Count + 1), LimitTests.DeepMultipart(random.Next(1, 1000)));
                    break;
                case 6:
                    bytes.InsertRange(random.Next(bytes.Count + 1), Encoding.ASCII.GetBytes(Pick(random, "\r\n--", "\r\n\r\n", "=?utf-8?B?", "?=", "\r\n ", "--\r\n", "begin 644 x\r\n", "Content-Type: multipart/mixed; boundary=\"\"\r\n", "Content-Transfer-Encoding: base64\r\n", "==", "\r", "\0")));
                    break;
                case 7:
                    bytes.InsertRange(HeaderInsertPoint(bytes, random), Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("X-Many: v\r\n", random.Next(1, 5_000)))));
                    break;
                default:
                    if (bytes.Count > 0)
                    {
                        int at = random.Next(bytes.Count);
                        bytes.InsertRange(at, bytes.Skip(at).Take(random.Next(1, 4096)).ToList());
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    private static List<byte> MutateLines(List<byte> bytes, Random random, bool duplicate)
    {
        List<byte[]> lines = SplitLines(bytes);
        if (lines.Count == 0)
        {
            return bytes;
        }

        for (int k = random.Next(1, 8); k > 0 && lines.Count > 0; k--)
        {
            int at = random.Next(lines.Count);
            if (duplicate)
            {
                lines.Insert(at, lines[at]);
            }
            else
            {
                lines.RemoveAt(at);
            }
        }

        return lines.SelectMany(l => l).ToList();
    }

    private static List<byte[]> SplitLines(List<byte> bytes)
    {
        List<byte[]> lines = [];
        int start = 0;
        for (int i = 0; i < bytes.Count; i++)
        {
            if (bytes[i] == '\n')
            {
                lines.Add(bytes.GetRange(start, i - start + 1).ToArray());
                start = i + 1;
            }
        }

        if (start < bytes.Count)
        {
            lines.Add(bytes.GetRange(start, bytes.Count - start).ToArray());
        }

        return lines;
    }

    private static int HeaderInsertPoint(List<byte> bytes, Random random)
    {
        int newline = bytes.IndexOf((byte)'\n');
        return random.Next(2) == 0 || newline < 0 ? 0 : newline + 1;
    }

    private static string Pick(Random random, params string[] choices) => choices[random.Next(choices.Length)];
}
