using System.Text;
using ChatOpsBot.Cards.Tests.Support;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Cards.Tests.Builders;

/// <summary>
/// Every card's JSON, compared exactly with <c>Snapshots/NAME.json</c>. After an intended change, rerun with
/// <c>CHATOPS_UPDATE_SNAPSHOTS=1</c> and review the diff.
/// </summary>
public class SnapshotTests
{
    private static bool Updating => Environment.GetEnvironmentVariable("CHATOPS_UPDATE_SNAPSHOTS") == "1";

    [Theory]
    [MemberData(nameof(Names))]
    public void CardMatchesItsSnapshot(string name)
    {
        string json = CardJson.Serialize(TestCards.All[name](), indented: true) + "\n";
        string path = RepositoryFolder.PathTo(Path.Combine("tests", "ChatOpsBot.Cards.Tests", "Snapshots", name + ".json"));

        if (Updating)
        {
            File.WriteAllText(path, json, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }

        File.Exists(path).ShouldBeTrue($"no snapshot {path}; run the tests with CHATOPS_UPDATE_SNAPSHOTS=1 to create it");
        json.ShouldBe(File.ReadAllText(path), $"{name} differs from its snapshot; if the change is intended, rerun with CHATOPS_UPDATE_SNAPSHOTS=1 and review the diff");
    }

    [Fact]
    public void EverySnapshotBelongsToACard()
    {
        string folder = RepositoryFolder.PathTo(Path.Combine("tests", "ChatOpsBot.Cards.Tests", "Snapshots"));

        Directory.GetFiles(folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order().ShouldBe(TestCards.All.Keys.Order());
    }

    public static TheoryData<string> Names => TestCards.Names;
}
