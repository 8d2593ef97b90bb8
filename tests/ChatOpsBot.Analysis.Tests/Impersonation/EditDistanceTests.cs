using ChatOpsBot.Analysis.Impersonation;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.Impersonation;

public class EditDistanceTests
{
    private static readonly Gen<string> s_shortStrings =
        Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdo0rnmw.-".ToCharArray()), n)).Select(cs => new string(cs));

    [Theory]
    [InlineData("corp.com", "corp.com", 0)]
    [InlineData("corp.com", "corq.com", 1)] // substitution
    [InlineData("corp.com", "corpp.com", 1)] // insertion
    [InlineData("corp.com", "cor.com", 1)] // deletion
    [InlineData("corp.com", "crop.com", 1)] // adjacent transposition: Levenshtein would say 2
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("ca", "abc", 3)] // optimal string alignment: a transposed pair is not edited again
    public void DistanceCountsInsertionsDeletionsSubstitutionsAndTranspositions(string first, string second, int expected)
    {
        EditDistance.Between(first, second).ShouldBe(expected);
    }

    [Fact]
    public void SimilarityIsOneMinusDistanceOverLongerLength()
    {
        EditDistance.Similarity("corp.com", "crop.com").ShouldBe(0.875);
        EditDistance.Similarity("abcdefghij", "abxdexghij").ShouldBe(0.8);
        EditDistance.Similarity(string.Empty, string.Empty).ShouldBe(1.0);
        EditDistance.Similarity("abc", "xyz").ShouldBe(0.0);
    }

    [Fact]
    public void DistanceIsSymmetric()
    {
        Prop.ForAll(
                s_shortStrings.Two().ToArbitrary(),
                pair => EditDistance.Between(pair.Item1, pair.Item2) == EditDistance.Between(pair.Item2, pair.Item1))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void DistanceIsZeroExactlyForEqualStrings()
    {
        Prop.ForAll(
                s_shortStrings.Two().ToArbitrary(),
                pair => (EditDistance.Between(pair.Item1, pair.Item2) == 0) == string.Equals(pair.Item1, pair.Item2, StringComparison.Ordinal))
            .QuickCheckThrowOnFailure();
        Prop.ForAll(s_shortStrings.ToArbitrary(), s => EditDistance.Between(s, s) == 0).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void DistanceLiesBetweenLengthDifferenceAndLongerLength()
    {
        Prop.ForAll(
                s_shortStrings.Two().ToArbitrary(),
                pair =>
                {
                    int distance = EditDistance.Between(pair.Item1, pair.Item2);
                    return distance >= Math.Abs(pair.Item1.Length - pair.Item2.Length)
                        && distance <= Math.Max(pair.Item1.Length, pair.Item2.Length);
                })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void OneEditNeverCostsMoreThanOne()
    {
        Gen<(string Original, string Edited)> edits =
            from original in s_shortStrings.Where(s => s.Length >= 2)
            from kind in Gen.Choose(0, 3)
            from position in Gen.Choose(0, original.Length - 2)
            from letter in Gen.Elements("xyz".ToCharArray())
            select (original, kind switch
            {
                0 => original.Remove(position, 1).Insert(position, letter.ToString()),
                1 => original.Insert(position, letter.ToString()),
                2 => original.Remove(position, 1),
                _ => string.Concat(original.AsSpan(0, position), original.AsSpan(position + 1, 1), original.AsSpan(position, 1), original.AsSpan(position + 2)),
            });

        Prop.ForAll(edits.ToArbitrary(), e => EditDistance.Between(e.Original, e.Edited) <= 1).QuickCheckThrowOnFailure();
    }
}
