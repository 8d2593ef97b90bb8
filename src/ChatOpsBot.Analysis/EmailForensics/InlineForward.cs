using System.Globalization;
using System.Text.RegularExpressions;
using ChatOpsBot.Analysis.EmailForensics.Headers;

namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>
/// The quoted header block of a forward pasted into the body. Only what the forwarding client chose to print is
/// available: no Received hops, no authentication results, and addresses may be display names only.
/// </summary>
public sealed record InlineForward
{
    /// <summary><c>gmail</c>, <c>outlook</c>, <c>apple_mail</c>, <c>thunderbird</c> or <c>generic</c>.</summary>
    public required string Client { get; init; }

    public required string MarkerLine { get; init; }

    public string? From { get; init; }

    public string? FromAddress { get; init; }

    public string? FromName { get; init; }

    /// <summary>The date exactly as quoted (Gmail writes "Sun, Mar 15, 2020 at 2:55 PM", Outlook a localised date).</summary>
    public string? DateText { get; init; }

    /// <summary>The quoted date when it could be read; the quoted text carries no reliable zone, so it may be off by hours.</summary>
    public DateTimeOffset? Date { get; init; }

    public string? To { get; init; }

    public string? Cc { get; init; }

    public string? Subject { get; init; }

    /// <summary>The forwarded text after the quoted header block.</summary>
    public required string Body { get; init; }

    /// <summary>Offset of the marker (or of the first quoted header) in the text searched.</summary>
    public int Offset { get; init; }
}

/// <summary>
/// Finds an inline forward in a plain-text body: Gmail / Thunderbird "Forwarded message" separators, Outlook
/// "Original Message" and underscore separators with From/Sent/To/Subject blocks (English, German, French,
/// Italian, Spanish, Portuguese, Dutch labels), and Apple Mail "Begin forwarded message:". An Outlook block without
/// any separator is accepted only when the outer subject says it is a forward (FW:, Fwd:, WG:, TR:, RV:, I:),
/// because a reply quotes the same block and is not a forward.
/// </summary>
public static partial class InlineForwardDetector
{
    private const int MaxHeaderBlockLines = 14;

