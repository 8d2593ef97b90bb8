using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>
/// A small fixed set of strings looked up by their text, so the values mail repeats in every message (type names,
/// parameter names, charsets) are shared instead of allocated per occurrence.
/// </summary>
internal sealed class TokenTable
{
    private readonly string[][] _byLength;
    private readonly bool _ignoreCase;

    // Upper- and lower-case ASCII letters differ in this bit only.
    private const char CaseBit = (char)0x20;

    /// <param name="tokens">The strings to share; with <paramref name="ignoreCase"/>, lower-case ASCII.</param>
    /// <param name="ignoreCase">
    /// Whether ASCII text in any case finds its token (which is then its invariant lower-case form); text with
    /// non-ASCII characters never matches, so the caller's own lower-casing decides for it.
    /// </param>
    public TokenTable(string[] tokens, bool ignoreCase)
    {
        _ignoreCase = ignoreCase;
        int longest = tokens.Max(t => t.Length);
        _byLength = new string[longest + 1][];
        for (int length = 0; length <= longest; length++)
        {
            _byLength[length] = tokens.Where(t => t.Length == length).ToArray();
        }
    }

    /// <summary>The token spelled by <paramref name="text"/>, or null.</summary>
    public string? Find(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.Length >= _byLength.Length)
        {
            return null;
        }

        // Tokens of one length are few; a first character that cannot match (ASCII letters compared without their
        // case bit) rules out nearly all of them before a whole comparison.
        char first = _ignoreCase ? (char)(text[0] | CaseBit) : text[0];
        foreach (string token in _byLength[text.Length])
        {
            if ((_ignoreCase ? (char)(token[0] | CaseBit) : token[0]) == first
                && (_ignoreCase ? Ascii.EqualsIgnoreCase(text, token) : text.SequenceEqual(token)))
            {
                return token;
            }
        }

        return null;
    }

    /// <summary>The token spelled by <paramref name="text"/>, else a new string of it.</summary>
    public string Get(ReadOnlySpan<char> text) => Find(text) ?? new string(text);
}
