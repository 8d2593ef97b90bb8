using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatOpsBot.Mail;
using ChatOpsBot.TestSupport;
using Xunit.Abstractions;

namespace ChatOpsBot.Mail.Tests.Corpus;

public partial class CorpusTests(ITestOutputHelper output)
{
    // Every known disagreement with stalwart's expectations, and why we differ on purpose. A disagreement that is not
    // listed here fails the suite, so a regression cannot hide under the threshold.
    private static readonly Dictionary<string, string> s_explainedDisagreements = new(StringComparer.Ordinal)
    {
        ["stalwart/malformed/000.eml"] =
            "boundary ':foo' with well-formed delimiter lines: stalwart returns a multipart with no parts; we return its four (empty-bodied) parts.",
        ["stalwart/rfc/000.eml"] =
            "base64 parts whose content is prose ('... base64-encoded image data goes here ...'): stalwart keeps them as raw text; we decode tolerantly, skipping junk, as the issue requires.",
        ["stalwart/thirdparty/002.eml"] =
            "base64 'ecO2dMOkIHZhYW4uCg== ignored' and '?garbage': stalwart stops at the first padding and keeps undecodable base64 as raw text; we decode past padding (Base64InternalPadding, the parser-differential hiding place) and skip junk.",
        ["stalwart/thirdparty/005.eml"] =
            "'invalid--1--': stalwart matches a closing delimiter in the middle of a line (its issue #156); we only match delimiters at line starts (RFC 2046). The CRLF variant also ends a UTF-16LE text on a dangling byte, which we show as U+FFFD and stalwart drops.",
        ["stalwart/thirdparty/015.eml"] =
            "an embedded message's header block runs straight into the enclosing delimiter: stalwart reads through it and chains the following parts into that message; we end the headers at the delimiter and keep all four forwarded messages visible, as Python and MimeKit do.",
    };

    [SharedFolderFact]
    public void EveryCorpusFileParsesWithoutExceptionAndRoundTripsByteForByte()
    {
        IReadOnlyList<string> files = MailCorpus.Messages();
        files.Count.ShouldBeGreaterThan(200);
        List<string> failures = [];
        foreach (string file in files)
        {
            byte[] bytes = File.ReadAllBytes(file);
            MimeMessage message = MimeParser.Parse(bytes);
            ExerciseEverything(message);
            if (!Eml.RoundTrip(message).AsSpan().SequenceEqual(bytes))
            {
                failures.Add(MailCorpus.Relative(file));
            }
        }

        failures.ShouldBeEmpty();
    }

    [SharedFolderFact]
    public void StalwartExpectationsMatchForAtLeast95PercentAndEveryDisagreementIsExplained()
    {
        string root = Path.Combine(MailCorpus.Root, "stalwart");
        int compared = 0;
        int matched = 0;
        List<string> unexplained = [];
        foreach (string eml in Directory.EnumerateFiles(root, "*.eml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            byte[] raw = File.ReadAllBytes(eml);

            // stalwart's suite parses each message twice: with every CR removed (.json) and with every bare LF
            // widened to CRLF (.crlf.json).
            string latin = Encoding.Latin1.GetString(raw);
            byte[] lf = Encoding.Latin1.GetBytes(latin.Replace("\r", string.Empty, StringComparison.Ordinal));
            byte[] crlf = Encoding.Latin1.GetBytes(BareLineFeed().Replace(latin, "\r\n"));
            foreach ((byte[] bytes, string suffix) in new[] { (lf, ".json"), (crlf, ".crlf.json") })
            {
                string expectationPath = eml[..^4] + suffix;
                using JsonDocument expectation = JsonDocument.Parse(File.ReadAllBytes(expectationPath));
                (List<string> differences, List<string> adjustments) = StalwartExpectation.Compare(MimeParser.Parse(bytes), expectation.RootElement);
                compared++;
                string name = $"stalwart/{Path.GetRelativePath(root, eml)}";
                foreach (string adjustment in adjustments.Distinct())
                {
                    output.WriteLine($"adjusted  {name} ({suffix}): {adjustment}");
                }

                if (differences.Count == 0)
                {
                    matched++;
                    continue;
                }

                string reason = s_explainedDisagreements.GetValueOrDefault(name, "UNEXPLAINED");
                output.WriteLine($"DIFFERENT {name} ({suffix}): {string.Join("; ", differences)}");
                output.WriteLine($"          reason: {reason}");
                if (!s_explainedDisagreements.ContainsKey(name))
                {
                    unexplained.Add(name);
                }
            }
        }

        double rate = (double)matched / compared;
        output.WriteLine($"stalwart: {matched}/{compared} expectations match ({rate:P1})");
        compared.ShouldBe(214);
        rate.ShouldBeGreaterThanOrEqualTo(0.95);
        unexplained.ShouldBeEmpty();
    }

    internal static void ExerciseEverything(MimeMessage message)
    {
        _ = message.TextBody;
        _ = message.HtmlBody;
        _ = message.Date;
        _ = message.From.Mailboxes.Count();
        _ = message.To.ToString();
        _ = message.Subject;
        _ = message.MessageId;
        _ = message.EnumerateAllDefects().Count();
        foreach (MimeEntity entity in MimeTree.AllEntities(message))
        {
            if (entity is MimePart part)
            {
                _ = part.FileName;
                _ = part.GetContentBytes();
                _ = part.ContentDefects;
                if (part is TextPart text)
                {
                    _ = text.Text;
                    _ = text.FindUuencodedFiles();
                }
            }
        }
    }

    [GeneratedRegex("(?<!\r)\n")]
    private static partial Regex BareLineFeed();
}
