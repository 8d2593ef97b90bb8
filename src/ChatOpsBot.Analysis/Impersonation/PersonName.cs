using System.Text;

namespace ChatOpsBot.Analysis.Impersonation;

/// <summary>
/// A person's name reduced to the words a reader sees: visual skeleton (NFKC/NFKD, case, diacritics and homoglyphs
/// folded away), split on anything that is not a letter or digit, apostrophes dropped ("O'Brien" is "obrien").
/// A name written with Latin capital I has a second reading with that I read as l, because the two look the same.
/// </summary>
internal sealed class PersonName
{
    private static readonly char[] s_apostrophes = ['\'', '\u2019', '\u2018', '\u02BC', '`', '\u00B4'];

    private PersonName(IReadOnlyList<IReadOnlyList<string>> readings)
    {
        Readings = readings;
    }

    /// <summary>One or two token lists; every reading of a name has the same number of tokens.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Readings { get; }

    /// <summary>Tokens of the primary reading.</summary>
    public IReadOnlyList<string> Tokens => Readings[0];

    public bool IsEmpty => Tokens.Count == 0;

    /// <summary>Identity of the person named: the same words in any order ("Doe, Jane" and "Jane Doe" are one key).</summary>
    public string Key => string.Join(' ', Tokens.Order(StringComparer.Ordinal));

    /// <summary>Tokens a VIP name must show to match: initials are optional when two longer words remain.</summary>
    public int RequiredTokenCount => RequiredTokens(Tokens).Count;

    public static PersonName Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var readings = new List<IReadOnlyList<string>> { Tokenize(Confusables.Skeleton(name)) };
        if (Confusables.HasCapitalI(name))
        {
            IReadOnlyList<string> alternative = Tokenize(Confusables.Skeleton(name, capitalIAsL: true));
            if (!alternative.SequenceEqual(readings[0], StringComparer.Ordinal))
            {
                readings.Add(alternative);
            }
        }

        return new PersonName(readings);
    }

    /// <summary>
    /// Whether this display name shows <paramref name="vip"/>'s name: every required word of some reading of the
    /// VIP name appears as a whole word of some reading of the display name, in any order (so "Doe, Jane" and
    /// "JANE DOE (CEO)" show "Jane Doe", "Alice" does not show "Al"); or the VIP's words run together form one word
    /// ("JaneDoe").
    /// </summary>
    public bool Shows(PersonName vip)
    {
        ArgumentNullException.ThrowIfNull(vip);
        if (vip.IsEmpty)
        {
            return false;
        }

        foreach (IReadOnlyList<string> display in Readings)
        {
            foreach (IReadOnlyList<string> wanted in vip.Readings)
            {
                if (ContainsAll(display, RequiredTokens(wanted)) || ContainsJoined(display, wanted))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The primary reading as one string: the normalised form reported in the output.</summary>
    public override string ToString() => string.Join(' ', Tokens);

    private static List<string> Tokenize(string skeleton)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (Rune rune in skeleton.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                current.Append(rune.ToString());
            }
            else if (!(rune.IsBmp && s_apostrophes.Contains((char)rune.Value)) && current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    private static IReadOnlyList<string> RequiredTokens(IReadOnlyList<string> tokens)
    {
        List<string> words = tokens.Where(t => t.Length > 1).ToList();
        return words.Count >= 2 ? words : tokens;
    }

    private static bool ContainsAll(IReadOnlyList<string> display, IReadOnlyList<string> wanted)
    {
        var available = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string token in display)
        {
            available[token] = available.GetValueOrDefault(token) + 1;
        }

        foreach (string token in wanted)
        {
            int count = available.GetValueOrDefault(token);
            if (count == 0)
            {
                return false;
            }

            available[token] = count - 1;
        }

        return true;
    }

    private static bool ContainsJoined(IReadOnlyList<string> display, IReadOnlyList<string> wanted)
    {
        if (wanted.Count < 2)
        {
            return false;
        }

        string joined = string.Concat(wanted);
        string reversed = string.Concat(wanted.Reverse());
        return display.Any(t => string.Equals(t, joined, StringComparison.Ordinal) || string.Equals(t, reversed, StringComparison.Ordinal));
    }
}
