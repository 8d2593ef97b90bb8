using System.Text;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.EmailForensics.Links;

/// <summary>Normalises, deduplicates and annotates URL candidates in order of first appearance.</summary>
internal sealed class UrlCollector(UrlExtractionOptions options)
{
    private const int MaxRewriteLayers = 5;

    private readonly Dictionary<string, Entry> _byUrl = new(StringComparer.Ordinal);
    private readonly List<Entry> _entries = [];

    /// <summary>
    /// What each raw candidate seen so far classified as: the entry it was merged into, or null when it is no web
    /// destination. The same link text recurs often (a logo, an unsubscribe link in every footer); classifying it is
    /// parsing, decoding rewrites and checking its host, and gives the same result while <see cref="BaseUrl"/> holds.
    /// </summary>
    private readonly Dictionary<string, Entry?> _byRaw = new(StringComparer.Ordinal);

    private string? _baseUrl;

    public UrlExtractionOptions Options { get; } = options;

    /// <summary>Absolute URL that relative links resolve against (the HTML <c>&lt;base href&gt;</c>), if any.</summary>
    public string? BaseUrl
    {
        get => _baseUrl;
        set
        {
            _baseUrl = value;
            _byRaw.Clear();
        }
    }

    public bool LimitReached { get; private set; }

    public bool IsFull => LimitReached;

    /// <summary>Adds one occurrence; false once the distinct-URL limit stops extraction.</summary>
    public bool Add(string raw, UrlSource source, string? displayText)
    {
        if (LimitReached)
        {
            return false;
        }

        if (_byRaw.TryGetValue(raw, out Entry? known))
        {
            known?.AddOccurrence(source, displayText);
            return true;
        }

        Entry? candidate = Classify(raw);
        if (candidate is null)
        {
            _byRaw[raw] = null;
            return true;
        }

        if (_byUrl.TryGetValue(candidate.Url, out Entry? existing))
        {
            _byRaw[raw] = existing;
            existing.AddOccurrence(source, displayText);
            return true;
        }

        if (_entries.Count >= Options.MaxUrls)
        {
            LimitReached = true;
            return false;
        }

        candidate.AddOccurrence(source, displayText);
        _byUrl.Add(candidate.Url, candidate);
        _entries.Add(candidate);
        _byRaw[raw] = candidate;
        return true;
    }

    public IReadOnlyList<ExtractedUrl> Build()
    {
        var urls = new ExtractedUrl[_entries.Count];
        for (int i = 0; i < urls.Length; i++)
        {
            urls[i] = _entries[i].ToExtractedUrl();
        }

        return urls;
    }

    private Entry? Classify(string raw)
    {
        string cleaned = Clean(raw);
        if (cleaned.Length == 0)
        {
            return null;
        }

        int colon = cleaned.IndexOf(':', StringComparison.Ordinal);
        string scheme = colon > 0 && ParsedUrl.IsScheme(cleaned.AsSpan(0, colon)) ? cleaned[..colon].ToLowerInvariant() : string.Empty;
        switch (scheme)
        {
            case "data":
                return DataUri(cleaned);
            case "javascript" or "vbscript":
                return ScriptUri(cleaned, scheme);
            case "http" or "https" or "ftp" or "ftps" or "file":
                return WebUrl(cleaned);
            case "":
                string? resolved = Resolve(cleaned);
                return resolved is null ? null : WebUrl(resolved);
            default:
                // mailto:, tel:, cid:, about: ... are not web destinations.
                return null;
        }
    }

