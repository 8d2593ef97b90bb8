using ChatOpsBot.Cards;
using ChatOpsBot.Cards.BlockKit;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Slack.Tests.Support;
using ChatOpsBot.Slack.WebApi;
using ChatOpsBot.Tests.Slack.Fakes;

namespace ChatOpsBot.Slack.Tests.WebApi;

public sealed class SlackResponseUrlClientTests : IAsyncLifetime
{
    private SlackHarness _harness = null!;

    private static BlockKitMessage Usage => BlockKitRenderer.Render(NoticeCard.Build("Usage", "vip check \"name\" address", NoticeStyle.Warning));

    public async Task InitializeAsync() => _harness = await SlackHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task AnEphemeralAnswerIsPostedWithoutTheBotToken()
    {
        string url = _harness.Slack.NewResponseUrl();

        await _harness.Get<ISlackResponseUrlClient>().PostAsync(url, new SlackResponse(Usage, SlackResponseVisibility.Ephemeral), default);

        FakeSlackCall call = _harness.Slack.CallsTo("response_url").ShouldHaveSingleItem();
        call.Authorization.ShouldBeEmpty();
        call.Json!["response_type"]!.GetValue<string>().ShouldBe("ephemeral");
        call.Json["text"]!.GetValue<string>().ShouldBe(Usage.Text);
        call.Json.ContainsKey("replace_original").ShouldBeFalse();
    }

    [Fact]
    public async Task AResultIsInChannelAndCanReplaceTheOriginal()
    {
        await _harness.Get<ISlackResponseUrlClient>().PostAsync(_harness.Slack.NewResponseUrl(), new SlackResponse(Usage, SlackResponseVisibility.InChannel, ReplaceOriginal: true), default);

        FakeSlackCall call = _harness.Slack.CallsTo("response_url").ShouldHaveSingleItem();
        call.Json!["response_type"]!.GetValue<string>().ShouldBe("in_channel");
        call.Json["replace_original"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task ASixthAnswerIsRefusedWithSlacksError()
    {
        string url = _harness.Slack.NewResponseUrl("one");
        var client = _harness.Get<ISlackResponseUrlClient>();
        for (int i = 0; i < 5; i++)
        {
            await client.PostAsync(url, new SlackResponse(Usage, SlackResponseVisibility.Ephemeral), default);
        }

        SlackApiException error = await Should.ThrowAsync<SlackApiException>(() => client.PostAsync(url, new SlackResponse(Usage, SlackResponseVisibility.Ephemeral), default));

        error.Error.ShouldBe("used_url");
    }

    [Theory]
    [InlineData("https://evil.example/response")]
    [InlineData("https://hooks.slack.com.evil.example/commands/1")]
    [InlineData("ftp://127.0.0.1/x")]
    [InlineData("not a url")]
    [InlineData("https://hooks.slack.com😀_-?.\u0000&c/x")]
    public async Task AResponseUrlOffTheAllowedHostsIsNeverCalled(string url)
    {
        await Should.ThrowAsync<SlackApiException>(() => _harness.Get<ISlackResponseUrlClient>().PostAsync(url, new SlackResponse(Usage, SlackResponseVisibility.Ephemeral), default));

        _harness.Slack.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task TheResponseUrlIsNeverLogged()
    {
        string url = _harness.Slack.NewResponseUrl("secret-capability-path");
        _harness.Slack.StatusNext("response_url", 500);

        await Should.ThrowAsync<SlackApiException>(() => _harness.Get<ISlackResponseUrlClient>().PostAsync(url, new SlackResponse(Usage, SlackResponseVisibility.Ephemeral), default));

        _harness.Logs.AllText.ShouldNotContain("secret-capability-path");
    }
}
