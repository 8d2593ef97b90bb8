namespace ChatOpsBot.Slack.Tests;

public sealed class SlackLogTextTests
{
    [Theory]
    [InlineData("line one\nFAKE ENTRY", "line one?FAKE ENTRY")]
    [InlineData("a\u2028b\u2029c", "a?b?c")]
    [InlineData("pay\u202Efdp.exe", "pay?fdp.exe")]
    [InlineData("ad\u200Bmin", "ad?min")]
    [InlineData("tag\U000E0041\U000E0042", "tag??")]
    [InlineData("ok \U0001F600 done", "ok \U0001F600 done")]
    public void CharactersThatForgeOrHideLogTextAreShownAsQuestionMarks(string value, string expected)
    {
        SlackLogText.Safe(value).ShouldBe(expected);
    }

    [Fact]
    public void LoneSurrogatesAreShownAsQuestionMarks()
    {
        // Built in code: xunit's test-case serialisation would turn a lone surrogate in InlineData into U+FFFD.
        SlackLogText.Safe("lone " + '\uD800' + " high").ShouldBe("lone ? high");
        SlackLogText.Safe("lone " + '\uDC00' + " low").ShouldBe("lone ? low");
        SlackLogText.Safe("end " + '\uD800').ShouldBe("end ?");
    }

    [Fact]
    public void LongValuesAreCutWithoutSplittingASurrogatePair()
    {
        string value = new string('x', 9) + "\U0001F600" + "tail";

        SlackLogText.Safe(value, maxChars: 10).ShouldBe(new string('x', 9) + "…");
        SlackLogText.Safe(value, maxChars: 11).ShouldBe(new string('x', 9) + "\U0001F600…");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NothingIsShownAsNone(string? value)
    {
        SlackLogText.Safe(value).ShouldBe("(none)");
    }
}
