using ChatOpsBot.Analysis.Impersonation;

namespace ChatOpsBot.Commands.Parsing;

/// <summary>Did-you-mean suggestions for mistyped command words, by the analysis layer's edit distance.</summary>
internal static class ClosestWord
{
    /// <summary>The closest candidate within a typo's reach (1 edit for short words, 2 for longer), or null.</summary>
    public static string? Among(string word, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(candidates);
        if (word.Length == 0 || word.Length > 64)
        {
            return null;
        }

        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int allowed = Math.Min(word.Length, candidate.Length) <= 4 ? 1 : 2;
            int distance = EditDistance.Between(word, candidate);
            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }
}
