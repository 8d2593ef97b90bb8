using ChatOpsBot.Mail;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Mail.Tests;

public class DateParserTests
{
    [Theory]
    [InlineData("Mon, 3 Jun 2024 10:15:30 +0200", "2024-06-03T10:15:30+02:00")]
    [InlineData("3 Jun 2024 10:15:30 -0700", "2024-06-03T10:15:30-07:00")]
    [InlineData("Mon, 03 Jun 2024 10:15 +0000", "2024-06-03T10:15:00+00:00")]
    [InlineData("Mon, 3 Jun 24 10:15:30 EST", "2024-06-03T10:15:30-05:00")]
    [InlineData("Tue, 4 Jun 99 01:02:03 PDT", "1999-06-04T01:02:03-07:00")]
    [InlineData("Mon, 3 Jun 2024 10:15:30 GMT", "2024-06-03T10:15:30+00:00")]
    [InlineData("Mon, 3 Jun 2024 10:15:30 UT", "2024-06-03T10:15:30+00:00")]
    [InlineData("Mon, 3 Jun 2024 10:15:30 Z", "2024-06-03T10:15:30+00:00")]
    [InlineData("Mon, 3 Jun 2024 10:15:30 J", "2024-06-03T10:15:30+00:00")]
    [InlineData("  Mon,   3   Jun   2024   10:15:30   +0200  (CEST)", "2024-06-03T10:15:30+02:00")]
    [InlineData("Mon (comment), 3 Jun 2024 10:15:30 +0200", "2024-06-03T10:15:30+02:00")]
    [InlineData("Mon Jun  3 10:15:30 2024", "2024-06-03T10:15:30+00:00")]
    [InlineData("Monday, 3 June 2024 10:15:30 +0200", "2024-06-03T10:15:30+02:00")]
    [InlineData("3 Jun 2024 10:15:30+0200", "2024-06-03T10:15:30+02:00")]
    [InlineData("Thu, 1 Jan 70 00:00:00 +0000", "1970-01-01T00:00:00+00:00")]
    public void ParsesTheDateFormsRealMailCarries(string header, string expected)
    {
        MimeMessage message = Eml.Parse($"Date: {header}\n\n");

        message.Date.ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
        message.Defects.ShouldNotContain(d => d.Kind == MimeDefectKind.InvalidDate);
    }

    [Theory]
    [InlineData("not a date")]
    [InlineData("31 Feb 2024 10:00:00 +0000")]
    [InlineData("Mon, 3 Jun 2024 25:00:00 +0000")]
    [InlineData("Mon, 3 Jun 2024")]
    [InlineData("")]
    public void UnparseableDateIsNullWithDefect(string header)
    {
        MimeMessage message = Eml.Parse($"Date: {header}\n\n");

        message.Date.ShouldBeNull();
        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidDate);
    }

    [Fact]
    public void MissingDateIsNullWithoutDefect()
    {
        MimeMessage message = Eml.Parse("Subject: s\n\n");

        message.Date.ShouldBeNull();
        message.Defects.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Mon, 3 Jun 2024\0 10:15:30 +0200")]
    [InlineData("Mon, 3\0\0 Jun 2024 10:15:30\0 +0200\0")]
    [InlineData("Mon, 3 Jun 2024 10:15:3\0x +0200")]
    [InlineData("Mon, 3 \u017Fep 2024 10:15:30 +0200")]
    [InlineData("Mon, 3 SEPT 2024 10:15:30 +0200")]
    [InlineData("Mon, 3 Jun 2147483648 10:15:30 +0200")]
    [InlineData("Mon, 3 Jun 0002024 10:15:30 +0200")]
    [InlineData("Mon,\u30003\u2003Jun\u00a02024 10:15:30 +0200")]
    public void DigitsMonthsAndSeparatorsAreReadAsTheStringParserReadThem(string text)
    {
        // Numbers are read without int.TryParse (which accepts trailing NULs), months by a three-letter key that
        // leaves non-ASCII letters to a case-insensitive comparison, tokens split at any char.IsWhiteSpace.
        DateTimeOffset? legacy = LegacyDateParser.Parse(text);

        DateTimeOffset? parsed = DateParser.Parse(text);

        parsed.ShouldBe(legacy);
        (parsed?.Offset).ShouldBe(legacy?.Offset);
    }

    [Fact]
    public void SpanParserGivesTheSameResultAsTheStringParserItReplaced()
    {
        string[] pieces =
        [
            "Mon", "Monday", ",", " ", "  ", "\t", "3", "03", "31", "0", "Jun", "June", "jun", "feb", "Ju", "2024", "99", "124",
            "10:15:30", "10:15", "25:00", "1:2:3:4", ":", "10:00:00GMT", "10:15:30+0200", "10:15-0700", "+0200", "-0700",
            "+9999", "+02", "GMT", "est", "UTC", "J", "z", "(", ")", "(CEST)", "(a (b) c)", ".", "2024.", "Jun.", "+", "-",
            "a", "\u00e9", "\u0661", "x".PadRight(120, 'x'),
            "\0", "12\0", "\u017Fep", "SEP", "Sept", "dEc", "[an", "\u3000", "\u2003", "\u00a0", "99999999999", "2147483648", "0002024",
        ];
        // Free sequences of the pieces, and dates built slot by slot (mostly valid) with pieces mixed in.
        Gen<string> free = Gen.Elements(pieces).ArrayOf().Select(string.Concat);
        Gen<string> slotted =
            from day in Gen.Elements("", "Mon, ", "Tue,", "(x) Wed, ")
            from date in Gen.Elements("3 Jun 2024", "03 jun 24", "31 Feb 2024", "Jun  3", "1 Jan 70", "29 Feb 2000", "12 Dec 9999")
            from time in Gen.Elements(" 10:15:30", " 10:15", " 23:59:60", " 24:00", "", " 10:15:30+0200", " 2024")
            from zone in Gen.Elements(" +0200", " -0730", " GMT", " PDT", " J", "", " +1900", " (CEST)", " pst")
            from tail in Gen.Elements(pieces).ArrayOf(2).Select(string.Concat)
            from tailed in Gen.Elements(true, false, false)
            select day + date + time + zone + (tailed ? tail : string.Empty);
        Prop.ForAll(
            Gen.OneOf(free, slotted).ToArbitrary(),
            text => DateParser.Parse(text) is { } parsed
                ? LegacyDateParser.Parse(text) is { } legacy && parsed.EqualsExact(legacy)
                : LegacyDateParser.Parse(text) is null).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }
}
