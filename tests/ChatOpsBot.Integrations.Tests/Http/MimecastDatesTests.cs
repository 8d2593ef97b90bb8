using System.Globalization;
using System.Text;
using ChatOpsBot.Integrations.Http;

namespace ChatOpsBot.Integrations.Tests.Http;

/// <summary>The digit-by-digit reading of Mimecast's usual date form must agree with the general parser on every text.</summary>
public sealed class MimecastDatesTests
{
    [Theory]
    [InlineData("2024-11-17T17:02:30+0000", "2024-11-17T17:02:30+00:00")]
    [InlineData("2024-02-29T00:00:00+0000", "2024-02-29T00:00:00+00:00")]
    [InlineData("0001-01-01T00:00:00+0000", "0001-01-01T00:00:00+00:00")]
    [InlineData("9999-12-31T23:59:59+0000", "9999-12-31T23:59:59+00:00")]
    [InlineData("2024-11-17T17:02:30+0100", "2024-11-17T17:02:30+01:00")]
    [InlineData("2024-11-17T17:02:30Z", "2024-11-17T17:02:30+00:00")]
    [InlineData("2024-11-17T17:02:30.5+00:00", "2024-11-17T17:02:30.5+00:00")]
    public void Mimecast_dates_are_read_in_each_form_they_come_in(string text, string expected) =>
        MimecastDates.Parse(text).ShouldBe(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("2023-02-29T00:00:00+0000")]
    [InlineData("2024-13-01T00:00:00+0000")]
    [InlineData("2024-11-17T24:00:00+0000")]
    [InlineData("2024-11-17T17:60:00+0000")]
    [InlineData("0000-01-01T00:00:00+0000")]
    [InlineData("2024-11-17 17:02:30+0000")]
    [InlineData("２０２４-11-17T17:02:30+0000")]
    [InlineData("")]
    [InlineData("yesterday")]
    public void Impossible_or_foreign_dates_read_as_absent(string text) => MimecastDates.Parse(text).ShouldBeNull();

    [Fact]
    public void The_fast_form_agrees_with_the_general_parser_on_generated_texts()
    {
        var random = new Random(7);
        const string Alphabet = "0123456789-T:+Z. x٣";
        int fast = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder(Valid(random));
            for (int edits = random.Next(0, 3); edits > 0; edits--)
            {
                text[random.Next(text.Length)] = Alphabet[random.Next(Alphabet.Length)];
            }

            string candidate = text.ToString();
            DateTimeOffset? general = MimecastDates.ParseAnyForm(candidate);
            if (MimecastDates.TryParseUtc(candidate, out DateTimeOffset value))
            {
                fast++;
                general.ShouldBe(value, candidate);
            }

            MimecastDates.Parse(candidate).ShouldBe(general, candidate);
        }

        fast.ShouldBeGreaterThan(5_000, "most generated texts are in the usual form");
    }

    private static string Valid(Random random) => string.Create(
        CultureInfo.InvariantCulture,
        $"{random.Next(1, 10_000):D4}-{random.Next(1, 13):D2}-{random.Next(1, 32):D2}T{random.Next(0, 25):D2}:{random.Next(0, 61):D2}:{random.Next(0, 61):D2}+0000");
}
