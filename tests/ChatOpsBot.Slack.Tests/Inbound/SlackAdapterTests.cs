using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ChatOpsBot.Slack.Hosting;
using ChatOpsBot.Slack.Inbound;
using ChatOpsBot.Slack.Tests.Support;
using ChatOpsBot.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Slack.Tests.Inbound;

public sealed class SlackAdapterTests : IDisposable
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Json = "application/json";
    private const string Form = "application/x-www-form-urlencoded";

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly RecordingInboundHandler _handler = new();
    private readonly SlackAdapter _adapter;

    public SlackAdapterTests()
    {
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        _adapter = new SlackAdapter(
            Options.Create(new SlackOptions { BotToken = "xoxb-test", SigningSecret = Secret }),
            new InMemorySlackDeliveryDeduplicator(_clock),
            _clock,
            _loggerFactory.CreateLogger<SlackAdapter>());
    }

    public void Dispose() => _loggerFactory.Dispose();

    private long Now => _clock.GetUtcNow().ToUnixTimeSeconds();

    [Fact]
    public async Task UrlVerificationIsAnsweredWithTheChallengeAsJson()
    {
        DefaultHttpContext context = Signed(Samples.Bytes("slack-url-verification.json"), Json);

        await _adapter.ProcessEventsAsync(context, _handler);

        context.Response.StatusCode.ShouldBe(200);
        context.Response.ContentType.ShouldStartWith("application/json");
        JsonDocument.Parse(ResponseBody(context)).RootElement.GetProperty("challenge").GetString().ShouldBe("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
        _handler.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task ASignedMentionIsHandedOverOnce()
    {
        byte[] body = Samples.Bytes("slack-event-app-mention.json");

        DefaultHttpContext first = Signed(body, Json);
        await _adapter.ProcessEventsAsync(first, _handler);
        DefaultHttpContext retry = Signed(body, Json);
        retry.Request.Headers[SlackAdapter.RetryNumHeader] = "1";
        retry.Request.Headers[SlackAdapter.RetryReasonHeader] = "http_timeout";
        await _adapter.ProcessEventsAsync(retry, _handler);

        first.Response.StatusCode.ShouldBe(200);
        retry.Response.StatusCode.ShouldBe(200);
        _handler.Received.ShouldHaveSingleItem().ShouldBeOfType<SlackMessageEvent>().Text.ShouldBe("Hi there!");
        _logs.AllText.ShouldContain("Slack retry 1 (http_timeout) of event Ev111");
        _logs.AllText.ShouldContain("event Ev111 was already delivered");
    }

    [Fact]
    public async Task TheSameEventIdIsHandledOnceEvenWithoutRetryHeaders()
    {
        for (int i = 0; i < 4; i++)
        {
            await _adapter.ProcessEventsAsync(Signed(Samples.Bytes("slack-event-file-shared.json"), Json), _handler);
        }

        _handler.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ABadSignatureIs401AndALogLineAndNothingIsParsedOrHandled()
    {
        DefaultHttpContext context = Signed(Samples.Bytes("slack-event-app-mention.json"), Json, secret: "not-the-secret-at-all-0000");

        await _adapter.ProcessEventsAsync(context, _handler);

        context.Response.StatusCode.ShouldBe(401);
        _handler.Received.ShouldBeEmpty();
        (LogLevel level, _, string text) = _logs.Entries.Single(e => e.Text.Contains("refused (401)", StringComparison.Ordinal));
        level.ShouldBe(LogLevel.Warning);
        text.ShouldContain("Mismatch");
        text.ShouldNotContain(Secret);
        text.ShouldNotContain(context.Request.Headers[SlackSignature.SignatureHeader].ToString()[3..]);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public async Task AStaleTimestampIs401BeforeTheBodyIsRead(int offset)
    {
        DefaultHttpContext context = Signed(Samples.Bytes("slack-event-app-mention.json"), Json, timestamp: Now + offset);
        var body = new TrackingStream(context.Request.Body);
        context.Request.Body = body;

        await _adapter.ProcessEventsAsync(context, _handler);

        context.Response.StatusCode.ShouldBe(401);
        body.BytesRead.ShouldBe(0);
        _logs.AllText.ShouldContain("StaleTimestamp");
    }

    [Fact]
    public async Task AReplayOfACapturedRequestAfterFiveMinutesIsRefused()
    {
        byte[] body = Samples.Bytes("slack-event-file-shared.json");
        long sentAt = Now;
        await _adapter.ProcessEventsAsync(Signed(body, Json, timestamp: sentAt), _handler);

        _clock.Advance(TimeSpan.FromMinutes(6));
        DefaultHttpContext replay = Signed(body, Json, timestamp: sentAt);
        await _adapter.ProcessEventsAsync(replay, _handler);

        replay.Response.StatusCode.ShouldBe(401);
        _handler.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AnUnsignedRequestIs401()
    {
        DefaultHttpContext context = Request(Samples.Bytes("slack-event-app-mention.json"), Json);

        await _adapter.ProcessEventsAsync(context, _handler);

        context.Response.StatusCode.ShouldBe(401);
        _logs.AllText.ShouldContain("MissingHeaders");
    }

    [Fact]
    public async Task ABodyOverTheLimitIs413WhateverItDeclares()
    {
        byte[] huge = Encoding.UTF8.GetBytes("{\"type\":\"event_callback\",\"pad\":\"" + new string('x', SlackAdapter.MaxRequestBytes) + "\"}");
        DefaultHttpContext declared = Signed(huge, Json);
        DefaultHttpContext undeclared = Signed(huge, Json);
        undeclared.Request.ContentLength = null;

        await _adapter.ProcessEventsAsync(declared, _handler);
        await _adapter.ProcessEventsAsync(undeclared, _handler);

        declared.Response.StatusCode.ShouldBe(413);
        undeclared.Response.StatusCode.ShouldBe(413);
        declared.Response.Headers[SlackAdapter.NoRetryHeader].ToString().ShouldBe("1");
    }

    [Fact]
    public async Task TheWrongContentTypeIs415()
    {
        DefaultHttpContext context = Signed(Samples.Bytes("slack-event-app-mention.json"), "text/plain");

        await _adapter.ProcessEventsAsync(context, _handler);

        context.Response.StatusCode.ShouldBe(415);
    }

    [Fact]
    public async Task ASignedBodyThatIsNotJsonIs400()
    {
        DefaultHttpContext context = Signed("not json"u8.ToArray(), Json);

        await _adapter.ProcessEventsAsync(context, _handler);

        context.Response.StatusCode.ShouldBe(400);
    }

    [Fact]
    public async Task IgnoredEventsAreAcknowledged()
    {
        DefaultHttpContext context = Signed(Samples.Bytes("slack-event-message-file-share.json"), Json);

        await _adapter.ProcessEventsAsync(context, _handler);

        context.Response.StatusCode.ShouldBe(200);
        _handler.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task ASlashCommandIsHandedOverAndAcknowledgedEmpty()
    {
        DefaultHttpContext context = Signed(Samples.Bytes("slack-slash-command.form.txt"), Form);

        await _adapter.ProcessCommandsAsync(context, _handler);

        context.Response.StatusCode.ShouldBe(200);
        ResponseBody(context).ShouldBeEmpty();
        _handler.Received.ShouldHaveSingleItem().ShouldBeOfType<SlackSlashCommand>().Command.ShouldBe("/hello-world");
    }

    [Fact]
    public async Task TheSignatureVectorsOwnRequestIsAcceptedAtItsTime()
    {
        (string secret, string timestamp, string body, string signature) = Samples.SignatureVector();
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(long.Parse(timestamp, CultureInfo.InvariantCulture) + 10));
        var adapter = new SlackAdapter(Options.Create(new SlackOptions { BotToken = "xoxb-test", SigningSecret = secret }), new InMemorySlackDeliveryDeduplicator(clock), clock, _loggerFactory.CreateLogger<SlackAdapter>());
        DefaultHttpContext context = Request(Encoding.UTF8.GetBytes(body), Form);
        context.Request.Headers[SlackSignature.TimestampHeader] = timestamp;
        context.Request.Headers[SlackSignature.SignatureHeader] = signature;

        await adapter.ProcessCommandsAsync(context, _handler);

        context.Response.StatusCode.ShouldBe(200);
        _handler.Received.ShouldHaveSingleItem().ShouldBeOfType<SlackSlashCommand>().Command.ShouldBe("/webhook-collect");
    }

    [Fact]
    public async Task SlacksUnsignedSslCheckIsAnsweredAndNothingElse()
    {
        DefaultHttpContext context = Request("ssl_check=1&token=abc"u8.ToArray(), Form);

        await _adapter.ProcessCommandsAsync(context, _handler);

        context.Response.StatusCode.ShouldBe(200);
        _handler.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnUnsignedCommandThatIsNotAnSslCheckIs401()
    {
        DefaultHttpContext context = Request(Samples.Bytes("slack-slash-command.form.txt"), Form);

        await _adapter.ProcessCommandsAsync(context, _handler);

        context.Response.StatusCode.ShouldBe(401);
        _handler.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task ABlockActionIsHandedOverOnce()
    {
        byte[] body = Encoding.ASCII.GetBytes("payload=" + WebUtility.UrlEncode(Samples.Text("slack-block-actions.json")));

        DefaultHttpContext first = Signed(body, Form);
        await _adapter.ProcessInteractionsAsync(first, _handler);
        await _adapter.ProcessInteractionsAsync(Signed(body, Form), _handler);

        first.Response.StatusCode.ShouldBe(200);
        _handler.Received.ShouldHaveSingleItem().ShouldBeOfType<SlackBlockActions>().Actions[0].ActionId.ShouldBe("a");
    }

    [Fact]
    public async Task AnInteractionWeDoNotUseIsAcknowledged()
    {
        DefaultHttpContext context = Signed("payload=%7B%22type%22%3A%22shortcut%22%7D"u8.ToArray(), Form);

        await _adapter.ProcessInteractionsAsync(context, _handler);

        context.Response.StatusCode.ShouldBe(200);
        _handler.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task AFailingHandlerIs500WithoutRetry()
    {
        _handler.Failure = new InvalidOperationException("queue broken");
        DefaultHttpContext context = Signed(Samples.Bytes("slack-event-app-mention.json"), Json);

        await _adapter.ProcessEventsAsync(context, _handler);

        context.Response.StatusCode.ShouldBe(500);
        context.Response.Headers[SlackAdapter.NoRetryHeader].ToString().ShouldBe("1");
        _logs.Entries.ShouldContain(e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task WithAnAllowListOtherWorkspacesAreRefusedAfterTheSignatureWithOneLogLine()
    {
        SlackAdapter adapter = AdapterFor(new SlackOptions { BotToken = "xoxb-test", SigningSecret = Secret, AllowedTeamIds = ["T0OURS"] });
        byte[] interaction = Encoding.ASCII.GetBytes("payload=" + WebUtility.UrlEncode(Samples.Text("slack-block-actions.json")));

        DefaultHttpContext mention = Signed(Samples.Bytes("slack-event-app-mention.json"), Json);
        await adapter.ProcessEventsAsync(mention, _handler);
        DefaultHttpContext command = Signed(Samples.Bytes("slack-slash-command.form.txt"), Form);
        await adapter.ProcessCommandsAsync(command, _handler);
        DefaultHttpContext action = Signed(interaction, Form);
        await adapter.ProcessInteractionsAsync(action, _handler);

        mention.Response.StatusCode.ShouldBe(403);
        command.Response.StatusCode.ShouldBe(403);
        action.Response.StatusCode.ShouldBe(403);
        mention.Response.Headers[SlackAdapter.NoRetryHeader].ToString().ShouldBe("1");
        _handler.Received.ShouldBeEmpty();
        List<string> refusals = [.. _logs.Entries.Where(e => e.Text.Contains("AllowedTeamIds", StringComparison.Ordinal)).Select(e => e.Text)];
        refusals.Count.ShouldBe(3);
        refusals[0].ShouldStartWith("Slack request to events refused (403): workspace T111 is not in Slack:AllowedTeamIds");
    }

    [Fact]
    public async Task WithAnAllowListItsWorkspacesAreServedAndBadSignaturesAreStill401()
    {
        SlackAdapter adapter = AdapterFor(new SlackOptions { BotToken = "xoxb-test", SigningSecret = Secret, AllowedTeamIds = ["T0OTHER", "T111"] });

        DefaultHttpContext mention = Signed(Samples.Bytes("slack-event-app-mention.json"), Json);
        await adapter.ProcessEventsAsync(mention, _handler);
        DefaultHttpContext forged = Signed(Samples.Bytes("slack-slash-command.form.txt"), Form, secret: "not-the-secret-at-all-0000");
        await adapter.ProcessCommandsAsync(forged, _handler);
        DefaultHttpContext verification = Signed(Samples.Bytes("slack-url-verification.json"), Json);
        await adapter.ProcessEventsAsync(verification, _handler);

        mention.Response.StatusCode.ShouldBe(200);
        _handler.Received.ShouldHaveSingleItem().ShouldBeOfType<SlackMessageEvent>();
        forged.Response.StatusCode.ShouldBe(401, "the signature is checked before the workspace");
        verification.Response.StatusCode.ShouldBe(200, "Slack's URL check carries no workspace");
    }

    [Fact]
    public async Task OnlyPostIsServed()
    {
        DefaultHttpContext context = Signed(Samples.Bytes("slack-event-app-mention.json"), Json);
        context.Request.Method = "GET";

        await _adapter.ProcessEventsAsync(context, _handler);

        context.Response.StatusCode.ShouldBe(405);
    }

    private SlackAdapter AdapterFor(SlackOptions options) =>
        new(Options.Create(options), new InMemorySlackDeliveryDeduplicator(_clock), _clock, _loggerFactory.CreateLogger<SlackAdapter>());

    private DefaultHttpContext Signed(byte[] body, string contentType, string secret = Secret, long? timestamp = null)
    {
        DefaultHttpContext context = Request(body, contentType);
        string ts = (timestamp ?? Now).ToString(CultureInfo.InvariantCulture);
        context.Request.Headers[SlackSignature.TimestampHeader] = ts;
        context.Request.Headers[SlackSignature.SignatureHeader] = SlackSignature.Compute(secret, ts, body);
        return context;
    }

    private static DefaultHttpContext Request(byte[] body, string contentType)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string ResponseBody(DefaultHttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    private sealed class TrackingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
