using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace ChatOpsBot.Analysis.EmailForensics.Headers;

/// <summary>An address found in the headers, with every header it was seen in (deduplicated).</summary>
public sealed record HeaderIp(string Address, int Version, IpScope Scope, bool IsPublic, IReadOnlyList<string> SeenIn);

/// <summary>
/// Finds IPv4 and IPv6 addresses (including <c>IPv6:</c> literals) in header text. Candidates come from a loose
/// pattern and are kept only if <see cref="IPAddress"/> accepts them, so times such as <c>14:55:07</c>, version
/// strings such as <c>8.14.4</c> and dotted ids such as <c>70.2020.03.15</c> are not reported.
/// </summary>
public static partial class HeaderIpScanner
{
    /// <summary>Headers that carry signatures or opaque blobs where address-shaped text is coincidence.</summary>
    private static readonly HashSet<string> s_opaqueHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "DKIM-Signature", "ARC-Seal", "ARC-Message-Signature", "X-Google-DKIM-Signature", "X-Google-Smtp-Source",
        "X-Gm-Message-State", "X-Microsoft-Antispam-Message-Info", "X-MS-Exchange-AntiSpam-MessageData-0",
        "X-MS-Exchange-AntiSpam-MessageData-1", "X-MS-Exchange-AntiSpam-MessageData-ChunkCount",
        "X-MS-Exchange-CrossTenant-Network-Message-Id", "Message-ID", "References", "In-Reply-To",
        "Content-Type", "Content-Transfer-Encoding", "MIME-Version", "Date", "Subject",
    };

    /// <summary>Every address in <paramref name="text"/>, canonicalised, in order of appearance.</summary>
    public static IEnumerable<string> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<string>? found = null;
        FindInto(text, ref found);
        return found ?? (IEnumerable<string>)[];
    }

    /// <summary>Adds the addresses of <paramref name="text"/> to <paramref name="found"/>, created on the first one.</summary>
    private static void FindInto(string text, ref List<string>? found)
    {
        // Most header values (subjects, addresses, dates) can hold no address at all: a chunk needs one of the
        // features below, so a text without any of them has no candidate chunk and is not walked at all.
        if (!MayHoldAddress(text))
        {
            return;
        }

        // Only a chunk with a '.' or ':' can be a candidate: the search goes from one such character to the next (one
        // vectorised scan over the text between them), taking the chunk around each, rather than cutting the whole text
        // into chunks. Neither character is a boundary, so the chunk found is the one the text would be cut into.
        int start = 0;
        while (start < text.Length)
        {
            int mark = text.AsSpan(start).IndexOfAny('.', ':');
            if (mark < 0)
            {
                return;
            }

            mark += start;
            int chunkStart = start + text.AsSpan(start, mark - start).LastIndexOfAny(s_chunkBoundaries) + 1;
            int length = text.AsSpan(mark).IndexOfAny(s_chunkBoundaries);
            int end = length < 0 ? text.Length : mark + length;
            ReadOnlySpan<char> chunk = text.AsSpan(chunkStart, end - chunkStart);

            // An address needs a digit, dot, digit (IPv4, or IPv6 ending in one), "::" or all eight IPv6 groups (seven
            // colons); most chunks with a '.' or ':' (host names, times such as 14:55:07) have none of these.
            if (HasDigitDotDigit(chunk) || chunk.IndexOf("::") >= 0 || chunk.Count(':') >= 7)
            {
                // Without a ':' only the dotted-quad branch of the pattern can match, and the IPv4-only pattern finds the
                // same matches while trying far fewer start positions (digits only, not every hex letter). Every character
                // of an ASCII chunk is one the look-behind rejects, so there a match can only start at the chunk's first
                // character: the anchored forms of the patterns try that position alone, instead of every one.
                bool ascii = Ascii.IsValid(chunk);
                Regex candidate = chunk.Contains(':')
                    ? (ascii ? AnchoredCandidate() : Candidate())
                    : (ascii ? AnchoredDottedQuadCandidate() : DottedQuadCandidate());
                foreach (ValueMatch match in candidate.EnumerateMatches(chunk))
                {
                    if (ReceivedParser.NormaliseIp(chunk.Slice(match.Index, match.Length)) is { } ip)
                    {
                        (found ??= []).Add(ip);
                    }
                }
            }

            start = end + 1;
        }
    }

    private static bool HasDigitDotDigit(ReadOnlySpan<char> chunk)
    {
        int from = 1;
        while (from < chunk.Length - 1)
        {
            int dot = chunk[from..^1].IndexOf('.');
            if (dot < 0)
            {
                return false;
            }

            int at = from + dot;
            if (char.IsAsciiDigit(chunk[at - 1]) && char.IsAsciiDigit(chunk[at + 1]))
            {
                return true;
            }

            from = at + 1;
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="text"/> has a digit-dot-digit, a "::" or seven colons anywhere: what any candidate chunk
    /// needs (a chunk is a run of the text, so its features are the text's features).
    /// </summary>
    private static bool MayHoldAddress(ReadOnlySpan<char> text)
    {
        if (text.IndexOf("::") >= 0 || text.Count(':') >= 7)
        {
            return true;
        }

        int from = 1;
        while (from < text.Length - 1)
        {
            int dot = text[from..^1].IndexOf('.');
            if (dot < 0)
            {
                return false;
            }

            int at = from + dot;
            if (char.IsAsciiDigit(text[at - 1]) && char.IsAsciiDigit(text[at + 1]))
            {
                return true;
            }

            from = at + 1;
        }

        return false;
    }

    /// <summary>
    /// An ASCII character that can be neither part of a candidate nor a neighbour the candidate pattern's
    /// look-arounds reject (<c>[\w.:\-]</c>). Matching each run between such characters on its own finds exactly
    /// the matches of the whole text (a boundary behaves like the start or end of the input for the look-arounds)
    /// without trying the pattern at every character. Non-ASCII characters may be word characters, so they never split.
    /// </summary>
    private static bool IsChunkBoundary(char c) =>
        c < 128 && !char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or ':' or '-');

    /// <summary>The characters <see cref="IsChunkBoundary"/> accepts, for a vectorised search.</summary>
    private static readonly SearchValues<char> s_chunkBoundaries =
        SearchValues.Create(Enumerable.Range(0, 128).Select(c => (char)c).Where(IsChunkBoundary).ToArray());

    /// <summary>Scans every header except opaque signature blobs; order follows first appearance.</summary>
    public static IReadOnlyList<HeaderIp> Scan(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var found = new FoundAddresses();
        foreach ((string name, string value) in headers)
        {
            if (!s_opaqueHeaders.Contains(name))
            {
                ArgumentNullException.ThrowIfNull(value);
                found.Add(name, value);
            }
        }

        return found.Build();
    }

    /// <summary>As <see cref="Scan(IEnumerable{KeyValuePair{string, string}})"/>; the value of an opaque header is not read.</summary>
    internal static IReadOnlyList<HeaderIp> Scan<THeaders>(THeaders headers)
        where THeaders : IHeaderFields
    {
        var found = new FoundAddresses();
        for (int i = 0; i < headers.Count; i++)
        {
            string name = headers.Name(i);
            if (!s_opaqueHeaders.Contains(name))
            {
                found.Add(name, headers.Value(i));
            }
        }

        return found.Build();
    }

    /// <summary>The addresses of the headers added, each with the headers it was seen in.</summary>
    private sealed class FoundAddresses
    {
        private readonly Dictionary<string, List<string>> _seen = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];
        private List<string>? _found;

        public void Add(string name, string value)
        {
            _found?.Clear();
            FindInto(value, ref _found);
            if (_found is null)
            {
                return;
            }

            foreach (string ip in _found)
            {
                if (!_seen.TryGetValue(ip, out List<string>? where))
                {
                    where = [];
                    _seen[ip] = where;
                    _order.Add(ip);
                }

                if (!where.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    where.Add(name);
                }
            }
        }

        public List<HeaderIp> Build()
        {
            var ips = new List<HeaderIp>(_order.Count);
            foreach (string ip in _order)
            {
                var address = IPAddress.Parse(ip);
                IpScope scope = IpClassifier.Classify(address);
                ips.Add(new HeaderIp(ip, address.AddressFamily == AddressFamily.InterNetworkV6 ? 6 : 4, scope, scope == IpScope.Public, _seen[ip]));
            }

            return ips;
        }
    }

    // IPv6 needs at least two colons; IPv4 is a dotted quad. Neighbouring word characters, dots or colons reject
    // the candidate so it is not a fragment of a longer token.
    [GeneratedRegex(
        @"(?<![\w.:\-])(?:IPv6:)?(?:(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?|\d{1,3}(?:\.\d{1,3}){3})(?![\w:\-]|\.\w)",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex CandidateGenerated();

    private static Regex Candidate() => AnalysisRegex.Apply(CandidateGenerated());

    // The candidate pattern's IPv4 branch with its look-arounds: what the whole pattern matches in text without a ':'.
    [GeneratedRegex(
        @"(?<![\w.:\-])\d{1,3}(?:\.\d{1,3}){3}(?![\w:\-]|\.\w)",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex DottedQuadCandidateGenerated();

    private static Regex DottedQuadCandidate() => AnalysisRegex.Apply(DottedQuadCandidateGenerated());

    // The two patterns above at the start of the text only (their look-behind always holds there): what they match in
    // a chunk of ASCII characters, where no later position can pass the look-behind.
    [GeneratedRegex(
        @"^(?:IPv6:)?(?:(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?|\d{1,3}(?:\.\d{1,3}){3})(?![\w:\-]|\.\w)",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex AnchoredCandidateGenerated();

    private static Regex AnchoredCandidate() => AnalysisRegex.Apply(AnchoredCandidateGenerated());

    [GeneratedRegex(
        @"^\d{1,3}(?:\.\d{1,3}){3}(?![\w:\-]|\.\w)",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex AnchoredDottedQuadCandidateGenerated();

    private static Regex AnchoredDottedQuadCandidate() => AnalysisRegex.Apply(AnchoredDottedQuadCandidateGenerated());
}
