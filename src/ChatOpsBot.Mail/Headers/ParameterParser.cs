using System.Buffers;
using System.Globalization;
using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>
/// Parses Content-Type and Content-Disposition values: <c>type/subtype; name=value; ...</c> with quoted strings,
/// RFC 2231 extended values and continuations (octets joined before decoding), and RFC 2047 words in file names.
/// </summary>
internal static class ParameterParser
{
    /// <summary>
    /// Lower-cased type names, subtypes, dispositions and parameter names that nearly every message repeats, so
    /// parsing them allocates nothing.
    /// </summary>
    private static readonly TokenTable s_lowerCaseTokens = new(
    [
        "text", "plain", "html", "multipart", "mixed", "alternative", "related", "report", "signed", "encrypted",
        "digest", "parallel", "application", "octet-stream", "pdf", "zip", "json", "xml", "ms-tnef", "pkcs7-signature",
        "x-pkcs7-signature", "pkcs7-mime", "x-pkcs7-mime", "msword", "rtf", "ics", "image", "png", "jpeg", "jpg", "gif",
        "bmp", "svg+xml", "webp", "message", "rfc822", "global", "delivery-status", "disposition-notification",
        "calendar", "audio", "video", "csv", "enriched", "x-zip-compressed", "javascript", "inline", "attachment",
        "charset", "boundary", "name", "filename", "format", "delsp", "type", "method", "size", "creation-date",
        "modification-date", "read-date", "reply-type", "protocol", "micalg", "start", "report-type", "smime-type",
        "id", "number", "total", "access-type",
    ], ignoreCase: true);

    // Parameter values are kept as written (case included): only exact spellings are shared.
    private static readonly TokenTable s_values = new(
    [
        "utf-8", "UTF-8", "us-ascii", "US-ASCII", "iso-8859-1", "ISO-8859-1", "iso-8859-15", "ISO-8859-15",
        "windows-1252", "Windows-1252", "flowed", "fixed", "yes", "no", "text/html", "text/plain",
        "application/pkcs7-signature", "sha-256", "sha-1", "sha256", "sha1", "REQUEST", "multipart/alternative",
    ], ignoreCase: false);

    public static ContentType ParseContentType(ReadOnlySpan<char> value, List<MimeDefect> defects, long offset)
    {
        int i = 0;
        SkipWhitespaceAndComments(value, ref i);
        int typeStart = i;
        i = IndexOfAnyOrEnd(value, i, WhiteSpace.OrSlashOrSemicolon);

        string mediaType = ToLower(value[typeStart..i]);
        SkipWhitespaceAndComments(value, ref i);
        string subtype = string.Empty;
        if (i < value.Length && value[i] == '/')
        {
            i++;
            SkipWhitespaceAndComments(value, ref i);
            int subtypeStart = i;
            i = IndexOfAnyOrEnd(value, i, WhiteSpace.OrSemicolonOrParenthesis);

            subtype = ToLower(value[subtypeStart..i]);
        }

        IReadOnlyList<ContentParameter> parameters = ParseParameters(value, i, defects, offset);
        if (mediaType.Length == 0 || !IsToken(mediaType) || !IsToken(subtype))
        {
            defects.Add(new MimeDefect(MimeDefectKind.InvalidContentType, $"Content-Type '{Shorten(value)}' is not type/subtype; text/plain assumed", offset));
            return new ContentType("text", "plain", parameters);
        }

        if (subtype.Length == 0)
        {
            defects.Add(new MimeDefect(MimeDefectKind.MissingSubtype, $"Content-Type '{Shorten(value)}' has no subtype", offset));
            if (mediaType == "text")
            {
                subtype = "plain";
            }
        }

        return new ContentType(mediaType, subtype, parameters);
    }

    public static ContentDisposition ParseContentDisposition(ReadOnlySpan<char> value, List<MimeDefect> defects, long offset)
    {
        int i = 0;
        SkipWhitespaceAndComments(value, ref i);
        int start = i;
        i = IndexOfAnyOrEnd(value, i, WhiteSpace.OrSemicolon);
        string disposition = ToLower(value[start..i]);
        return new ContentDisposition(disposition, ParseParameters(value, i, defects, offset));
    }

    // The parameters as read, before RFC 2231 sections are joined; one list per thread, reused (parsing a header
    // never parses another inside it).
    [ThreadStatic]
    private static List<(string Name, string Value)>? t_rawParameters;

    private static IReadOnlyList<ContentParameter> ParseParameters(ReadOnlySpan<char> value, int i, List<MimeDefect> defects, long offset)
    {
        List<(string Name, string Value)> raw = t_rawParameters ??= new List<(string Name, string Value)>(8);
        raw.Clear();
        try
        {
            ReadParameters(value, i, raw, defects, offset);
            return Combine(raw, defects, offset);
        }
        finally
        {
            raw.Clear();
            if (raw.Capacity > 1024)
            {
                t_rawParameters = null;
            }
        }
    }

