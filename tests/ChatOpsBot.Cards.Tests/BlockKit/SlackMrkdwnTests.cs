using ChatOpsBot.Cards.BlockKit;

namespace ChatOpsBot.Cards.Tests.BlockKit;

public class SlackMrkdwnTests
{
    [Theory]
    [InlineData("<!channel> now", "&lt;!channel&gt; now")]
    [InlineData("<!here>", "&lt;!here&gt;")]
    [InlineData("<@U024BE7LH> hi", "&lt;@U024BE7LH&gt; hi")]
    [InlineData("<!subteam^S0123|@security>", "&lt;!subteam^S0123|@security&gt;")]
    [InlineData("<https://evil.example|Your bank>", "&lt;https∶//evil.example|Your bank&gt;")]
    [InlineData("<!date^1392734382^{date}|x>", "&lt;!date^1392734382^{date}|x&gt;")]
    [InlineData("Tom & Jerry &lt;", "Tom &amp; Jerry &amp;lt;")]
    public void SlackControlCharactersBecomeEntitiesSoNoMentionBroadcastOrLinkForms(string literal, string expected)
    {
        SlackMrkdwn.Escape(literal).ShouldBe(expected);
    }

    [Theory]
    [InlineData("*free* money", "∗free∗ money")]
    [InlineData("_urgent_", "ˍurgentˍ")]
    [InlineData("this is ~not~ phishing", "this is ∼not∼ phishing")]
    [InlineData("run `rm -rf`", "run ˋrm -rfˋ")]
    [InlineData("a * b", "a ∗ b")]
    [InlineData("2*3*4", "2∗3∗4")]
    public void FormattingMarkersThatCouldOpenOrCloseFormattingBecomeLookalikes(string literal, string expected)
    {
        SlackMrkdwn.Escape(literal).ShouldBe(expected);
    }

    [Theory]
    [InlineData("Invoice_0512.html")]
    [InlineData("snake_case_name")]
    [InlineData("PROGRA~1")]
    [InlineData("08:13:58 UTC")]
    [InlineData("T1598.003 Spearphishing Link")]
    public void MarkersInsideWordsAndTimesStayAsWritten(string literal)
    {
        SlackMrkdwn.Escape(literal).ShouldBe(literal);
    }

    [Theory]
    [InlineData(":white_check_mark: Verified sender", "∶white_check_mark: Verified sender")]
    [InlineData("Safe :lock:", "Safe ∶lock:")]
    [InlineData("ok:+1:", "ok∶+1:")]
    [InlineData(":-1:", "∶-1:")]
    public void EmojiCodesFromTextDoNotRenderAsEmoji(string literal, string expected)
    {
        SlackMrkdwn.Escape(literal).ShouldBe(expected);
    }

    [Theory]
    [InlineData("x@here", "x＠here")]
    [InlineData("team@channel!", "team＠channel!")]
    [InlineData("ops@everyone.example", "ops＠everyone.example")]
    [InlineData("dana@heresy.example", "dana@heresy.example")]
    public void BroadcastWordsAfterAnAtSignCannotNotify(string literal, string expected)
    {
        SlackMrkdwn.Escape(literal).ShouldBe(expected);
    }

    [Theory]
    [InlineData("1https://evil.example/x", "1https∶//evil.example/x")]
    [InlineData("aHTTP://x", "aHTTP∶//x")]
    [InlineData("hxxps://evil[.]example", "hxxps://evil[.]example")]
    public void AWebSchemeThatEscapedDefangingIsBroken(string literal, string expected)
    {
        SlackMrkdwn.Escape(literal).ShouldBe(expected);
        SlackMrkdwn.CodeFromCardText(literal, 3000).ShouldBe(expected);
    }

    [Fact]
    public void AQuoteMarkerStartingALineDoesNotQuote()
    {
        SlackMrkdwn.Escape("> quoted").ShouldBe("˃ quoted");
        SlackMrkdwn.Escape("  > indented\n> next").ShouldBe("  ˃ indented\n˃ next");
        SlackMrkdwn.Escape("a > b").ShouldBe("a &gt; b");
    }

