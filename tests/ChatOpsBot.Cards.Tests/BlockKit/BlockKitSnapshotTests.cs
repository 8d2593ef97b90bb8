using System.Text;
using ChatOpsBot.Cards.BlockKit;
using ChatOpsBot.Cards.Tests.Support;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Cards.Tests.BlockKit;

/// <summary>
/// Every card rendered for Slack, compared exactly with <c>BlockKit/Snapshots/NAME.slack.json</c>. After an intended
/// change, rerun with <c>CHATOPS_UPDATE_SNAPSHOTS=1</c> and review the diff.
/// </summary>
public class BlockKitSnapshotTests
{
    private static bool Updating => Environment.GetEnvironmentVariable("CHATOPS_UPDATE_SNAPSHOTS") == "1";

    private static string Folder => RepositoryFolder.PathTo(Path.Combine("tests", "ChatOpsBot.Cards.Tests", "BlockKit", "Snapshots"));

    [Theory]
    [MemberData(nameof(Names))]
    public void SlackRenderingMatchesItsSnapshot(string name)
    {
        string json = BlockKitJson.Serialize(BlockKitRenderer.Render(TestCards.All[name]()), indented: true) + "\n";
        string path = Path.Combine(Folder, name + ".slack.json");

        if (Updating)
        {
            File.WriteAllText(path, json, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }

        File.Exists(path).ShouldBeTrue($"no snapshot {path}; run the tests with CHATOPS_UPDATE_SNAPSHOTS=1 to create it");
        json.ShouldBe(File.ReadAllText(path), $"{name} differs from its Slack snapshot; if the change is intended, rerun with CHATOPS_UPDATE_SNAPSHOTS=1 and review the diff");
    }

    [Fact]
    public void EverySlackSnapshotBelongsToACard()
    {
        Directory.GetFiles(Folder, "*.slack.json").Select(f => Path.GetFileName(f)[..^".slack.json".Length]).Order()
            .ShouldBe(TestCards.All.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryCardFitsSlacksLimits(string name)
    {
        BlockKitMessage message = BlockKitRenderer.Render(TestCards.All[name]());

        SlackShape.LimitProblems(message).ShouldBeEmpty();
    }

    public static TheoryData<string> Names => TestCards.Names;
}
