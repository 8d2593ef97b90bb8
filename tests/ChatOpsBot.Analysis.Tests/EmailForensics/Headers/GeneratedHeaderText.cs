using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Headers;

/// <summary>Header values assembled from the pieces real ones are made of, for the parsers' oracle tests.</summary>
internal static class GeneratedHeaderText
{
    /// <summary>Up to <paramref name="maxPieces"/> of <paramref name="pieces"/> in any order, each followed by one of <paramref name="separators"/>.</summary>
    public static Gen<string> Of(string[] pieces, string[] separators, int maxPieces)
    {
        Gen<string> piece = Gen.Elements(pieces);
        Gen<string> separator = Gen.Elements(separators);
        return Gen.Choose(0, maxPieces)
            .SelectMany(n => Gen.ArrayOf(Gen.Zip(piece, separator).Select(p => p.Item1 + p.Item2), n))
            .Select(parts => string.Concat(parts));
    }
}
