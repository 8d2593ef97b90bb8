using System.Text.Json;
using ChatOpsBot.BotFramework.Connector;
using ChatOpsBot.BotFramework.Schema;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.BotFramework.Tests.Connector;

public sealed class ConnectorPropertyTests
{
    private static readonly Uri s_serviceUri = new("https://smba.trafficmanager.net/amer/tenant/");

    // Characters that matter in URLs and ids, plus ordinary and non-ASCII text.
    private static readonly Gen<string> s_hostileText =
        Gen.Elements("./%?#:;@=&+\\ \r\n\t\0'\"<>[]{}|^`~abcXYZ019-_é中😀".EnumerateRunes().Select(r => r.ToString()).ToArray())
            .ArrayOf()
            .Select(parts => string.Concat(parts));

    [Fact]
    public void Any_id_becomes_exactly_one_path_segment_under_v3_conversations()
    {
        Prop.ForAll(s_hostileText.ToArbitrary(), s_hostileText.ToArbitrary(), (conversationId, activityId) =>
        {
            bool conversationUsable = !string.IsNullOrWhiteSpace(conversationId) && !conversationId.AsSpan().Trim('.').IsEmpty;
            bool activityUsable = !string.IsNullOrWhiteSpace(activityId) && !activityId.AsSpan().Trim('.').IsEmpty;
            if (!conversationUsable || !activityUsable)
            {
                return Throws(() => ConnectorClient.EscapeId(conversationId)) || Throws(() => ConnectorClient.EscapeId(activityId));
            }

            Uri uri = ConnectorClient.BuildRequestUri(
                s_serviceUri, $"v3/conversations/{ConnectorClient.EscapeId(conversationId)}/activities/{ConnectorClient.EscapeId(activityId)}");
            string[] segments = uri.AbsolutePath.Split('/');
            return uri.Host == s_serviceUri.Host
                && string.IsNullOrEmpty(uri.Query)
                && string.IsNullOrEmpty(uri.Fragment)
                && segments.Length == 8
                && segments[1] == "amer" && segments[2] == "tenant" && segments[3] == "v3"
                && segments[4] == "conversations"
                && Uri.UnescapeDataString(segments[5]) == conversationId
                && segments[6] == "activities"
                && Uri.UnescapeDataString(segments[7]) == activityId;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Fact]
    public void Ids_with_unpaired_surrogates_are_refused()
    {
        Should.Throw<ArgumentException>(() => ConnectorClient.EscapeId("a\ud800b"));
        Should.Throw<ArgumentException>(() => ConnectorClient.EscapeId("a\udc00"));
        ConnectorClient.EscapeId("a😀").ShouldBe("a%F0%9F%98%80");
    }

    [Fact]
    public void A_trusted_url_always_reaches_the_trusted_host()
    {
        TrustedServiceUrlList list = new(["https://smba.trafficmanager.net/amer/"]);
        Gen<string> candidates =
            from middle in s_hostileText
            from tail in s_hostileText
            from prefix in Gen.Elements("https://smba.trafficmanager.net/amer/", "https://smba.trafficmanager.net", "https://", "https://evil.example/")
            select prefix + middle + tail;

        Prop.ForAll(candidates.ToArbitrary(), candidate =>
        {
            if (!list.IsTrusted(candidate))
            {
                return true;
            }

            Uri uri = new(candidate);
            return uri.Scheme == "https"
                && uri.IdnHost == "smba.trafficmanager.net"
                && uri.Port == 443
                && string.IsNullOrEmpty(uri.UserInfo)
                && (uri.AbsolutePath == "/amer" || uri.AbsolutePath.StartsWith("/amer/", StringComparison.Ordinal));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Fact]
    public void Activities_with_arbitrary_text_round_trip()
    {
        Prop.ForAll(s_hostileText.ToArbitrary(), s_hostileText.ToArbitrary(), (text, id) =>
        {
            Activity activity = new()
            {
                Type = ActivityTypes.Message,
                Id = id,
                Text = text,
                From = new ChannelAccount(id, text),
                Entities = [new Mention(new ChannelAccount("29:" + id, text), $"<at>{text}</at>").ToEntity()],
            };

            Activity copy = JsonSerializer.Deserialize<Activity>(JsonSerializer.Serialize(activity, BotJson.Options), BotJson.Options)!;
            return copy.Text == text && copy.Id == id && copy.From == activity.From
                && copy.GetMentions().Single().Text == $"<at>{text}</at>";
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