    private static void ReadParameters(ReadOnlySpan<char> value, int i, List<(string Name, string Value)> raw, List<MimeDefect> defects, long offset)
    {
        bool reported = false;
        while (i < value.Length)
        {
            while (i < value.Length && (value[i] == ';' || char.IsWhiteSpace(value[i])))
            {
                i++;
            }

            if (i < value.Length && value[i] == '(')
            {
                SkipWhitespaceAndComments(value, ref i);
                continue;
            }

            int nameStart = i;
            int nameEnd = value[i..].IndexOfAny('=', ';');
            i = nameEnd < 0 ? value.Length : i + nameEnd;

            string name = ToLower(value[nameStart..i].Trim());
            if (i >= value.Length || value[i] == ';')
            {
                if (name.Length > 0 && !reported)
                {
                    defects.Add(new MimeDefect(MimeDefectKind.InvalidParameter, $"parameter '{Shorten(name)}' has no value", offset));
                    reported = true;
                }

                continue;
            }

            i++;
            while (i < value.Length && char.IsWhiteSpace(value[i]))
            {
                i++;
            }

            string parameterValue;
            if (i < value.Length && value[i] == '"')
            {
                parameterValue = ReadQuoted(value, ref i, out bool terminated);
                if (!terminated && !reported)
                {
                    defects.Add(new MimeDefect(MimeDefectKind.InvalidParameter, $"parameter '{Shorten(name)}' has an unterminated quoted value", offset));
                    reported = true;
                }

                // Junk after the closing quote belongs to nothing; skip to the next parameter.
                int next = value[i..].IndexOf(';');
                i = next < 0 ? value.Length : i + next;
            }
            else
            {
                int valueStart = i;
                int next = value[i..].IndexOf(';');
                i = next < 0 ? value.Length : i + next;
                parameterValue = s_values.Get(value[valueStart..i].Trim());
            }

            if (name.Length > 0)
            {
                raw.Add((name, parameterValue));
            }
        }
    }

    private static string ReadQuoted(ReadOnlySpan<char> value, ref int i, out bool terminated)
    {
        i++;

        // Without a backslash the value is the text up to the closing quote (or to the end when there is none).
        ReadOnlySpan<char> rest = value[i..];
        int stop = rest.IndexOfAny('"', '\\');
        if (stop < 0 || rest[stop] == '"')
        {
            terminated = stop >= 0;
            i = stop < 0 ? value.Length : i + stop + 1;
            return s_values.Get(stop < 0 ? rest : rest[..stop]);
        }

        StringBuilder text = new();
        text.Append(rest[..stop]);
        i += stop;
        while (i < value.Length)
        {
            char c = value[i];
            // RFC 5322 quoted-pair: a backslash makes the next character literal (so "C:\\TEMP\\a.png" loses them).
            if (c == '\\' && i + 1 < value.Length)
            {
                text.Append(value[i + 1]);
                i += 2;
                continue;
            }

            if (c == '"')
            {
                i++;
                terminated = true;
                return text.ToString();
            }

            text.Append(c);
            i++;
        }

        terminated = false;
        return text.ToString();
    }

    /// <summary>The index of the first of <paramref name="stops"/> at or after <paramref name="start"/>, else the length.</summary>
    private static int IndexOfAnyOrEnd(ReadOnlySpan<char> value, int start, SearchValues<char> stops)
    {
        int found = value[start..].IndexOfAny(stops);
        return found < 0 ? value.Length : start + found;
    }

    /// <summary>The text lower-cased (invariant), shared for the common tokens.</summary>
    private static string ToLower(ReadOnlySpan<char> text) =>
        s_lowerCaseTokens.Find(text) ?? new string(text).ToLowerInvariant();

    private static IReadOnlyList<ContentParameter> Combine(List<(string Name, string Value)> raw, List<MimeDefect> defects, long offset)
    {
        if (!HasSectionName(raw))
        {
            // The common case: no RFC 2231 sections, so no grouping is needed (first occurrence of a name wins).
            if (raw.Count == 0)
            {
                return [];
            }

            ContentParameter[] simple = new ContentParameter[raw.Count];
            int count = 0;

            // A header has a handful of parameters: looking back is cheaper than a set, which only long lists need.
            HashSet<string>? names = raw.Count > 8 ? new(StringComparer.Ordinal) : null;
            foreach ((string name, string value) in raw)
            {
                if (names is null ? !HasName(simple.AsSpan(0, count), name) : names.Add(name))
                {
                    simple[count++] = new ContentParameter(name, name is "name" or "filename" ? Rfc2047.Decode(value, out _) : value);
                }
            }

            return count == simple.Length ? simple : simple[..count];
        }

        // Group RFC 2231 sections (name*, name*0, name*0*, name*1, ...) by base name; plain names stay as they are.
        List<string> order = [];
        HashSet<string> seen = new(StringComparer.Ordinal);
        Dictionary<string, string> plain = new(StringComparer.Ordinal);
        Dictionary<string, SortedDictionary<int, (string Value, bool Encoded)>> sections = new(StringComparer.Ordinal);
        foreach ((string name, string value) in raw)
        {
            (string baseName, int index, bool encoded) = SplitSectionName(name);
            if (seen.Add(baseName))
            {
                order.Add(baseName);
            }

            if (index < 0 && !encoded)
            {
                plain.TryAdd(baseName, value);
                continue;
            }

            if (!sections.TryGetValue(baseName, out SortedDictionary<int, (string Value, bool Encoded)>? parts))
            {
                parts = [];
                sections[baseName] = parts;
            }

            parts.TryAdd(Math.Max(index, 0), (value, encoded));
        }

        List<ContentParameter> result = new(order.Count);
        foreach (string name in order)
        {
            string value;
            if (sections.TryGetValue(name, out SortedDictionary<int, (string Value, bool Encoded)>? parts))
            {
                value = DecodeSections(parts, out bool problem);
                if (problem)
                {
                    defects.Add(new MimeDefect(MimeDefectKind.InvalidParameter, $"parameter '{Shorten(name)}' has malformed RFC 2231 sections", offset));
                }
            }
            else
            {
                value = plain[name];
                if (name is "name" or "filename")
                {
                    value = Rfc2047.Decode(value, out _);
                }
            }

            result.Add(new ContentParameter(name, value));
        }

        return result;
    }

