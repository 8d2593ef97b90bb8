using System.Text.Json.Nodes;

namespace ChatOpsBot.BotFramework.Tests.Schema;

/// <summary>The copies of ../shared/samples/channels under Samples/ (a test asserts they still match the originals).</summary>
internal static class Samples
{
    public static readonly string[] ActivityFiles =
    [
        "teams-personal-message.json",
        "teams-channel-message-with-mention.json",
        "teams-adaptivecard-action-invoke.json",
        "teams-messageback-cardaction-inbound.json",
        "teams-installationUpdate-add-team.json",
        "teams-conversationUpdate-bot-added-to-team.json",
        "teams-conversationUpdate-bot-added-personal.json",
        "teams-file-attachment-personal.fragment.json",
    ];

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Samples");

    public static string Read(string name) => File.ReadAllText(Path.Combine(Folder, name));

    public static JsonNode Node(string name) => JsonNode.Parse(Read(name))!;
}
