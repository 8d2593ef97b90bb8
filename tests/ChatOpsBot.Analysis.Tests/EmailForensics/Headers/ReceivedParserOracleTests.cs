using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Mail;
using ChatOpsBot.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Headers;

/// <summary>
/// <see cref="ReceivedParser"/> reads clauses as positions in the unfolded text; these tests hold every field it gives
/// to <see cref="LegacyReceivedParser"/> (a string per word and comment) on hand-picked, generated and real headers.
/// </summary>
public class ReceivedParserOracleTests
{
    /// <summary>Every field of a hop as text, so a difference names the field.</summary>
    private static string Fields(ReceivedHop hop) =>
        $"from={hop.FromHost}|rdns={hop.FromReverseDns}|ip={hop.FromIp}|by={hop.ByHost}|byip={hop.ByIp}|with={hop.Protocol}"
        + $"|id={hop.Id}|for={hop.For}|ts={hop.Timestamp?.ToString("O", System.Globalization.CultureInfo.InvariantCulture)}"
        + $"|off={hop.Timestamp?.Offset}|raw={hop.Raw}";

    private static bool Same(string value) => Fields(ReceivedParser.Parse(value)) == Fields(LegacyReceivedParser.Parse(value));

    [Theory]
    [InlineData("from a.test (a.test [192.0.2.1]) by b.test with ESMTPS id X1; Mon, 1 Jan 2024 10:00:00 +0000")]
    [InlineData("from unknown. (unknown. [192.0.2.1]) by b.test; Mon, 1 Jan 2024 10:00:00 +0000")]
    [InlineData("from x (unknown [192.0.2.1]) (real.test [192.0.2.2]) by b")]
    [InlineData("from x ( name.test.  [192.0.2.1]) by b")]
    [InlineData("from x (name_(x) [192.0.2.1]) by b")]
    [InlineData("from x (-bad [192.0.2.1]) by b")]
    [InlineData("with Microsoft SMTP Server (version=TLS1_2) id 15.20.1; Wed, 3 Jan 2024 08:00:01 +0000")]
    [InlineData("with A(c)B (d) C; id")]
    [InlineData("with A B(c); Mon, 1 Jan 2024 10:00:00 +0000")]
    [InlineData("from from by by with with id id for for")]
    [InlineData("from (c) by (d) for <a@b>; x")]
    [InlineData("from [IPv6:2001:db8::25] (helo=laptop.local) by smtp.example.org with esmtpsa id 1rLx2Q-000ABC-By; Fri, 05 Jan 2024 09:00:00 +0000")]
    [InlineData("from 192.0.2.9 (HELO [192.0.2.9]) by x")]
    [InlineData("from a (b (c [192.0.2.1]) by d")]
    [InlineData("from a [192.0.2.1 by b")]
    [InlineData("from a ([192.0.2.1]) by b (x 198.51.100.7 y) with SMTP id z")]
    [InlineData("by filter.sendgrid.net with SMTP id f-1234 Sat, 06 Jan 2024 10:00:00 +0000 (UTC)")]
    [InlineData("(qmail 12345 invoked by uid 89); 4 Jan 2024 11:59:58 -0000")]
    [InlineData("from a by b; not a date")]
    [InlineData("from a by b;")]
    [InlineData("")]
    [InlineData("(")]
    [InlineData("from (")]
    [InlineData("from a by b for ;;<x@y>;; ; Mon, 1 Jan 2024 10:00:00 +0000")]
    public void GivesTheFieldsOfTheStringPerWordParser(string value) =>
        Fields(ReceivedParser.Parse(value)).ShouldBe(Fields(LegacyReceivedParser.Parse(value)));

    /// <summary>More tokens than the parser keeps on the stack, with and without spaces between them.</summary>
    [Theory]
    [InlineData("w ", 100)]
    [InlineData("a(b)", 40)]
    [InlineData("(x)(y)", 50)]
    [InlineData("[192.0.2.1](z) ", 30)]
    public void GivesTheFieldsOfTheStringPerWordParserForManyTokens(string repeated, int times)
    {
        string value = $"from a.test {string.Concat(Enumerable.Repeat(repeated, times))} by b.test (c [192.0.2.7]) with {string.Concat(Enumerable.Repeat(repeated, times))}; Mon, 1 Jan 2024 10:00:00 +0000";
        Fields(ReceivedParser.Parse(value)).ShouldBe(Fields(LegacyReceivedParser.Parse(value)));
    }

    /// <summary>Headers assembled from the pieces real ones are made of, in any order, so clauses, comments and literals interleave.</summary>
    private static Gen<string> ReceivedLike()
    {
        string[] pieces =
        [
            "from", "by", "via", "with", "id", "for", "FROM", "By", "With", "ID",
            "mail.example.org", "mx.corp.test.", "unknown", "UNKNOWN.", "421484249706", "[REDACTED]", "[192.0.2.5]", "[IPv6:2001:db8::1]",
            "2603:10b6:404:bb::17", "198.51.100.23", "192.0.2.9;", "host,", "a.b-c_d", "<bob@example.net>", "<a@b>;", ";", ",",
            "(mail.example.org [203.0.113.5])", "(unknown [198.51.100.1])", "(helo=laptop.local)", "(HELO mail.sender.test)",
            "(EHLO [192.0.2.7])", "(2603:10b6:805:cf::12)", "(198.51.100.23)", "( 192.0.2.44 )", "(may be forged)", "(x 203.0.113.9 y)",
            "(version=TLS1_2, cipher=X)", "(Postfix)", "(", ")", "((", "[", "]", "(name.[192.0.2.3])", "(-x [192.0.2.4])",
            "ESMTPS", "Microsoft", "SMTP", "Server", "HTTPREST", "esmtpsa", "(TLS1.3)",
            "; Mon, 1 Jan 2024 10:00:00 +0000", "; Tue, 2 Jan 2024 10:15:30 +0100 (CET)", "Sat, 06 Jan 2024 10:00:00 +0000 (UTC)",
            "4 Jan 2024 12:00:00 -0000", "; garbage", "14:55:07", "\r\n\t", "  ", "\u00a0", "é",
        ];
        return GeneratedHeaderText.Of(pieces, [" ", " ", " ", "", "\r\n\t", "  "], maxPieces: 24);
    }

    [Fact]
    public void GivesTheFieldsOfTheStringPerWordParserOnGeneratedHeaders() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(20_000), Prop.ForAll(ReceivedLike().ToArbitrary(), value =>
            Same(value).Label(value)));

    [Fact]
    public void GivesTheFieldsOfTheStringPerWordParserOnArbitraryText() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(5_000), Prop.ForAll<string>(text => Same(text ?? string.Empty)));

    [SharedFolderFact]
    public void GivesTheFieldsOfTheStringPerWordParserOnEveryReceivedHeaderOfTheCorpus()
    {
        int compared = 0;
        foreach (string file in Directory.EnumerateFiles(SharedFolder.PathTo("corpus/mail"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (Header header in MimeMessage.Load(File.ReadAllBytes(file)).Headers)
            {
                if (header.Is("Received"))
                {
                    Fields(ReceivedParser.Parse(header.Value)).ShouldBe(Fields(LegacyReceivedParser.Parse(header.Value)), file);
                    compared++;
                }
            }
        }

        compared.ShouldBeGreaterThan(100);
    }
}
