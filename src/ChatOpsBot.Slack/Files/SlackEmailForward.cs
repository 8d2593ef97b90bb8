using System.Globalization;
using System.Text;
using ChatOpsBot.Slack.Inbound;

namespace ChatOpsBot.Slack.Files;

/// <summary>
/// Mail forwarded into Slack (a channel's or a member's email address) arrives as a file with <c>mode: email</c>. The
/// API keeps no raw message: <c>files.info</c> gives the parsed From/To/Cc, the subject, a few headers (date,
/// message id, reply-to, in-reply-to) and the text, and the file's download is Slack's HTML rendering of the body. This
/// rebuilds an RFC 5322 message from those parts so the same analysis runs on it; the first header says it was rebuilt,
/// because Received, Authentication-Results and DKIM are gone and no verdict can rest on them.
/// </summary>
public static class SlackEmailForward
{
    public const string SourceHeader = "X-ChatOpsBot-Source";

    private const int MaxHeaderValueChars = 998;

    /// <summary>The rebuilt message; <paramref name="htmlBody"/> is the downloaded rendering (null when it was not fetched).</summary>
    public static byte[] ToRfc822(SlackFile file, ReadOnlySpan<byte> htmlBody)
    {
        ArgumentNullException.ThrowIfNull(file);
        SlackEmailDetails email = file.Email ?? new SlackEmailDetails(file.Title, [], [], [], new Dictionary<string, string>(), null, null);
        string boundary = "slack-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(file.Id)))[..24];
        var message = new StringBuilder();
        Header(message, SourceHeader, $"Slack email forward {file.Id}, rebuilt from Slack's copy: the original Received, Authentication-Results and DKIM headers are not available");
        Header(message, "From", Addresses(email.From));
        Header(message, "To", Addresses(email.To));
        Header(message, "Cc", Addresses(email.Cc));
        Header(message, "Subject", Encoded(email.Subject ?? file.Title));
        foreach ((string name, string key) in new[] { ("Date", "date"), ("Message-ID", "message_id"), ("Reply-To", "reply_to"), ("In-Reply-To", "in_reply_to") })
        {
            if (email.Headers.TryGetValue(key, out string? value))
            {
                Header(message, name, Encoded(value));
            }
        }

        Header(message, "MIME-Version", "1.0");
        Header(message, "Content-Type", $"multipart/alternative; boundary=\"{boundary}\"");
        message.Append("\r\n");
        if (!string.IsNullOrEmpty(email.PlainText))
        {
            Part(message, boundary, "text/plain", Encoding.UTF8.GetBytes(email.PlainText));
        }

        if (!htmlBody.IsEmpty)
        {
            Part(message, boundary, "text/html", htmlBody);
        }

        message.Append("--").Append(boundary).Append("--\r\n");
        return Encoding.ASCII.GetBytes(message.ToString());
    }

    private static void Part(StringBuilder message, string boundary, string mediaType, ReadOnlySpan<byte> content)
    {
        message.Append("--").Append(boundary).Append("\r\n");
        message.Append("Content-Type: ").Append(mediaType).Append("; charset=utf-8\r\n");
        message.Append("Content-Transfer-Encoding: base64\r\n\r\n");
        string base64 = Convert.ToBase64String(content);
        for (int i = 0; i < base64.Length; i += 76)
        {
            message.Append(base64.AsSpan(i, Math.Min(76, base64.Length - i))).Append("\r\n");
        }
    }

    private static void Header(StringBuilder message, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        message.Append(name).Append(": ").Append(value).Append("\r\n");
    }

    private static string Addresses(IReadOnlyList<SlackEmailAddress> addresses) =>
        string.Join(", ", addresses.Select(Address).Where(a => a.Length > 0));

    private static string Address(SlackEmailAddress address)
    {
        string? addr = OneLine(address.Address);
        string? name = OneLine(address.Name);
        if (string.IsNullOrEmpty(addr))
        {
            // Slack kept only the original text (or nothing): keep it as an encoded display name, never as syntax.
            return string.IsNullOrEmpty(name ?? OneLine(address.Original)) ? string.Empty : Encoded(name ?? OneLine(address.Original)) + " <>";
        }

        string angle = "<" + new string([.. addr.Where(c => c is not ('<' or '>' or ',' or '"' or ' '))]) + ">";
        return string.IsNullOrEmpty(name) ? angle : $"{Phrase(name)} {angle}";
    }

    /// <summary>A display name: quoted ASCII, or an RFC 2047 encoded word.</summary>
    private static string Phrase(string name) =>
        name.All(c => c is >= ' ' and <= '~')
            ? "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : Encoded(name);

    /// <summary>Printable ASCII as is; anything else as one RFC 2047 B-encoded word per chunk. No CR or LF survives.</summary>
    private static string Encoded(string? value)
    {
        string? line = OneLine(value);
        if (string.IsNullOrEmpty(line))
        {
            return string.Empty;
        }

        if (line.All(c => c is >= ' ' and <= '~'))
        {
            return line;
        }

        var words = new List<string>();
        var chunk = new StringBuilder();
        foreach (Rune rune in line.EnumerateRunes())
        {
            if (Encoding.UTF8.GetByteCount(chunk.ToString()) + rune.Utf8SequenceLength > 45)
            {
                words.Add(Word(chunk.ToString()));
                chunk.Clear();
            }

            chunk.Append(rune.ToString());
        }

        words.Add(Word(chunk.ToString()));
        return string.Join("\r\n ", words);

        static string Word(string text) => string.Create(CultureInfo.InvariantCulture, $"=?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(text))}?=");
    }

    private static string? OneLine(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string flat = new([.. value.Select(c => char.IsControl(c) ? ' ' : c)]);
        flat = flat.Trim();
        return flat.Length > MaxHeaderValueChars ? flat[..MaxHeaderValueChars] : flat;
    }
}
