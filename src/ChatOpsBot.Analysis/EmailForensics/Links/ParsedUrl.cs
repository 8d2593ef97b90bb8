using System.Globalization;
using System.Text;

namespace ChatOpsBot.Analysis.EmailForensics.Links;

/// <summary>
/// A URL split the way browsers split special (http/https/ftp) URLs, without the canonicalisation
/// <see cref="Uri"/> applies: <see cref="Uri"/> would silently turn <c>http://3232235777/</c> into
/// <c>http://192.168.1.1/</c>, hiding exactly the evidence an analyst needs.
/// </summary>
internal sealed record ParsedUrl(string Scheme, string? UserInfo, string RawHost, string? Port, string Rest)
{
    /// <summary>Host lower-cased with percent-escapes decoded (browsers decode them before resolving).</summary>
    public string AsciiHost { get; init; } = RawHost;

    /// <summary>Host for display: punycode labels converted to Unicode.</summary>
    public string DisplayHost { get; init; } = RawHost;

    public string Normalised => Port is null
        ? string.Concat(Scheme, "://", UserInfo is null ? string.Empty : UserInfo + "@", RawHost, Rest)
        : string.Concat(Scheme, "://", UserInfo is null ? string.Empty : UserInfo + "@", RawHost, ":", Port, Rest);

    private static readonly IdnMapping s_idn = new() { AllowUnassigned = true, UseStd3AsciiRules = false };

    // Character sets as static arrays: an array literal argument (params char[] or a collection expression) allocates a
    // new array, filled from its metadata, at every call.
    private static readonly char[] s_authorityEnds = ['/', '\\', '?', '#'];

    private static readonly char[] s_pathEnds = ['?', '#'];

    /// <summary>Parses an absolute hierarchical URL (<c>scheme://authority/rest</c>); false for anything else.</summary>
    public static bool TryParse(string text, out ParsedUrl url)
    {
        url = null!;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !IsScheme(text.AsSpan(0, colon)))
        {
            return false;
        }

        int authorityStart = colon + 1;
        int slashes = 0;
        while (authorityStart < text.Length && text[authorityStart] is '/' or '\\' && slashes < 2)
        {
            authorityStart++;
            slashes++;
        }

        if (slashes < 2)
        {
            return false;
        }

        int authorityEnd = text.IndexOfAny(s_authorityEnds, authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = text.Length;
        }

        string authority = text[authorityStart..authorityEnd];
        int at = authority.LastIndexOf('@');
        string? userInfo = at >= 0 ? authority[..at] : null;
        string hostPort = authority[(at + 1)..];
        string host;
        string? port = null;
        if (hostPort.StartsWith('['))
        {
            int close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = hostPort[..(close + 1)];
            string afterHost = hostPort[(close + 1)..];
            if (afterHost.Length > 0)
            {
                if (afterHost[0] != ':')
                {
                    return false;
                }

                port = afterHost[1..];
            }
        }
        else
        {
            int portColon = hostPort.LastIndexOf(':');
            host = portColon >= 0 ? hostPort[..portColon] : hostPort;
            port = portColon >= 0 ? hostPort[(portColon + 1)..] : null;
        }

        if (port is not null)
        {
            if (port.Length == 0)
            {
                port = null;
            }
            else if (!IsAsciiDigits(port))
            {
                return false;
            }
        }

        if (host.Length == 0)
        {
            return false;
        }

        string rawHost = host.ToLowerInvariant();
        string asciiHost = rawHost.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(rawHost).ToLowerInvariant() : rawHost;
        bool bracketed = asciiHost.StartsWith('[');
        if (asciiHost.AsSpan().IndexOfAny(s_forbiddenHostChars) >= 0
            || (!bracketed && asciiHost.AsSpan().IndexOfAny(":[]@") >= 0))
        {
            return false;
        }

        string rest = text[authorityEnd..];
        if (rest.Length == 0 || rest[0] is '?' or '#')
        {
            rest = "/" + rest;
        }

        url = new ParsedUrl(text[..colon].ToLowerInvariant(), userInfo, rawHost, port, rest)
        {
            AsciiHost = asciiHost,
            DisplayHost = ToDisplayHost(asciiHost),
        };
        return true;
    }

    public static bool IsScheme(ReadOnlySpan<char> candidate)
    {
        if (candidate.IsEmpty || candidate.Length > 32 || !char.IsAsciiLetter(candidate[0]))
        {
            return false;
        }

        foreach (char c in candidate)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Value of the first query parameter called <paramref name="name"/>, percent-decoded, or null.</summary>
    public string? QueryParameter(string name, bool decode = true)
    {
        int question = Rest.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return null;
        }

        int hash = Rest.IndexOf('#', question);
        string query = hash < 0 ? Rest[(question + 1)..] : Rest[(question + 1)..hash];
        foreach (string pair in query.Split('&'))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string key = equals < 0 ? pair : pair[..equals];
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                string value = equals < 0 ? string.Empty : pair[(equals + 1)..];
                return decode ? PercentDecode(value) : value;
            }
        }

        return null;
    }

    public string Path
    {
        get
        {
            int end = Rest.IndexOfAny(s_pathEnds);
            return end < 0 ? Rest : Rest[..end];
        }
    }

    /// <summary>
    /// Decodes %XX as UTF-8; invalid escapes are kept literally instead of failing. '+' stays '+': rewriters
    /// percent-encode their targets, and a literal '+' in a target is part of it.
    /// </summary>
    public static string PercentDecode(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        var builder = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                bytes.Add((byte)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2])));
                i += 2;
                continue;
            }

            FlushBytes(bytes, builder);
            builder.Append(c);
        }

        FlushBytes(bytes, builder);
        return builder.ToString();
    }

    private static void FlushBytes(List<byte> bytes, StringBuilder builder)
    {
        if (bytes.Count > 0)
        {
            builder.Append(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static bool IsAsciiDigits(string value)
    {
        foreach (char c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string ToDisplayHost(string asciiHost)
    {
        if (!asciiHost.Contains("xn--", StringComparison.Ordinal))
        {
            return asciiHost;
        }

        try
        {
            return s_idn.GetUnicode(asciiHost.TrimEnd('.'));
        }
        catch (ArgumentException)
        {
            // Invalid punycode: browsers refuse such hosts; show what was written.
            return asciiHost;
        }
    }

    private static readonly System.Buffers.SearchValues<char> s_forbiddenHostChars =
        System.Buffers.SearchValues.Create(" \t\r\n<>\"^`{|}\0");
}