    [Fact]
    public void CardTextIsUnescapedOnceAndOnlyTheBuildersBoldBecomesMarkup()
    {
        string cardText = $"Action: **{CardText.Escape("*phish* [x](y) a_b")}** · {CardText.Escape("<@U1>")}";

        string mrkdwn = SlackMrkdwn.FromCardText(cardText, 3000);

        mrkdwn.ShouldBe("Action: *∗phish∗ [x](y) a_b* · &lt;[@]U1&gt;");
    }

    [Fact]
    public void BoldMarkersHugTheTextSoSlackFormatsThem()
    {
        SlackMrkdwn.FromCardText("x ** bold ** y", 3000).ShouldBe("x  *bold*  y");
    }

    [Fact]
    public void AnUnpairedDoubleAsteriskIsText()
    {
        SlackMrkdwn.FromCardText("**a** **b", 3000).ShouldBe("*a* ∗∗b");
    }

    [Fact]
    public void CardTextBackslashesThatEscapeNothingStay()
    {
        SlackMrkdwn.FromCardText(@"C:\Users\x \\ \q", 3000).ShouldBe(@"C:\Users\x \ \q");
    }

    [Fact]
    public void LongTextIsCutVisiblyWithinTheLimitAndCountsWhatIsLeftOut()
    {
        string literal = new string('a', 5000);

        string cut = SlackMrkdwn.Escape(literal, 3000);

        cut.Length.ShouldBeLessThanOrEqualTo(3000);
        cut.ShouldEndWith(CardText.TruncationMarker(5000 - cut.IndexOf('…', StringComparison.Ordinal)));
    }

    [Fact]
    public void ACutNeverSplitsAnEntityOrLeavesBoldOpen()
    {
        string cardText = "**" + string.Concat(Enumerable.Repeat("<&>", 400)) + "**";

        string cut = SlackMrkdwn.FromCardText(cardText, 200);

        cut.Length.ShouldBeLessThanOrEqualTo(200);
        cut.ShouldStartWith("*&lt;&amp;&gt;");
        string body = cut[..cut.IndexOf('…', StringComparison.Ordinal)];
        body.ShouldEndWith("*");
        body.Count(c => c == '*').ShouldBe(2);
        body.Trim('*').Replace("&lt;", "", StringComparison.Ordinal).Replace("&amp;", "", StringComparison.Ordinal).Replace("&gt;", "", StringComparison.Ordinal).ShouldBeEmpty();
    }

    [Fact]
    public void ACutNeverSplitsASurrogatePair()
    {
        string cut = SlackMrkdwn.Escape(string.Concat(Enumerable.Repeat("😀", 100)), 50);

        cut.Length.ShouldBeLessThanOrEqualTo(50);
        for (int i = 0; i < cut.Length; i++)
        {
            if (char.IsHighSurrogate(cut[i]))
            {
                char.IsLowSurrogate(cut[i + 1]).ShouldBeTrue();
                i++;
            }
            else
            {
                char.IsLowSurrogate(cut[i]).ShouldBeFalse();
            }
        }
    }

    [Fact]
    public void CodeTextKeepsMarkersButCannotCloseTheCodeSpan()
    {
        SlackMrkdwn.CodeFromCardText(CardText.Escape("a_b *c* `x` <!here>"), 3000).ShouldBe("a_b *c* ˋxˋ &lt;!here&gt;");
    }

    [Fact]
    public void PlainTextShowsAngleBracketsAsGuillemetsAndNoMarkup()
    {
        SlackMrkdwn.PlainFromCardText("**Hello**, " + CardText.Escape("<!channel> & _x_"), 150).ShouldBe("Hello, ‹!channel› & _x_");
        SlackMrkdwn.Plain(new string('x', 200), 75).Length.ShouldBeLessThanOrEqualTo(75);
    }
}
