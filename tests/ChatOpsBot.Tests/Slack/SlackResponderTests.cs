using System.Collections.Concurrent;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.BlockKit;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands;
using ChatOpsBot.Slack;
using ChatOpsBot.Slack.Inbound;
using ChatOpsBot.Slack.WebApi;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOpsBot.Tests.Slack;

/// <summary>Which Slack call each kind of answer becomes, and the fallbacks when one is not possible.</summary>
public sealed class SlackResponderTests
{
    private static readonly Cards.Model.AdaptiveCard s_card = NoticeCard.Build("VIP added", "Priya Raman is now protected.", NoticeStyle.Success);

    private readonly RecordingWebApi _api = new();
    private readonly RecordingResponseUrls _urls = new();

    [Fact]
    public async Task ASlashCommandsResultGoesInChannelThroughTheResponseUrlAndCanBeReplaced()
    {
        SlackResponder responder = Responder(new SlackReplyTarget("C1", "U1", false, ResponseUrl: "https://hooks.slack.com/commands/1", PreferResponseUrl: true));

        string id = await responder.SendCardAsync(s_card, default);
        await responder.UpdateCardAsync(id, s_card, default);

        id.ShouldStartWith(SlackResponder.ResponseUrlIdPrefix);
        _urls.Posts.Select(p => (p.Response.Visibility, p.Response.ReplaceOriginal)).ShouldBe([(SlackResponseVisibility.InChannel, false), (SlackResponseVisibility.InChannel, true)]);
        _api.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task AUsedUpResponseUrlFallsBackToTheWebApi()
    {
        _urls.Failure = new SlackApiException("response_url", "used_url");
        SlackResponder responder = Responder(new SlackReplyTarget("C1", "U1", false, ResponseUrl: "https://hooks.slack.com/commands/1", PreferResponseUrl: true));

        string id = await responder.SendCardAsync(s_card, default);
        await responder.SendPrivateCardAsync(s_card, default);

        id.ShouldBe("1700000000.000001");
        _api.Calls.ShouldBe(["chat.postMessage C1", "chat.postEphemeral C1 U1"]);
    }

    [Fact]
    public async Task PrivateAnswersInAChannelAreEphemeralAndInADmPlainMessages()
    {
        await Responder(new SlackReplyTarget("C1", "U1", false, ThreadTs: "1.1")).SendPrivateCardAsync(s_card, default);
        await Responder(new SlackReplyTarget("D1", "U1", true)).SendPrivateCardAsync(s_card, default);

        _api.Calls.ShouldBe(["chat.postEphemeral C1 U1 thread 1.1", "chat.postMessage D1"]);
    }

    [Fact]
    public async Task AnEphemeralMessagesButtonReplacesItThroughTheResponseUrlAndOthersWithChatUpdate()
    {
        SlackResponder responder = Responder(new SlackReplyTarget(
            "C1", "U1", false, ResponseUrl: "https://hooks.slack.com/actions/1", InteractionMessageTs: "9.9", InteractionMessageIsEphemeral: true));

        await responder.UpdateCardAsync("9.9", s_card, default);
        await responder.UpdateCardAsync("8.8", s_card, default);

        _urls.Posts.ShouldHaveSingleItem().Response.ShouldBe(_urls.Posts[0].Response with { Visibility = SlackResponseVisibility.Ephemeral, ReplaceOriginal = true });
        _api.Calls.ShouldBe(["chat.update C1 8.8"]);
    }

    [Fact]
    public async Task AButtonInAChannelTheBotIsNotInAnswersThroughTheResponseUrl()
    {
        _api.PostFailure = new SlackApiException("chat.postMessage", "not_in_channel");
        SlackResponder responder = Responder(new SlackReplyTarget("C9", "U1", false, ResponseUrl: "https://hooks.slack.com/actions/1", InteractionMessageTs: "9.9"));

        string id = await responder.SendCardAsync(s_card, default);

        id.ShouldStartWith(SlackResponder.ResponseUrlIdPrefix);
        _urls.Posts.ShouldHaveSingleItem().Response.Visibility.ShouldBe(SlackResponseVisibility.InChannel);
    }

    [Fact]
    public async Task TypingIsANoOpBecauseSlackHasNoneForApps()
    {
        await Responder(new SlackReplyTarget("D1", "U1", true)).SendTypingAsync(default);

        _api.Calls.ShouldBeEmpty();
        _urls.Posts.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"verb":"confirm","action":"vip remove a@b.example","token":"pa-1"}""", 3)]
    [InlineData("""{"verb":"help"}""", 1)]
    public void ButtonValuesAreFlatStringObjects(string value, int count)
    {
        Dictionary<string, string> data = SlackCommandBridge.ButtonData(value).ShouldNotBeNull();

        data.Count.ShouldBe(count);
        data[CardActions.VerbKey].ShouldNotBeEmpty();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("click_me_123")]
    [InlineData("[\"verb\"]")]
    [InlineData("""{"verb":{"nested":"x"}}""")]
    [InlineData("""{"verb":"help","n":1}""")]
    [InlineData("""{"verb":"help","verb":"confirm"}""")]
    public void OtherButtonValuesAreNotCommands(string? value)
    {
        SlackCommandBridge.ButtonData(value).ShouldBeNull();
    }

    [Theory]
    [InlineData("D024BE7LH", null, ConversationKind.Personal)]
    [InlineData("C111", null, ConversationKind.Channel)]
    [InlineData("G111", "mpim", ConversationKind.Group)]
    [InlineData("C111", "im", ConversationKind.Personal)]
    public void ConversationKindsFollowSlacksChannelTypesAndIds(string channelId, string? channelType, ConversationKind expected)
    {
        SlackCommandBridge.KindOf(channelId, channelType).ShouldBe(expected);
    }

    private SlackResponder Responder(SlackReplyTarget target) => new(target, _api, _urls, NullLogger<SlackResponder>.Instance);

    private sealed class RecordingWebApi : ISlackWebApi
    {
        private readonly ConcurrentQueue<string> _calls = new();

        public IReadOnlyList<string> Calls => [.. _calls];

        public Exception? PostFailure { get; set; }

        public Task<SlackMessageRef> PostMessageAsync(string channel, BlockKitMessage message, string? threadTs, CancellationToken cancellationToken)
        {
            if (PostFailure is not null)
            {
                throw PostFailure;
            }

            _calls.Enqueue($"chat.postMessage {channel}" + (threadTs is null ? string.Empty : " thread " + threadTs));
            return Task.FromResult(new SlackMessageRef(channel, "1700000000.000001"));
        }

        public Task<SlackMessageRef> PostProactiveMessageAsync(string channel, BlockKitMessage message, SlackMessageMetadata? metadata, CancellationToken cancellationToken) =>
            throw new NotSupportedException("a responder answers requests; only alerts are proactive");

        public Task<SlackMessageRef> UpdateMessageAsync(string channel, string ts, BlockKitMessage message, CancellationToken cancellationToken)
        {
            _calls.Enqueue($"chat.update {channel} {ts}");
            return Task.FromResult(new SlackMessageRef(channel, ts));
        }

        public Task<SlackMessageRef> UpdateProactiveMessageAsync(string channel, string ts, BlockKitMessage message, CancellationToken cancellationToken) =>
            throw new NotSupportedException("a responder answers requests; only alert refreshes are proactive");

        public Task<string> PostEphemeralAsync(string channel, string user, BlockKitMessage message, string? threadTs, CancellationToken cancellationToken)
        {
            _calls.Enqueue($"chat.postEphemeral {channel} {user}" + (threadTs is null ? string.Empty : " thread " + threadTs));
            return Task.FromResult("1700000000.000002");
        }

        public Task<SlackFile> GetFileInfoAsync(string fileId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class RecordingResponseUrls : ISlackResponseUrlClient
    {
        private readonly ConcurrentQueue<(string Url, SlackResponse Response)> _posts = new();

        public IReadOnlyList<(string Url, SlackResponse Response)> Posts => [.. _posts];

        public Exception? Failure { get; set; }

        public Task PostAsync(string responseUrl, SlackResponse response, CancellationToken cancellationToken)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            _posts.Enqueue((responseUrl, response));
            return Task.CompletedTask;
        }
    }
}
