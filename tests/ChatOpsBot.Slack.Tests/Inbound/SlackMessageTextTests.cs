using ChatOpsBot.Slack.Inbound;

namespace ChatOpsBot.Slack.Tests.Inbound;

public class SlackMessageTextTests
{
    [Theory]
    [InlineData("<@W111> Hi there!", "Hi there!")]
    [InlineData("hey <@W111> help", "hey  help")]
    [InlineData("<@W111|bot> whoami", "whoami")]
    [InlineData("vip check \"Jordan Avery\" <mailto:jordan.avery@c0ntoso.example|jordan.avery@c0ntoso.example>", "vip check \"Jordan Avery\" jordan.avery@c0ntoso.example")]
    [InlineData("decode <https://protect-eu.mimecast.com/s/abc?domain=x.example>", "decode https://protect-eu.mimecast.com/s/abc?domain=x.example")]
    [InlineData("decode <https://evil.example/a|evil.example/a>", "decode https://evil.example/a")]
    [InlineData("ask <@U024BE7LH> in <#C0123|secops> <!here>", "ask @U024BE7LH in #secops @here")]
    [InlineData("headers Received: from a &lt;b@c&gt; &amp;amp;", "headers Received: from a <b@c> &amp;")]
    public void SlackMarkupBecomesTheTextTheUserTyped(string slackText, string expected)
    {
        SlackMessageText.ToCommandText(slackText, ["W111"]).ShouldBe(expected);
    }

    [Fact]
    public void EntitiesAreDecodedOnceAfterTheMarkup()
    {
        // "&lt;@U1&gt;" is text the user typed, not a mention; decoding must not turn it into one to resolve.
        SlackMessageText.ToCommandText("&lt;@W111&gt; x", ["W111"]).ShouldBe("<@W111> x");
    }

    [Fact]
    public void TextIsBoundedBySlacksMessageLimit()
    {
        SlackMessageText.ToCommandText(new string('a', 50_000), []).Length.ShouldBe(SlackMessageText.MaxChars);
    }
}