    // Browsers strip tabs and newlines anywhere in a URL and C0 controls/spaces at both ends.
    private static string Clean(string raw)
    {
        ReadOnlySpan<char> trimmed = raw.AsSpan().Trim(" \t\r\n\f\v\0\u00A0\u200B\uFEFF");
        if (trimmed.IndexOfAny('\t', '\r', '\n') < 0)
        {
            // Most candidates are clean already: the string itself, not a copy.
            return trimmed.Length == raw.Length ? raw : trimmed.ToString();
        }

        var builder = new StringBuilder(trimmed.Length);
        foreach (char c in trimmed)
        {
            if (c is not ('\t' or '\r' or '\n'))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private string? Resolve(string relative)
    {
        if (relative.StartsWith("//", StringComparison.Ordinal) || relative.StartsWith(@"\\", StringComparison.Ordinal))
        {
            string scheme = BaseUrl is not null && BaseUrl.StartsWith("http:", StringComparison.Ordinal) ? "http:" : "https:";
            return scheme + relative;
        }

        if (BaseUrl is null || relative.StartsWith('#') || !ParsedUrl.TryParse(BaseUrl, out ParsedUrl baseUrl))
        {
            return null;
        }

        string origin = baseUrl.Normalised[..^baseUrl.Rest.Length];
        if (relative.StartsWith('/'))
        {
            return origin + relative;
        }

        string basePath = baseUrl.Path;
        return origin + basePath[..(basePath.LastIndexOf('/') + 1)] + relative;
    }

    private Entry? WebUrl(string text)
    {
        var findings = new List<Finding>();
        if (text.Length > Options.MaxUrlChars)
        {
            findings.Add(new Finding("url.truncated", FindingSeverity.Info,
                $"URL is {text.Length} characters long; kept the first {Options.MaxUrlChars}."));
            text = text[..Options.MaxUrlChars];
        }

        if (!ParsedUrl.TryParse(text, out ParsedUrl parsed))
        {
            return null;
        }

        if (parsed.Scheme == "file")
        {
            findings.Add(new Finding("url.file-scheme", FindingSeverity.High,
                $"file: link to {parsed.DisplayHost}: opening it makes Windows connect to that host over SMB and send the user's NTLM credentials."));
        }

        AddHostFindings(findings, parsed, string.Empty);
        var entry = new Entry(parsed.Normalised, parsed.DisplayHost, findings);
        Unwrap(entry, parsed);
        return entry;
    }

    private static void Unwrap(Entry entry, ParsedUrl parsed)
    {
        string current = parsed.Normalised;
        var chain = new List<string>();
        for (int layer = 0; layer < MaxRewriteLayers; layer++)
        {
            UrlRewrite? rewrite = RewrittenUrlDecoder.Decode(current);
            if (rewrite is null)
            {
                break;
            }

            chain.Add(rewrite.Rewriter);
            if (rewrite.Target is null)
            {
                entry.OpaqueRewrittenUrl = current;
                entry.TargetDomainHint = rewrite.DomainHint;
                entry.DecodedTarget = null;
                break;
            }

            current = rewrite.Target;
            entry.DecodedTarget = rewrite.Target;
        }

        entry.RewriterChain = chain;
        if (entry.DecodedTarget is not null && ParsedUrl.TryParse(entry.DecodedTarget, out ParsedUrl target))
        {
            entry.DecodedTarget = target.Normalised;
            entry.TargetHost = target.DisplayHost;
            AddHostFindings(entry.Findings, target, "Rewritten target: ");
        }
    }

    private static void AddHostFindings(List<Finding> findings, ParsedUrl url, string prefix)
    {
        string host = url.AsciiHost.TrimEnd('.');
        if (HostAnalysis.IsIPv6Literal(host))
        {
            findings.Add(new Finding("url.ip-literal", FindingSeverity.Medium, $"{prefix}host is the IPv6 address {host}, not a domain name."));
        }
        else if (HostAnalysis.TryParseIPv4(host, out string dotted, out bool obfuscated))
        {
            findings.Add(obfuscated
                ? new Finding("url.ip-literal", FindingSeverity.High, $"{prefix}host {host} is an obfuscated form of the IP address {dotted}.")
                : new Finding("url.ip-literal", FindingSeverity.Medium, $"{prefix}host is the IP address {dotted}, not a domain name."));
        }

        if (HostAnalysis.HasPunycodeLabel(host) || HostAnalysis.HasNonAscii(host))
        {
            bool mixed = HostAnalysis.HasMixedScriptLabel(url.DisplayHost);
            findings.Add(mixed
                ? new Finding("url.punycode", FindingSeverity.High, $"{prefix}host {host} is the internationalised name {url.DisplayHost}, which mixes scripts in one label (a homograph of a familiar name).")
                : new Finding("url.punycode", FindingSeverity.Medium, $"{prefix}host {host} is the internationalised name {url.DisplayHost}."));
        }

        if (url.UserInfo is not null)
        {
            findings.Add(new Finding("url.userinfo", FindingSeverity.High,
                $"{prefix}URL puts \"{url.UserInfo}\" before '@'; the browser goes to {url.DisplayHost}, not to what precedes the '@'."));
        }

        if (url.Port is not null && !IsDefaultPort(url.Scheme, url.Port))
        {
            findings.Add(new Finding("url.non-standard-port", FindingSeverity.Low, $"{prefix}URL uses port {url.Port} for {url.Scheme}."));
        }

        if (HostAnalysis.IsShortener(host))
        {
            findings.Add(new Finding("url.shortener", FindingSeverity.Low, $"{prefix}{host} is a URL shortener that hides the real destination."));
        }
    }

    private static bool IsDefaultPort(string scheme, string port) => (scheme, port.TrimStart('0')) is
        ("http", "80") or ("https", "443") or ("ftp", "21") or ("ftps", "990");

    // data: URLs can hold megabytes; keep the media type, the first characters and the length, never the payload.
    private static Entry DataUri(string text)
    {
        int comma = text.IndexOf(',', StringComparison.Ordinal);
        string header = comma < 0 ? text[..Math.Min(text.Length, 100)] : text[..Math.Min(comma, 100)];
        string mediaType = header[5..].Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType.Length == 0)
        {
            mediaType = "text/plain";
        }

        string payloadStart = comma < 0 ? string.Empty : text.Substring(comma + 1, Math.Min(24, text.Length - comma - 1));
        string summary = $"{header},{payloadStart}… ({text.Length} chars)";
        FindingSeverity severity = mediaType switch
        {
            _ when mediaType.StartsWith("image/", StringComparison.Ordinal) && mediaType != "image/svg+xml" => FindingSeverity.Info,
            "text/html" or "application/xhtml+xml" or "image/svg+xml" or "text/javascript" or "application/javascript" => FindingSeverity.High,
            _ when mediaType.StartsWith("application/", StringComparison.Ordinal) => FindingSeverity.High,
            _ => FindingSeverity.Medium,
        };
        var finding = new Finding("url.data-uri", severity,
            $"data: URL of type {mediaType}, {text.Length} characters: content embedded in the link itself, invisible to URL reputation checks.");
        return new Entry(summary, null, [finding]);
    }

    private static Entry ScriptUri(string text, string scheme)
    {
        string summary = text.Length <= 200 ? text : $"{text[..200]}… ({text.Length} chars)";
        var finding = new Finding("url.javascript", FindingSeverity.High, $"{scheme}: link runs script when clicked instead of opening a page.");
        return new Entry(summary, null, [finding]);
    }

    private sealed class Entry(string url, string? host, List<Finding> findings)
    {
        private readonly List<UrlSource> _sources = [];
        private readonly List<Finding> _anchorFindings = [];

        private string? _lastComparedText;

        public string Url { get; } = url;

        public string? Host { get; } = host;

        public List<Finding> Findings { get; } = findings;

        public string? DecodedTarget { get; set; }

        public string? TargetHost { get; set; }

        public string? OpaqueRewrittenUrl { get; set; }

        public string? TargetDomainHint { get; set; }

        public List<string> RewriterChain { get; set; } = [];

        public string? DisplayText { get; private set; }

        public int Occurrences { get; private set; }

        public void AddOccurrence(UrlSource source, string? displayText)
        {
            Occurrences++;
            if (!_sources.Contains(source))
            {
                _sources.Add(source);
            }

            if (displayText is null)
            {
                return;
            }

            DisplayText ??= displayText;

            // The destination never changes once the entry exists, so the same text compares the same way again: its
            // finding is already in the list, or the list is full.
            if (string.Equals(displayText, _lastComparedText, StringComparison.Ordinal))
            {
                return;
            }

            _lastComparedText = displayText;
            Finding? mismatch = AnchorComparison.Compare(displayText, DestinationHost());
            if (mismatch is not null && !_anchorFindings.Contains(mismatch) && _anchorFindings.Count < 8)
            {
                _anchorFindings.Add(mismatch);
            }
        }

        // Where the click really goes: the decoded rewrite target, else the rewriter's domain hint; null when an opaque
        // rewrite hides it (comparing the text with the rewriter's own host would flag every protected link).
        private string? DestinationHost()
        {
            if (TargetHost is not null)
            {
                return TargetHost;
            }

            if (RewriterChain.Count > 0)
            {
                return TargetDomainHint;
            }

            return Host;
        }

        public ExtractedUrl ToExtractedUrl() => new(Url, _sources.Count > 0 ? _sources[0] : UrlSource.PlainText, DisplayText, Host)
        {
            DecodedTarget = DecodedTarget,
            Rewriter = RewriterChain.Count > 0 ? RewriterChain[0] : null,
            RewriterChain = RewriterChain.ToArray(),
            OpaqueRewrittenUrl = OpaqueRewrittenUrl,
            TargetDomainHint = TargetDomainHint,
            Sources = _sources.ToArray(),
            Occurrences = Occurrences,
            Findings = [.. Findings, .. _anchorFindings],
        };
    }
}
