namespace ChatOpsBot.Analysis.Impersonation;

/// <summary>
/// Damerau–Levenshtein distance in its optimal-string-alignment form: insertions, deletions, substitutions and
/// transpositions of adjacent characters each cost 1 (a transposed pair is not edited again). Symmetric, and 0 only
/// for equal strings. O(n·m) time, O(m) memory.
/// </summary>
public static class EditDistance
{
    public static int Between(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Length == 0)
        {
            return second.Length;
        }

        if (second.Length == 0)
        {
            return first.Length;
        }

        int columns = second.Length + 1;
        var twoRowsAgo = new int[columns];
        var previous = new int[columns];
        var current = new int[columns];
        for (int j = 0; j < columns; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= first.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j < columns; j++)
            {
                int cost = first[i - 1] == second[j - 1] ? 0 : 1;
                int best = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && first[i - 1] == second[j - 2] && first[i - 2] == second[j - 1])
                {
                    best = Math.Min(best, twoRowsAgo[j - 2] + 1);
                }

                current[j] = best;
            }

            (twoRowsAgo, previous, current) = (previous, current, twoRowsAgo);
        }

        return previous[columns - 1];
    }

    /// <summary>1 − distance / longer length: 1 for equal strings, 0 for nothing in common. Two empty strings are equal.</summary>
    public static double Similarity(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        int longer = Math.Max(first.Length, second.Length);
        return longer == 0 ? 1.0 : 1.0 - ((double)Between(first, second) / longer);
    }
}
