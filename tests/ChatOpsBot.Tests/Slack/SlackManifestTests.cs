using ChatOpsBot.Slack;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Tests.Slack;

/// <summary>
/// manifest/slack/app-manifest.yml against what the bot does: the request URLs are the host's endpoints, the events
/// are the ones the adapter handles, and the scopes are exactly the ones those events and Web API calls need.
/// </summary>
public sealed class SlackManifestTests
{
    private static readonly string[] s_lines = File.ReadAllLines(RepositoryFolder.PathTo(Path.Combine("manifest", "slack", "app-manifest.yml")));

    [Fact]
    public void BotScopesAreExactlyWhatTheBotUses()
    {
        // app_mention -> app_mentions:read; message.im -> im:history; posting, updating, ephemeral -> chat:write;
        // /chatops -> commands; file_shared, files.info and downloads -> files:read.
        ListUnder("    bot:").Order().ShouldBe(["app_mentions:read", "chat:write", "commands", "files:read", "im:history"]);
    }

    [Fact]
    public void EventsAreTheOnesTheAdapterHandles()
    {
        ListUnder("    bot_events:").Order().ShouldBe(["app_mention", "file_shared", "message.im"]);
    }

    [Fact]
    public void RequestUrlsAreTheHostsSlackEndpoints()
    {
        Value("      url").ShouldEndWith(SlackEndpoints.CommandsPath);
        string[] requestUrls = [.. s_lines.Where(l => l.TrimStart().StartsWith("request_url:", StringComparison.Ordinal)).Select(l => l.Split(": ", 2)[1])];
        requestUrls.ShouldBe([$"https://chatops.example.com{SlackEndpoints.EventsPath}", $"https://chatops.example.com{SlackEndpoints.InteractionsPath}"]);
        Value("    is_enabled").ShouldBe("true");
        Value("  socket_mode_enabled").ShouldBe("false");
    }

    [Fact]
    public void TheSlashCommandIsChatopsAndDoesNotEscapeMentions()
    {
        Value("    - command").ShouldBe("/chatops");
        Value("      should_escape").ShouldBe("false");
        Value("    messages_tab_enabled").ShouldBe("true");
    }

    private static string Value(string key) =>
        s_lines.Single(l => l.StartsWith(key + ":", StringComparison.Ordinal)).Split(": ", 2)[1].Trim();

    private static List<string> ListUnder(string header)
    {
        int start = Array.IndexOf(s_lines, header);
        start.ShouldBeGreaterThanOrEqualTo(0, $"no '{header.Trim()}' in the manifest");
        return [.. s_lines.Skip(start + 1).TakeWhile(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal)).Select(l => l.Trim()[2..])];
    }
}
