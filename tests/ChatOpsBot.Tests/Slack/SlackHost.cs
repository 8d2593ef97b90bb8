using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsBot.Slack.Inbound;
using ChatOpsBot.Tests.Slack.Fakes;
using ChatOpsBot.Tests.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Slack;

/// <summary>
/// The bot as <c>Program</c> composes it (real SQLite stores, command layer, Slack glue), with <c>Slack:*</c> pointing at
/// a <see cref="FakeSlackApi"/> on 127.0.0.1, driven through its real Slack endpoints with signed requests.
/// </summary>
internal sealed class SlackHost : IAsyncDisposable
{
    public const string Token = "xoxb-1111-2222-hosttesttoken0000";
    public const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const string Analyst = "U0ANALYST";
    public const string Responder = "U0RESPONDER";
    public const string Reader = "U0READER";
    public const string Admin = "U0ADMIN";
    public const string BotUser = "U0BOT";

    private static readonly TimeSpan s_waitLimit = TimeSpan.FromSeconds(30);

    private readonly string _root;
    private readonly WebApplicationFactory<Program> _factory;

    private SlackHost(FakeSlackApi slack, WebApplicationFactory<Program> factory, string root)
    {
        Slack = slack;
        _factory = factory;
        _root = root;
        Client = factory.CreateClient();
    }

    public FakeSlackApi Slack { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    public static Task<SlackHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync(null, settings);

    /// <summary>With <paramref name="clock"/> as the host's <see cref="TimeProvider"/> (start it at the real time: signed requests carry it).</summary>
    public static async Task<SlackHost> StartAsync(TimeProvider? clock, params (string Key, string Value)[] settings)
    {
        FakeSlackApi slack = await FakeSlackApi.StartAsync(Token);
        string root = TestDatabase.NewFolder();
        var values = new Dictionary<string, string>
        {
            ["ConnectionStrings:ChatOps"] = $"Data Source={Path.Combine(root, "chatops.db")}",
            ["Slack:BotToken"] = Token,
            ["Slack:SigningSecret"] = Secret,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Slack:AllowHttpOnLoopbackForTesting"] = "true",
            ["Slack:FileHosts:0"] = "127.0.0.1",
            ["Slack:ResponseUrlHosts:0"] = "127.0.0.1",
            ["Vips:0:DisplayName"] = "Jordan Avery",
            ["Vips:0:Email"] = "jordan.avery@contoso.example",
            ["Security:Analysts:0"] = Analyst,
            ["Security:Responders:0"] = Responder,
            ["Security:Admins:0"] = Admin,
            // Results replace nothing: no "Analyzing…" card comes first, so each answer is one Slack call.
            ["Commands:ProgressDelay"] = "00:01:00",
        };
        foreach ((string key, string value) in settings)
        {
            values[key] = value;
        }

#pragma warning disable CA2000 // The derived factory owns and disposes the base one; SlackHost disposes it.
        WebApplicationFactory<Program> factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            foreach ((string key, string value) in values)
            {
                builder.UseSetting(key, value);
            }

            if (clock is not null)
            {
                builder.ConfigureServices(services => services.AddSingleton(clock));
            }
        });
#pragma warning restore CA2000
        var host = new SlackHost(slack, factory, root);
        return host;
    }

    /// <summary>POSTs a body signed as Slack signs it (or with another secret or timestamp, to be refused).</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string contentType, string secret = Secret, long? timestamp = null, IEnumerable<(string, string)>? headers = null)
    {
        string ts = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add(SlackSignature.TimestampHeader, ts);
        request.Headers.Add(SlackSignature.SignatureHeader, SlackSignature.Compute(secret, ts, body));
        foreach ((string name, string value) in headers ?? [])
        {
            request.Headers.Add(name, value);
        }

        return await Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostEventAsync(JsonObject envelope, IEnumerable<(string, string)>? headers = null) =>
        PostAsync("/api/slack/events", Encoding.UTF8.GetBytes(envelope.ToJsonString()), "application/json", headers: headers);

    public Task<HttpResponseMessage> PostCommandAsync(string text, string userId, string channelId, string responseUrl, string triggerId = "")
    {
        string form = string.Join('&',
            "token=verification_token",
            "team_id=T111",
            "channel_id=" + channelId,
            "user_id=" + userId,
            "user_name=sam",
            "command=" + Uri.EscapeDataString("/chatops"),
            "text=" + Uri.EscapeDataString(text),
            "response_url=" + Uri.EscapeDataString(responseUrl),
            "trigger_id=" + (triggerId.Length == 0 ? Guid.NewGuid().ToString("N") : triggerId));
        return PostAsync("/api/slack/commands", Encoding.ASCII.GetBytes(form), "application/x-www-form-urlencoded");
    }

    public Task<HttpResponseMessage> PostInteractionAsync(JsonObject payload) =>
        PostAsync("/api/slack/interactions", Encoding.ASCII.GetBytes("payload=" + Uri.EscapeDataString(payload.ToJsonString())), "application/x-www-form-urlencoded");

    /// <summary>A direct message from <paramref name="userId"/> as the Events API delivers it.</summary>
    public static JsonObject DirectMessage(string text, string userId, string eventId, JsonArray? files = null)
    {
        var ev = new JsonObject
        {
            ["type"] = "message",
            ["channel_type"] = "im",
            ["channel"] = "D" + userId[1..],
            ["user"] = userId,
            ["text"] = text,
            ["ts"] = "1700000000.000001",
            ["event_ts"] = "1700000000.000001",
        };
        if (files is not null)
        {
            ev["subtype"] = "file_share";
            ev["files"] = files;
        }

        return Envelope(ev, eventId);
    }

    public static JsonObject Envelope(JsonObject ev, string eventId) => new()
    {
        ["token"] = "verification_token",
        ["team_id"] = "T111",
        ["api_app_id"] = "A111",
        ["event"] = ev,
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = 1700000000,
        ["authorizations"] = new JsonArray(new JsonObject { ["team_id"] = "T111", ["user_id"] = BotUser, ["is_bot"] = true }),
    };

    /// <summary>Waits (bounded) until the fake has seen calls that satisfy <paramref name="done"/>.</summary>
    public async Task<IReadOnlyList<FakeSlackCall>> WaitForCallsAsync(Func<IReadOnlyList<FakeSlackCall>, bool> done)
    {
        using var timeout = new CancellationTokenSource(s_waitLimit);
        while (true)
        {
            IReadOnlyList<FakeSlackCall> calls = Slack.Calls;
            if (done(calls))
            {
                return calls;
            }

            // The answer comes from the command layer's background workers; this polls the fake for it.
            await Task.Delay(10, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        await Slack.DisposeAsync();
        TestDatabase.ReleaseAndDeleteFolder(_root);
    }
}