    private static bool HasSectionName(List<(string Name, string Value)> raw)
    {
        foreach ((string name, _) in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(raw))
        {
            if (name.Contains('*', StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasName(ReadOnlySpan<ContentParameter> parameters, string name)
    {
        foreach (ContentParameter parameter in parameters)
        {
            if (parameter.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    private static (string BaseName, int Index, bool Encoded) SplitSectionName(string name)
    {
        int star = name.IndexOf('*', StringComparison.Ordinal);
        if (star <= 0)
        {
            return (name, -1, false);
        }

        string baseName = name[..star];
        string rest = name[(star + 1)..];
        if (rest.Length == 0)
        {
            return (baseName, -1, true);
        }

        bool encoded = rest.EndsWith('*');
        string digits = encoded ? rest[..^1] : rest;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < 100_000
            ? (baseName, index, encoded)
            : (name, -1, false);
    }

    private static string DecodeSections(SortedDictionary<int, (string Value, bool Encoded)> parts, out bool problem)
    {
        problem = false;
        string? charset = null;
        List<byte> octets = [];
        int expected = 0;
        foreach ((int index, (string value, bool encoded)) in parts)
        {
            if (index != expected)
            {
                problem = true;
            }

            expected = index + 1;
            string text = value;
            if (encoded && index == 0)
            {
                int firstQuote = text.IndexOf('\'', StringComparison.Ordinal);
                int secondQuote = firstQuote >= 0 ? text.IndexOf('\'', firstQuote + 1) : -1;
                if (secondQuote > firstQuote)
                {
                    charset = text[..firstQuote];
                    text = text[(secondQuote + 1)..];
                }
                else
                {
                    problem = true;
                }
            }

            if (encoded)
            {
                problem |= !PercentDecode(text, octets);
            }
            else
            {
                octets.AddRange(Encoding.UTF8.GetBytes(text));
            }
        }

        string decoded = Charsets.DecodeText(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(octets), charset);
        if (charset is not null && !Charsets.IsKnown(charset))
        {
            problem = true;
        }

        // Some clients put RFC 2047 words inside RFC 2231 values as well.
        return decoded.Contains("=?", StringComparison.Ordinal) ? Rfc2047.Decode(decoded, out _) : decoded;
    }

    private static bool PercentDecode(string text, List<byte> octets)
    {
        bool clean = true;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '%' && i + 2 < text.Length && Rfc2047.HexValue(text[i + 1]) is int high and >= 0 && Rfc2047.HexValue(text[i + 2]) is int low and >= 0)
            {
                octets.Add((byte)((high << 4) | low));
                i += 2;
            }
            else
            {
                if (c == '%')
                {
                    clean = false;
                }

                if (c < 0x80)
                {
                    octets.Add((byte)c);
                }
                else
                {
                    octets.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                }
            }
        }

        return clean;
    }

    internal static void SkipWhitespaceAndComments(ReadOnlySpan<char> value, ref int i)
    {
        while (i < value.Length)
        {
            if (char.IsWhiteSpace(value[i]))
            {
                i++;
            }
            else if (value[i] == '(')
            {
                int depth = 0;
                while (i < value.Length)
                {
                    if (value[i] == '\\')
                    {
                        i++;
                    }
                    else if (value[i] == '(')
                    {
                        depth++;
                    }
                    else if (value[i] == ')' && --depth == 0)
                    {
                        i++;
                        break;
                    }

                    i++;
                }
            }
            else
            {
                return;
            }
        }
    }

    // RFC 2045 tspecials; a token is printable ASCII other than these (space and controls are outside '!'..'~').
    private static readonly SearchValues<char> s_tspecials = SearchValues.Create("()<>@,;:\\\"/[]?=");

    private static bool IsToken(string text) =>
        text.AsSpan().IndexOfAnyExceptInRange('!', '~') < 0 && text.AsSpan().IndexOfAny(s_tspecials) < 0;

    internal static string Shorten(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 80), "...");

    internal static string Shorten(ReadOnlySpan<char> value) => value.Length <= 80 ? new string(value) : string.Concat(value[..80], "...");
}
