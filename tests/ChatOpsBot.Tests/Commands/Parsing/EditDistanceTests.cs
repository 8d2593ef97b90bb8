using ChatOpsBot.Analysis.Impersonation;

namespace ChatOpsBot.Tests.Commands.Parsing;

public sealed class EditDistanceTests
{
    [Theory]
    [InlineData("audit", "audit", 0)]
    [InlineData("audit", "audti", 1)]
    [InlineData("metrics", "metrcs", 1)]
    [InlineData("headers", "hedaers", 1)]
    [InlineData("help", "", 4)]
    [InlineData("kitten", "sitting", 3)]
    public void CountsEditsWithNeighbourSwapsAsOne(string a, string b, int expected)
    {
        EditDistance.Between(a, b).ShouldBe(expected);
        EditDistance.Between(b, a).ShouldBe(expected);
    }
}
