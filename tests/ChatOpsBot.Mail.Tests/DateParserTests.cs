using ChatOpsBot.Mail;

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
}
