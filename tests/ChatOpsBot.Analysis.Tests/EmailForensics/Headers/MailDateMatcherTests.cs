using System.Text;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Mail;
using ChatOpsBot.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Headers;

/// <summary>
/// <see cref="MailDate.TryParse"/> reads ASCII dates with a hand-written matcher; these tests hold it to the
/// original pattern (<see cref="MailDate.TryParseWithPattern"/>) on generated text, on mutated dates and on every
/// header of the mail corpus.
/// </summary>
public class MailDateMatcherTests
{
    private const int Seed = 20_261_122;

    private static readonly string[] s_dates =
    [
        "Tue, 1 Jul 2003 10:52:37 +0200", "Mon, 12 Oct 2019 20:09:08 -0700 (PDT)", "1 Jan 70 00:00 GMT",
        "Sat, 07 Sep 2024 16:19:03.123 +0000", "17-Sep-2019 11:22:33 EST", "2 Fe 2020 1:2", "03 Sept. 2019 9:05:59 UT",
        "Thu, 29 Feb 2024 23:59:60 Z", "by mx.example.com with ESMTPS id 123; Wed, 5 Jun 2024 08:00:00 +0530",
        "31 Apr 2020 10:00 XYZ", "5 Dec 999 10:00 CEST", "12 dec 12345 10:00", "1 JAN 2020 10:00:00 pdt", "2024-06-05T08:00:00Z",
    ];

    [Fact]
    public void MatchesWhatThePatternMatchesOnGeneratedText()
    {
        Gen<string> pieces = Gen.Elements(
            "1", "2", "9", "12", "31", "2024", "99", "123", "00:00", ":", ":60", ".", ".5", "+0200", "-0700", "+12", "-",
            " ", "  ", "\t", "\r\n", "\v", "\f", "\u001f", "_", ",", "(", ")", ";", "jan", "Feb", "MAR", "sept", "Dec.",
            "mon", "GMT", "pdt", "CEST", "ABCDEF", "Z", "x", "T", "UT1");
        Gen<string> texts = Gen.Choose(0, 24).SelectMany(n => Gen.ArrayOf(pieces, n)).Select(p => string.Concat(p));

        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(30_000),
            Prop.ForAll(texts.ToArbitrary(), text => Exact(MailDate.TryParse(text)) == Exact(MailDate.TryParseWithPattern(text))));
    }

    [Fact]
    public void MatchesWhatThePatternMatchesOnMutatedDates()
    {
        var random = new Random(Seed);
        int compared = 0;
        for (int i = 0; i < 40_000; i++)
        {
            string text = Mutate(s_dates[random.Next(s_dates.Length)], random);
            Exact(MailDate.TryParse(text)).ShouldBe(Exact(MailDate.TryParseWithPattern(text)), $"\"{text}\"");
            compared++;
        }

        compared.ShouldBe(40_000);
    }

    [SharedFolderFact]
    public void MatchesWhatThePatternMatchesOnEveryCorpusHeader()
    {
        var texts = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(SharedFolder.PathTo(Path.Combine("corpus", "mail")), "*.eml", SearchOption.AllDirectories))
        {
            MimeMessage message = MimeMessage.Load(File.ReadAllBytes(file));
            foreach (MimeEntity entity in message.Body.DescendantsAndSelf())
            {
                foreach (Header header in entity.Headers)
                {
                    texts.Add(header.Value);
                    for (int semicolon = header.Value.IndexOf(';'); semicolon >= 0; semicolon = header.Value.IndexOf(';', semicolon + 1))
                    {
                        texts.Add(header.Value[(semicolon + 1)..]);
                    }
                }
            }
        }

        var random = new Random(Seed);
        int dates = 0;
        foreach (string text in texts)
        {
            DateTimeOffset? expected = MailDate.TryParseWithPattern(text);
            Exact(MailDate.TryParse(text)).ShouldBe(Exact(expected), $"\"{text}\"");
            dates += expected is null ? 0 : 1;
            for (int k = 0; k < 5; k++)
            {
                string mutant = Mutate(text, random);
                Exact(MailDate.TryParse(mutant)).ShouldBe(Exact(MailDate.TryParseWithPattern(mutant)), $"\"{mutant}\"");
            }
        }

        dates.ShouldBeGreaterThan(100);
    }

    [Theory]
    [InlineData("\u0661\u0662 Jan 2020 10:00:00 +0000")]
    [InlineData("12 Jan \u0662\u0660\u0662\u0660 10:00:00 +0000")]
    [InlineData("12 Jan 2020 10:00:00 +\u0660\u0661\u0660\u0660")]
    [InlineData("\u00e9 12 Jan 2020 1\u0660:00")]
    public void DigitsOfOtherScriptsGiveNoDateInsteadOfThrowing(string text)
    {
        MailDate.TryParse(text).ShouldBeNull();
        MailDate.TryParseWithPattern(text).ShouldBeNull();
    }

    [Fact]
    public void ReadsTheFractionAndZoneAfterNonAsciiTextAsThePatternDoes()
    {
        Exact(MailDate.TryParse("\u00e9 1 Jan 2020 10:00:00.\u0663 +0100")).ShouldBe("2020-01-01T10:00:00.0000000+01:00");
    }

    // DateTimeOffset equality ignores the offset, which the report shows: compare instant and offset.
    private static string? Exact(DateTimeOffset? value) => value?.ToString("o", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One to four edits: a character inserted, deleted, replaced (any ASCII, controls included) or a run doubled.</summary>
    private static string Mutate(string text, Random random)
    {
        var builder = new StringBuilder(text);
        for (int edits = random.Next(1, 5); edits > 0; edits--)
        {
            int at = random.Next(builder.Length + 1);
            switch (random.Next(4))
            {
                case 0:
                    builder.Insert(at, (char)random.Next(128));
                    break;
                case 1 when at < builder.Length:
                    builder.Remove(at, 1);
                    break;
                case 2 when at < builder.Length:
                    builder[at] = (char)random.Next(128);
                    break;
                default:
                    int length = Math.Min(random.Next(1, 6), builder.Length - at);
                    builder.Insert(at, builder.ToString(at, length));
                    break;
            }
        }

        return builder.ToString();
    }
}
