using System.Text.Json.Nodes;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.TestSupport;
using ChatOpsBot.Tests.Teams.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Teams;

/// <summary>The Teams app manifest's command menu against the bot's real command table.</summary>
public sealed class TeamsManifestCommandsTests
{
    // Advertised ahead of their issues (decode and block with the Mimecast actions, monitor and subscribe with the
    // alerts); a title leaves this list when its command is registered.
    private static readonly string[] s_advertisedAhead = ["decode", "block", "monitor", "subscribe"];

    [Fact]
    public async Task Every_command_the_bot_has_is_in_the_manifest_and_every_other_title_is_a_known_pending_one()
    {
        await using TeamsBotHarness harness = await TeamsBotHarness.StartAsync();
        string[] commands = [.. harness.Services.GetRequiredService<CommandCatalog>().All.Select(c => c.Name.Split(' ')[0]).Distinct()];
        JsonNode manifest = JsonNode.Parse(File.ReadAllText(RepositoryFolder.PathTo("manifest/teams/manifest.json")))!;
        string[] titles = [.. manifest["bots"]![0]!["commandLists"]![0]!["commands"]!.AsArray().Select(c => c!["title"]!.GetValue<string>())];

        commands.ShouldBeSubsetOf(titles);
        titles.Except(commands).ShouldBeSubsetOf(s_advertisedAhead);
    }
}
