namespace ChatOpsBot.Analysis.EmailForensics.Headers;

/// <summary>
/// Chooses which Authentication-Results to believe. Anyone can write an Authentication-Results header into a
/// message before sending it, so only the receiving side's header counts:
/// <list type="number">
/// <item>With <c>trustedAuthservIds</c> configured, the topmost header whose authserv-id is in that list.</item>
/// <item>Otherwise the topmost Authentication-Results header: the receiving MTA prepends its own, so it sits above
/// anything the sender or earlier hops wrote.</item>
/// <item>Further headers with the same authserv-id are trusted only while no Received header separates them from
/// the chosen one (a receiver may split its results, but a header below another hop was written before that hop).</item>
/// </list>
/// Everything else is reported as ignored; an ignored header that claims a pass the trusted one does not
/// confirm is recorded as a conflict (a forged result planted lower in the headers).
/// Without any Authentication-Results, the topmost Received-SPF supplies SPF only.
/// </summary>
public static class AuthenticationEvaluator
{
    // Character sets as static arrays: an array literal argument (params char[] or a collection expression) allocates a
    // new array, filled from its metadata, at every call.
    private static readonly char[] s_spfSeparators = [';', ' '];

    private static readonly char[] s_quotesAndAngles = ['<', '>', '"'];

    public static AuthenticationSummary Evaluate(IReadOnlyList<KeyValuePair<string, string>> headersTopFirst, IReadOnlyCollection<string>? trustedAuthservIds = null)
    {
        ArgumentNullException.ThrowIfNull(headersTopFirst);
        return Evaluate(new PairHeaderFields(headersTopFirst), trustedAuthservIds);
    }

    /// <summary>As <see cref="Evaluate(IReadOnlyList{KeyValuePair{string, string}}, IReadOnlyCollection{string}?)"/>, reading only the values it uses.</summary>
    internal static AuthenticationSummary Evaluate<THeaders>(THeaders headersTopFirst, IReadOnlyCollection<string>? trustedAuthservIds)
        where THeaders : IHeaderFields
    {
        var all = new List<AuthResultsHeader>();
        var arc = new List<AuthResultsHeader>();
        var receivedPositions = new List<int>();
        string? receivedSpf = null;
        for (int i = 0; i < headersTopFirst.Count; i++)
        {
            string name = headersTopFirst.Name(i);
            if (name.Equals("Authentication-Results", StringComparison.OrdinalIgnoreCase))
            {
                all.Add(AuthenticationResultsParser.Parse(name, i, headersTopFirst.Value(i)));
            }
            else if (name.Equals("ARC-Authentication-Results", StringComparison.OrdinalIgnoreCase))
            {
                arc.Add(AuthenticationResultsParser.Parse(name, i, headersTopFirst.Value(i)));
            }
            else if (name.Equals("Received", StringComparison.OrdinalIgnoreCase))
            {
                receivedPositions.Add(i);
            }
            else if (name.Equals("Received-SPF", StringComparison.OrdinalIgnoreCase))
            {
                receivedSpf ??= headersTopFirst.Value(i);
            }
        }

        AuthResultsHeader? anchor = trustedAuthservIds is { Count: > 0 }
            ? all.FirstOrDefault(h => h.AuthservId is not null && trustedAuthservIds.Contains(h.AuthservId, StringComparer.OrdinalIgnoreCase))
            : all.FirstOrDefault();

        if (anchor is null)
        {
            AuthCheck? spf = receivedSpf is null ? null : ParseReceivedSpf(receivedSpf);
            return new AuthenticationSummary
            {
                Source = spf is null ? "none" : "received-spf",
                Spf = spf,
                Ignored = all,
                Arc = arc,
            };
        }

        int nextReceived = receivedPositions.Where(p => p > anchor.Position).DefaultIfEmpty(int.MaxValue).Min();
        List<AuthResultsHeader> trusted = all
            .Where(h => h == anchor || (h.Position > anchor.Position && h.Position < nextReceived && h.AuthservId == anchor.AuthservId))
            .ToList();
        List<AuthResultsHeader> ignored = all.Except(trusted).ToList();
        List<AuthMethodResult> results = trusted.SelectMany(h => h.Results).ToList();

        AuthCheck? spfCheck = Check(results, "spf", "smtp.mailfrom", "smtp.helo");
        AuthCheck? dmarc = Check(results, "dmarc", "header.from");
        AuthCheck? compauth = Check(results, "compauth");
        List<AuthCheck> dkim = results.Where(r => r.Method == "dkim").Select(r => ToCheck(r, "header.d", "header.i")).ToList();
        if (spfCheck is null && receivedSpf is not null)
        {
            spfCheck = ParseReceivedSpf(receivedSpf);
        }

        return new AuthenticationSummary
        {
            Source = "authentication-results",
            TrustedAuthservId = anchor.AuthservId,
            Spf = spfCheck,
            Dkim = dkim,
            Dmarc = dmarc,
            Compauth = compauth,
            Trusted = trusted,
            Ignored = ignored,
            Arc = arc,
            Conflicts = FindConflicts(ignored, spfCheck, dkim, dmarc),
        };
    }