    private static readonly Dictionary<string, string> s_labels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["from"] = "from", ["von"] = "from", ["de"] = "from", ["da"] = "from", ["van"] = "from", ["från"] = "from", ["fra"] = "from",
        ["date"] = "date", ["sent"] = "date", ["gesendet"] = "date", ["datum"] = "date", ["envoyé"] = "date", ["inviato"] = "date",
        ["enviado"] = "date", ["enviada"] = "date", ["data"] = "date", ["verzonden"] = "date", ["fecha"] = "date", ["skickat"] = "date", ["sendt"] = "date",
        ["to"] = "to", ["an"] = "to", ["à"] = "to", ["a"] = "to", ["para"] = "to", ["aan"] = "to", ["till"] = "to", ["til"] = "to",
        ["cc"] = "cc", ["kopie"] = "cc", ["cc."] = "cc",
        ["subject"] = "subject", ["betreff"] = "subject", ["objet"] = "subject", ["oggetto"] = "subject", ["asunto"] = "subject",
        ["assunto"] = "subject", ["onderwerp"] = "subject", ["ämne"] = "subject", ["emne"] = "subject",
    };

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> s_labelsBySpan =
        s_labels.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The first inline forward in <paramref name="text"/>, or null.</summary>
    public static InlineForward? Detect(string? text, string? outerSubject = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        // Almost every body holds no forward: its lines are examined in place first, and the text is normalised and
        // split into lines only from the first line that starts a forward (a marker or a "From:" line).
        int first = FirstPossibleStart(text, out int firstOffset);
        if (first < 0)
        {
            return null;
        }

        string normalised = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        string[] lines = normalised.Split('\n');
        int offset = firstOffset;
        for (int i = first; i < lines.Length; i++)
        {
            // Most lines can be neither a marker nor a "Label:" line (a colon within the first 17 characters): they
            // are passed over without copying them.
            ReadOnlySpan<char> candidate = StripQuote(lines[i].AsSpan()).Trim();
            if (!MayBeMarker(candidate) && candidate.IndexOf(':') is <= 0 or > 16)
            {
                offset += lines[i].Length + 1;
                continue;
            }

            string line = StripQuote(lines[i]).Trim();
            string? client = MarkerClient(line);
            if (client is not null && ReadBlock(lines, i + 1) is { } block)
            {
                return Build(client, line, block, lines, offset);
            }

            if (client is null && LabelOf(line) == "from" && (i == 0 || IsForwardSubject(outerSubject) || PreviousIsUnderscoreRule(lines, i))
                && ReadBlock(lines, i) is { } bare && bare.Fields.ContainsKey("subject")
                && (bare.Fields.ContainsKey("date") || bare.Fields.ContainsKey("to")))
            {
                return Build("outlook", line, bare, lines, offset);
            }

            offset += lines[i].Length + 1;
        }

        return null;
    }

    /// <summary>
    /// The index of the first line (lines end at CR LF, CR or LF, as after normalising) where <see cref="Detect"/>
    /// could find a forward: a marker line or a "From:" line. <paramref name="offset"/> is where that line starts in
    /// the normalised text. -1 when there is none. The lines before it are those <see cref="Detect"/> passes over.
    /// </summary>
    private static int FirstPossibleStart(string text, out int offset)
    {
        offset = 0;
        int index = 0;
        int position = 0;
        while (true)
        {
            int end = text.AsSpan(position).IndexOfAny('\r', '\n');
            ReadOnlySpan<char> line = end < 0 ? text.AsSpan(position) : text.AsSpan(position, end);
            ReadOnlySpan<char> candidate = StripQuote(line).Trim();
            if ((MayBeMarker(candidate) || candidate.IndexOf(':') is > 0 and <= 16)
                && (MarkerClient(candidate) is not null || LabelOf(candidate) == "from"))
            {
                return index;
            }

            if (end < 0)
            {
                return -1;
            }

            offset += line.Length + 1;
            index++;
            position += end + (text[position + end] == '\r' && position + end + 1 < text.Length && text[position + end + 1] == '\n' ? 2 : 1);
        }
    }

    private static bool PreviousIsUnderscoreRule(string[] lines, int index)
    {
        for (int j = index - 1; j >= 0 && j >= index - 3; j--)
        {
            string previous = lines[j].Trim();
            if (previous.Length == 0)
            {
                continue;
            }

            return previous.Length >= 10 && previous.All(c => c == '_');
        }

        return false;
    }

    private static InlineForward Build(string client, string marker, Block block, string[] lines, int offset)
    {
        string? from = block.Fields.GetValueOrDefault("from");
        (string? name, string? address) = SplitAddress(from);
        string? dateText = block.Fields.GetValueOrDefault("date");
        string body = string.Join('\n', lines.Skip(block.EndLine).Select(StripQuote)).Trim('\n');
        return new InlineForward
        {
            Client = client,
            MarkerLine = marker,
            From = from,
            FromName = name,
            FromAddress = address,
            DateText = dateText,
            Date = ParseQuotedDate(dateText),
            To = block.Fields.GetValueOrDefault("to"),
            Cc = block.Fields.GetValueOrDefault("cc"),
            Subject = block.Fields.GetValueOrDefault("subject"),
            Body = body,
            Offset = offset,
        };
    }

    internal static bool IsForwardSubject(string? subject) =>
        subject is not null && ForwardSubject().IsMatch(subject);

    /// <summary>Whether <see cref="MarkerClient"/> could recognise the (stripped, trimmed) line.</summary>
    private static bool MayBeMarker(ReadOnlySpan<char> line) =>
        line.Length is >= 10 and <= 120 && (line.StartsWith('-') || StartsWithAppleMarker(line));

    // Each marker starts with an ASCII letter, b, d, a or i in either case: a line starting with another ASCII
    // character is none of them without four comparisons ignoring case (a non-ASCII first character may still match
    // ignoring case, so it is compared).
    internal static bool StartsWithAppleMarker(ReadOnlySpan<char> line) =>
        !line.IsEmpty && (line[0] >= 0x80 || (char)(line[0] | 0x20) is 'b' or 'd' or 'a' or 'i') && (
        line.StartsWith("Begin forwarded message", StringComparison.OrdinalIgnoreCase)
        || line.StartsWith("Début du message réexpédié", StringComparison.OrdinalIgnoreCase)
        || line.StartsWith("Anfang der weitergeleiteten", StringComparison.OrdinalIgnoreCase)
        || line.StartsWith("Inizio messaggio inoltrato", StringComparison.OrdinalIgnoreCase));

    private static string? MarkerClient(string line) => MarkerClient(line.AsSpan());

    private static string? MarkerClient(ReadOnlySpan<char> line)
    {
        if (line.Length is < 10 or > 120)
        {
            return null;
        }

        if (StartsWithAppleMarker(line))
        {
            return "apple_mail";
        }

        if (!line.StartsWith('-'))
        {
            return null;
        }

        if (OriginalMessage().IsMatch(line))
        {
            return "outlook";
        }

        if (ForwardedMessage().IsMatch(line))
        {
            // Gmail: "---------- Forwarded message ---------"; Thunderbird: "-------- Forwarded Message --------".
            return line.StartsWith("---------- ", StringComparison.Ordinal) ? "gmail" : line.StartsWith("-------- ", StringComparison.Ordinal) ? "thunderbird" : "generic";
        }

        return null;
    }

    private sealed record Block(Dictionary<string, string> Fields, int EndLine);

    /// <summary>Reads "Label: value" lines (skipping leading blanks), allowing wrapped continuation lines.</summary>
    private static Block? ReadBlock(string[] lines, int start)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        int i = start;
        while (i < lines.Length && StripQuote(lines[i]).Trim().Length == 0 && i - start < 3)
        {
            i++;
        }

        string? lastKey = null;
        int read = 0;
        for (; i < lines.Length && read < MaxHeaderBlockLines; i++, read++)
        {
            string line = StripQuote(lines[i]).Trim();
            if (line.Length == 0)
            {
                // Apple Mail and Gmail put a blank line after the block; Outlook (and HTML rendered to text)
                // sometimes between its lines, so continue only when a field not seen yet follows.
                if (NextNonBlank(lines, i + 1) is { } next && LabelOf(next) is { } nextLabel && !fields.ContainsKey(nextLabel))
                {
                    continue;
                }

                break;
            }

            string? label = LabelOf(line);
            if (label is not null)
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                string value = line[(colon + 1)..].Trim().Trim('*').Trim();
                fields.TryAdd(label, value);
                lastKey = label;
            }
            else if (lastKey is not null && fields.Count < 2)
            {
                fields[lastKey] = $"{fields[lastKey]} {line}";
            }
            else
            {
                break;
            }
        }

        return fields.ContainsKey("from") && fields.Count >= 2 ? new Block(fields, i) : null;
    }

    private static string? NextNonBlank(string[] lines, int start)
    {
        for (int j = start; j < lines.Length && j < start + 3; j++)
        {
            string candidate = StripQuote(lines[j]).Trim();
            if (candidate.Length > 0)
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? LabelOf(string line) => LabelOf(line.AsSpan());

    private static string? LabelOf(ReadOnlySpan<char> line)
    {
        int colon = line.IndexOf(':');
        if (colon is <= 0 or > 16)
        {
            return null;
        }

        ReadOnlySpan<char> label = line[..colon].Trim().Trim('*').Trim();
        return s_labelsBySpan.TryGetValue(label, out string? field) ? field : null;
    }

    private static ReadOnlySpan<char> StripQuote(ReadOnlySpan<char> line)
    {
        ReadOnlySpan<char> trimmed = line.TrimStart();
        while (trimmed.StartsWith('>'))
        {
            trimmed = trimmed[1..].TrimStart();
        }

        return trimmed;
    }

    private static string StripQuote(string line)
    {
        string trimmed = line.TrimStart();
        while (trimmed.StartsWith('>'))
        {
            trimmed = trimmed[1..].TrimStart();
        }

        return trimmed;
    }

    internal static (string? Name, string? Address) SplitAddress(string? from)
    {
        if (string.IsNullOrWhiteSpace(from))
        {
            return (null, null);
        }

        Match angle = AngleAddress().Match(from);
        if (angle.Success)
        {
            string name = from[..angle.Index].Trim().Trim('"', '\'').Trim();
            return (name.Length == 0 ? null : name, angle.Groups["address"].Value);
        }

        // Outlook often prints "Name [mailto:a@b]" or just the display name.
        Match bare = BareAddress().Match(from);
        if (bare.Success)
        {
            string name = from[..bare.Index].Trim().Trim('"', '[', '(').Replace("mailto:", string.Empty, StringComparison.OrdinalIgnoreCase).Trim();
            return (name.Length == 0 ? null : name, bare.Value);
        }

        return (from.Trim(), null);
    }

    private static DateTimeOffset? ParseQuotedDate(string? text)
    {
        if (MailDate.TryParse(text) is { } rfc)
        {
            return rfc;
        }

        if (text is null)
        {
            return null;
        }

        string cleaned = GmailAt().Replace(text, " ").Trim();
        return DateTimeOffset.TryParse(cleaned, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed)
            ? parsed
            : null;
    }

    [GeneratedRegex(@"^-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|messaggio originale|mensaje original|mensagem original|oorspronkelijk bericht|originalmeddelande)\s*-{2,}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex OriginalMessageGenerated();

    private static Regex OriginalMessage() => AnalysisRegex.Apply(OriginalMessageGenerated());

    [GeneratedRegex(@"^-{2,}\s*(forwarded message|weitergeleitete nachricht|message transféré|messaggio inoltrato|mensaje reenviado|mensagem encaminhada|doorgestuurd bericht|vidarebefordrat meddelande)\s*-{2,}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex ForwardedMessageGenerated();

    private static Regex ForwardedMessage() => AnalysisRegex.Apply(ForwardedMessageGenerated());

    [GeneratedRegex(@"^\s*(fwd?|wg|tr|rv|i|doorst|vs|enc)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex ForwardSubjectGenerated();

    private static Regex ForwardSubject() => AnalysisRegex.Apply(ForwardSubjectGenerated());

    [GeneratedRegex(@"<(?:mailto:)?(?<address>[^<>\s@]+@[^<>\s@]+)>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex AngleAddressGenerated();

    private static Regex AngleAddress() => AnalysisRegex.Apply(AngleAddressGenerated());

    [GeneratedRegex(@"[^\s<>\[\]()""':]+@[^\s<>\[\]()""']+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex BareAddressGenerated();

    private static Regex BareAddress() => AnalysisRegex.Apply(BareAddressGenerated());

    [GeneratedRegex(@"\s+at\s+|\s+um\s+|\s+à\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex GmailAtGenerated();

    private static Regex GmailAt() => AnalysisRegex.Apply(GmailAtGenerated());
}
