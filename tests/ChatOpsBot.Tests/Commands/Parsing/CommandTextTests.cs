using ChatOpsBot.Commands.Parsing;

namespace ChatOpsBot.Tests.Commands.Parsing;

public sealed class CommandTextTests
{
    private static string[] Words(string text) => [.. CommandText.Parse(text).Tokens.Select(t => t.Value)];

    [Theory]
    [InlineData("vip check \"Jane Doe\" jane@evil.test")]
    [InlineData("vip check 'Jane Doe' jane@evil.test")]
    [InlineData("vip check “Jane Doe” jane@evil.test")]
    [InlineData("vip check ‘Jane Doe’ jane@evil.test")]
    [InlineData("vip   check \t “Jane Doe”   jane@evil.test  ")]
    public void QuotedWordsGroupWhateverQuotesTheClientProduced(string text) =>
        Words(text).ShouldBe(["vip", "check", "Jane Doe", "jane@evil.test"]);

    [Theory]
    [InlineData("<at>ChatOps</at> audit", "audit")]
    [InlineData("<at>@ChatOps Bot</at>   audit", "audit")]
    [InlineData("@ChatOps audit", "audit")]
    [InlineData("<@U0BOT123> audit", "audit")]
    [InlineData("<@U0BOT123|chatops> audit", "audit")]
    [InlineData("<at>ChatOps</at> <at>ChatOps</at> audit", "audit")]
    public void LeftoverMentionsBeforeTheCommandAreDropped(string text, string first) =>
        Words(text)[0].ShouldBe(first);

    [Fact]
    public void MentionsAfterTheCommandWordAreKeptAsArguments() =>
        Words("vip check @channel a@b.test").ShouldBe(["vip", "check", "@channel", "a@b.test"]);

    [Fact]
    public void ApostropheInsideANameDoesNotOpenAQuote() =>
        Words("vip add 'Pat O'Brien' pat@corp.test").ShouldBe(["vip", "add", "Pat O'Brien", "pat@corp.test"]);

    [Fact]
    public void ApostropheStartingAWordStillQuotesUntilAClosingQuoteBeforeASpace() =>
        Words("vip add Pat O'Brien pat@corp.test").ShouldBe(["vip", "add", "Pat", "O'Brien", "pat@corp.test"]);

    [Fact]
    public void AnUnclosedQuoteRunsToTheEnd() =>
        Words("vip check \"Jane Doe jane@evil.test").ShouldBe(["vip", "check", "Jane Doe jane@evil.test"]);

    [Fact]
    public void RestAfterKeepsLineBreaksOfAPastedBlock()
    {
        CommandText text = CommandText.Parse("headers\nReceived: from a\n\tby b\nFrom: x@y.test");

        text.RestAfter(1).ShouldBe("Received: from a\n\tby b\nFrom: x@y.test");
    }

    [Theory]
    [InlineData("/audit", "audit")]
    [InlineData("AUDIT", "audit")]
    [InlineData("Vip", "vip")]
    [InlineData("au\u200Bdit", "audit")]
    public void CommandNamesAreNormalised(string word, string expected) =>
        CommandText.NormalizeName(word).ShouldBe(expected);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("<at>ChatOps</at>")]
    [InlineData("@ChatOps")]
    public void OnlyAMentionIsAnEmptyCommand(string text) => CommandText.Parse(text).IsEmpty.ShouldBeTrue();

    [Fact]
    public void AHugeMessageWithoutSpacesIsOneWordQuickly()
    {
        string text = "a" + new string('"', 50_000);

        CommandText.Parse(text).Tokens.Count.ShouldBe(1);
    }
}