    private static List<string> FindConflicts(List<AuthResultsHeader> ignored, AuthCheck? spf, List<AuthCheck> dkim, AuthCheck? dmarc)
    {
        var conflicts = new List<string>();
        foreach (AuthResultsHeader header in ignored)
        {
            foreach (AuthMethodResult result in header.Results.Where(r => r.Result == "pass"))
            {
                bool trustedPasses = result.Method switch
                {
                    "spf" => spf?.Result == "pass",
                    "dkim" => dkim.Any(d => d.Result == "pass"),
                    "dmarc" => dmarc?.Result == "pass",
                    _ => true,
                };
                if (!trustedPasses)
                {
                    conflicts.Add($"{result.Method}=pass from authserv-id '{header.AuthservId ?? "(none)"}' (header #{header.Position + 1})");
                }
            }
        }

        return conflicts;
    }

    private static AuthCheck? Check(List<AuthMethodResult> results, string method, params string[] domainProperties) =>
        results.FirstOrDefault(r => r.Method == method) is { } found ? ToCheck(found, domainProperties) : null;

    private static AuthCheck ToCheck(AuthMethodResult result, params string[] domainProperties)
    {
        foreach (string property in domainProperties)
        {
            if (result.Properties.TryGetValue(property, out string? value) && !string.IsNullOrWhiteSpace(value)
                && !value.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                return new AuthCheck(result.Result, DomainOf(value), property, result.Reason ?? result.Comment);
            }
        }

        return new AuthCheck(result.Result, null, null, result.Reason ?? result.Comment);
    }

    /// <summary>Reads <c>Received-SPF: pass (comment) client-ip=...; envelope-from=...;</c>.</summary>
    public static AuthCheck? ParseReceivedSpf(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string text = ReceivedParser.Unfold(value);
        int space = text.AsSpan().IndexOfAny(' ', '(', ';');
        string result = (space < 0 ? text : text[..space]).ToLowerInvariant();
        if (result.Length == 0 || !result.All(char.IsAsciiLetterLower))
        {
            return null;
        }

        string? domain = null;
        string? source = null;
        foreach (string part in text.Split(s_spfSeparators))
        {
            string trimmed = part.Trim();
            if (trimmed.StartsWith("envelope-from=", StringComparison.OrdinalIgnoreCase))
            {
                domain = DomainOf(trimmed["envelope-from=".Length..].Trim(s_quotesAndAngles));
                source = "envelope-from";
                break;
            }
        }

        if (domain is null)
        {
            int of = text.IndexOf("domain of ", StringComparison.OrdinalIgnoreCase);
            if (of >= 0)
            {
                string rest = text[(of + "domain of ".Length)..];
                int end = rest.AsSpan().IndexOfAny(' ', ')');
                domain = DomainOf(end < 0 ? rest : rest[..end]);
                source = "smtp.mailfrom";
            }
        }

        int open = text.IndexOf('(', StringComparison.Ordinal);
        int close = open < 0 ? -1 : text.IndexOf(')', open);
        string? reason = close > open ? text[(open + 1)..close] : null;
        return new AuthCheck(result, string.IsNullOrEmpty(domain) ? null : domain, domain is null ? null : source, reason);
    }

    /// <summary>The domain of an address or <c>@domain</c> identity, lower-cased.</summary>
    internal static string DomainOf(string value)
    {
        string trimmed = value.Trim().Trim(s_quotesAndAngles);
        int at = trimmed.LastIndexOf('@');
        return (at >= 0 ? trimmed[(at + 1)..] : trimmed).TrimEnd('.').ToLowerInvariant();
    }
}
