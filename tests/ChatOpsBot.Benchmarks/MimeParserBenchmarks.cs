using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using ChatOpsBot.Mail;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Benchmarks;

/// <summary>
/// MIME parser throughput. Divide the bytes reported in the setup output by the mean time for MB/s: the corpus
/// (every message of ../shared/corpus/mail, loaded into memory first; set CHATOPS_SHARED_DIR if it is elsewhere) and a
/// generated message with a 25 MB attachment (parse, decode and SHA-256 the attachment).
/// Targets: >= 160 MB/s on the corpus, >= 200 MB/s on the attachment, peak memory under 3x the message size.
/// </summary>
[MemoryDiagnoser]
public class MimeParserBenchmarks
{
    private const int AttachmentBytes = 25 * 1024 * 1024;

    private byte[][] _corpus = [];
    private byte[][] _mailOnly = [];
    private byte[] _largeMessage = [];

    [GlobalSetup]
    public void Setup()
    {
        string? corpus = LocateCorpus();
        string[] files = corpus is null
            ? []
            : Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".json", StringComparison.Ordinal)).ToArray();
        _corpus = files.Select(File.ReadAllBytes).ToArray();

        // The corpus also holds binary samples (.xls, .msg, .docx) that parse as one opaque part and inflate MB/s.
        _mailOnly = files.Where(f => f.EndsWith(".eml", StringComparison.Ordinal) || f.EndsWith(".txt", StringComparison.Ordinal)).Select(File.ReadAllBytes).ToArray();
        _largeMessage = BuildLargeMessage();
        Console.WriteLine($"// corpus: {_corpus.Length} files, {_corpus.Sum(c => (long)c.Length)} bytes; .eml/.txt only: {_mailOnly.Length} files, {_mailOnly.Sum(c => (long)c.Length)} bytes; large message: {_largeMessage.Length} bytes");
    }

    [Benchmark(Description = "parse corpus")]
    public int ParseCorpus()
    {
        int entities = 0;
        foreach (byte[] message in _corpus)
        {
            entities += MimeParser.Parse(message).BodyParts.Count();
        }

        return entities;
    }

    [Benchmark(Description = "parse corpus .eml/.txt only")]
    public int ParseMailOnly()
    {
        int entities = 0;
        foreach (byte[] message in _mailOnly)
        {
            entities += MimeParser.Parse(message).BodyParts.Count();
        }

        return entities;
    }

    [Benchmark(Description = "parse corpus + decode every part")]
    public long ParseAndDecodeCorpus()
    {
        long decoded = 0;
        foreach (byte[] message in _corpus)
        {
            foreach (MimeEntity entity in MimeParser.Parse(message).BodyParts)
            {
                if (entity is MimePart part)
                {
                    decoded += part.CopyContentTo(Stream.Null);
                }
            }
        }

        return decoded;
    }

    [Benchmark(Description = "parse + decode + SHA-256 of a 25 MB attachment")]
    public byte[] ParseLargeAttachmentAndHash()
    {
        MimeMessage message = MimeParser.Parse(_largeMessage);
        MimePart attachment = (MimePart)message.Attachments.Single();
        using Stream content = attachment.OpenContentStream();
        return SHA256.HashData(content);
    }

    internal static byte[] BuildLargeMessage()
    {
        byte[] attachment = new byte[AttachmentBytes];
        new Random(42).NextBytes(attachment);
        string header = "From: sender@example.com\r\nTo: soc@example.com\r\nSubject: large attachment\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"large-boundary\"\r\n\r\n--large-boundary\r\nContent-Type: text/plain\r\n\r\n"
            + "See attached.\r\n--large-boundary\r\nContent-Type: application/octet-stream; name=\"big.bin\"\r\n"
            + "Content-Disposition: attachment; filename=\"big.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n";
        string body = Convert.ToBase64String(attachment, Base64FormattingOptions.InsertLineBreaks);
        return Encoding.ASCII.GetBytes(header + body + "\r\n--large-boundary--\r\n");
    }

    private static string? LocateCorpus() =>
        SharedFolder.Root is { } shared && Directory.Exists(Path.Combine(shared, "corpus", "mail"))
            ? Path.Combine(shared, "corpus", "mail")
            : null;
}
