using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ChatOpsBot.Mail;

/// <summary>
/// Writes an <see cref="OutlookItem"/> as an RFC 5322 / MIME message: the transport headers with our multipart/mixed
/// Content-Type in place of theirs (or headers built from the properties), bodies and attachments base64-encoded,
/// embedded messages as message/rfc822. Every property value is hostile: header values are folded to one line and
/// encoded, the transport headers are cut where a parser would end them, and boundaries are chosen so that no raw
/// segment contains them.
/// </summary>
internal static partial class OutlookMimeWriter
{
    private const int Base64LineBytes = 57; // 76 characters per line
    private const int EncodedWordBytes = 45;

    /// <summary>The MIME of <paramref name="item"/>; <paramref name="order"/> lists it and its embedded messages in document order.</summary>
    public static byte[] Write(OutlookItem item, MimeParserOptions limits, out List<(OutlookItem Item, int Depth)> order)
    {
        order = [];
        return WriteMessage(item, 0, limits, order);
    }

    private static byte[] WriteMessage(OutlookItem item, int depth, MimeParserOptions limits, List<(OutlookItem Item, int Depth)> order)
    {
        order.Add((item, depth));
        var embedded = new byte[]?[item.Attachments.Count];
        for (int i = 0; i < item.Attachments.Count; i++)
        {
            if (item.Attachments[i].Embedded is { } inner)
            {
                embedded[i] = WriteMessage(inner, depth + 1, limits, order);
            }
        }

        List<string>? transport = item.TransportHeaders is { } raw ? TransportFields(raw, limits, item.Defects) : null;
        string original = transport is not null ? string.Concat(transport) : SynthesizedHeaders(item);
        (string mixed, string alternative) = ChooseBoundaries(depth, [Encoding.UTF8.GetBytes(original), .. embedded.Where(e => e is not null).Cast<byte[]>()]);
        string contentType = $"Content-Type: multipart/mixed; boundary=\"{mixed}\"\r\n";

        using var output = new MemoryStream();
        output.Write(Encoding.UTF8.GetBytes(transport is not null ? WithOurStructure(transport, contentType) : original + "MIME-Version: 1.0\r\n" + contentType));
        Ascii(output, "\r\n");

        byte[]? text = item.TextBody is null ? null : Encoding.UTF8.GetBytes(item.TextBody);
        string htmlType = item.HtmlCharset is { } charset ? $"text/html; charset=\"{charset}\"" : "text/html";
        if (text is not null && item.HtmlBody is not null)
        {
            Ascii(output, $"--{mixed}\r\nContent-Type: multipart/alternative; boundary=\"{alternative}\"\r\n\r\n");
            Ascii(output, $"--{alternative}\r\n");
            Base64Part(output, "text/plain; charset=\"utf-8\"", null, text);
            Ascii(output, $"--{alternative}\r\n");
            Base64Part(output, htmlType, null, item.HtmlBody);
            Ascii(output, $"--{alternative}--\r\n");
        }
        else if (text is not null)
        {
            Ascii(output, $"--{mixed}\r\n");
            Base64Part(output, "text/plain; charset=\"utf-8\"", null, text);
        }
        else if (item.HtmlBody is not null)
        {
            Ascii(output, $"--{mixed}\r\n");
            Base64Part(output, htmlType, null, item.HtmlBody);
        }

        for (int i = 0; i < item.Attachments.Count; i++)
        {
            OutlookAttachment attachment = item.Attachments[i];
            Ascii(output, $"--{mixed}\r\n");
            string disposition = (attachment.Inline ? "inline" : "attachment") + FileNameParameter("filename", attachment.FileName);
            if (embedded[i] is { } message)
            {
                Ascii(output, $"Content-Type: message/rfc822\r\nContent-Disposition: {disposition}\r\n\r\n");
                output.Write(message);
                Ascii(output, "\r\n");
                continue;
            }

            string type = attachment.MimeType is { } declared && MimeTypePattern().IsMatch(declared.Trim()) ? declared.Trim().ToLowerInvariant() : "application/octet-stream";
            var extra = new StringBuilder($"Content-Disposition: {disposition}\r\n");
            if (attachment.ContentId is { } id && ContentIdPattern().IsMatch(id.Trim().Trim('<', '>')))
            {
                extra.Append("Content-ID: <").Append(id.Trim().Trim('<', '>')).Append(">\r\n");
            }

            Base64Part(output, type + FileNameParameter("name", attachment.FileName), extra.ToString(), attachment.Data ?? []);
        }

        Ascii(output, $"--{mixed}--\r\n");
        return output.ToArray();
    }

    /// <summary>
    /// The transport headers as header fields (each with its continuation lines): line ends normalised, cut where the
    /// MIME parser would end the header block (a blank line, or a line that is no header and not followed by one),
    /// and bounded so that the structure headers after them stay within the parser's header limits.
    /// </summary>
    private static List<string> TransportFields(string transport, MimeParserOptions limits, List<MimeDefect> defects)
    {
        var fields = new List<string>();
        string[] lines = transport.Split('\n');
        int maxFields = Math.Max(0, limits.MaxHeaders - 4);
        long maxBytes = Math.Max(0, limits.MaxHeaderBlockBytes - 4096);
        long bytes = 0;
        int start = 0;
        while (start < lines.Length && lines[start].TrimEnd('\r').Length == 0)
        {
            start++;
        }

        for (int i = start; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                if (lines.Skip(i + 1).Any(l => l.Trim().Length > 0))
                {
                    OutlookDefects.Add(defects, MimeDefectKind.InvalidOutlookProperty, "the transport headers contain a blank line; the lines after it were left out", 0);
                }

                break;
            }

            bool continuation = line[0] is ' ' or '\t' && fields.Count > 0;
            if (!continuation && !IsHeaderLine(line))
            {
                // The parser skips one stray line before a header; otherwise the header block would end here.
                string next = i + 1 < lines.Length ? lines[i + 1].TrimEnd('\r') : string.Empty;
                if (i + 1 < lines.Length && next.Length > 0 && !IsHeaderLine(next))
                {
                    OutlookDefects.Add(defects, MimeDefectKind.InvalidOutlookProperty, "the transport headers contain lines that are not headers; the lines from there on were left out", 0);
                    break;
                }
            }

            int size = Encoding.UTF8.GetByteCount(line) + 2;
            if (continuation)
            {
                fields[^1] += line + "\r\n";
                bytes += size;
            }
            else if (fields.Count >= maxFields || bytes + Math.Min(size, limits.MaxHeaderBytes) > maxBytes)
            {
                OutlookDefects.Add(defects, MimeDefectKind.HeaderBlockTooLarge, $"the transport headers exceed the header limits ({maxFields} headers, {maxBytes} bytes); the rest were left out", 0);
                break;
            }
            else
            {
                fields.Add(line + "\r\n");
                bytes += Math.Min(size, limits.MaxHeaderBytes);
            }
        }

        return fields;
    }

    /// <summary>
    /// The transport headers with our structure in place of theirs, without moving any other header (positions matter
    /// to Authentication-Results): the first Content-Type becomes ours, Content-Transfer-Encoding becomes 7bit (ours is
    /// a multipart), further copies are dropped; MIME-Version and Content-Type are added at the end when missing.
    /// </summary>
    private static string WithOurStructure(List<string> fields, string contentType)
    {
        var block = new StringBuilder();
        bool typed = false;
        bool encoded = false;
        bool versioned = false;
        foreach (string field in fields)
        {
            string name = FieldName(field);
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                if (!typed)
                {
                    block.Append(contentType);
                    typed = true;
                }

                continue;
            }

            if (name.Equals("Content-Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                if (!encoded)
                {
                    block.Append("Content-Transfer-Encoding: 7bit\r\n");
                    encoded = true;
                }

                continue;
            }

            versioned |= name.Equals("MIME-Version", StringComparison.OrdinalIgnoreCase);
            block.Append(field);
        }

        if (!versioned)
        {
            block.Append("MIME-Version: 1.0\r\n");
        }

        if (!typed)
        {
            block.Append(contentType);
        }

        return block.ToString();
    }

    private static string FieldName(string field)
    {
        int colon = field.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? field[..colon].TrimEnd(' ', '\t') : string.Empty;
    }

    // As the MIME parser tells a header line: a non-empty name of printable ASCII (no space) before a colon.
    private static bool IsHeaderLine(string line)
    {
        string name = FieldName(line);
        return name.Length > 0 && name.All(c => c is > ' ' and < (char)127);
    }

    private static string SynthesizedHeaders(OutlookItem item)
    {
        var block = new StringBuilder();
        OutlookSender? from = item.From ?? item.Sender;
        if (from is not null)
        {
            block.Append("From: ").Append(Mailbox(from.Name, from.Address, item.Defects)).Append("\r\n");
        }

        if (item.Sender is { } sender && from is not null && !string.Equals(sender.Address, from.Address, StringComparison.OrdinalIgnoreCase))
        {
            block.Append("Sender: ").Append(Mailbox(sender.Name, sender.Address, item.Defects)).Append("\r\n");
        }

        AddressHeader(block, "To", item.Recipients.Where(r => r.Type == 1), item.Defects);
        AddressHeader(block, "Cc", item.Recipients.Where(r => r.Type == 2), item.Defects);
        AddressHeader(block, "Bcc", item.Recipients.Where(r => r.Type == 3), item.Defects);
        if (!item.Recipients.Any(r => r.Type == 1) && NonBlank(item.DisplayTo) is { } displayTo)
        {
            block.Append("X-Outlook-Display-To: ").Append(Unstructured(displayTo)).Append("\r\n");
        }

        if (!item.Recipients.Any(r => r.Type == 2) && NonBlank(item.DisplayCc) is { } displayCc)
        {
            block.Append("X-Outlook-Display-Cc: ").Append(Unstructured(displayCc)).Append("\r\n");
        }

        if (item.Subject is not null)
        {
            block.Append("Subject: ").Append(Unstructured(item.Subject)).Append("\r\n");
        }

        if (item.Date is { } date)
        {
            block.Append("Date: ").Append(date.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture)).Append("\r\n");
        }

        AppendRaw(block, "Message-ID", item.MessageId);
        AppendRaw(block, "In-Reply-To", item.InReplyTo);
        AppendRaw(block, "References", item.References);
        return block.ToString();
    }

    private static void AddressHeader(StringBuilder block, string name, IEnumerable<OutlookRecipient> recipients, List<MimeDefect> defects)
    {
        List<string> mailboxes = recipients.Select(r => Mailbox(r.Name, r.Address, defects)).ToList();
        if (mailboxes.Count > 0)
        {
            block.Append(name).Append(": ").AppendJoin(",\r\n ", mailboxes).Append("\r\n");
        }
    }

    /// <summary>A mailbox; without a usable address, an empty group named after the person (no address is invented).</summary>
    private static string Mailbox(string? name, string? address, List<MimeDefect> defects)
    {
        string? phrase = NonBlank(name) is { } n ? Phrase(OneLine(n)) : null;
        string? addr = NonBlank(address) is { } a ? OneLine(a).Trim() : null;
        if (addr is not null && !AddressPattern().IsMatch(addr))
        {
            OutlookDefects.Add(defects, MimeDefectKind.InvalidAddress, $"the address '{Shorten(addr)}' of '{Shorten(name)}' is not an e-mail address; left out", 0);
            addr = null;
        }

        return (phrase, addr) switch
        {
            (null, null) => "undisclosed-recipients:;",
            (null, { } only) => $"<{only}>",
            ({ } p, null) => $"{p}:;",
            ({ } p, { } both) => $"{p} <{both}>",
        };
    }

    private static void AppendRaw(StringBuilder block, string name, string? value)
    {
        if (NonBlank(value) is { } v)
        {
            block.Append(name).Append(": ").Append(OneLine(v).Trim()).Append("\r\n");
        }
    }

    /// <summary>A display name: a quoted string when it is printable ASCII, else RFC 2047 encoded words.</summary>
    private static string Phrase(string name) =>
        IsPlainAscii(name) && !name.Contains("=?", StringComparison.Ordinal)
            ? "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : EncodedWords(name);

    /// <summary>Unstructured text (Subject): as is when printable ASCII, else RFC 2047 encoded words.</summary>
    private static string Unstructured(string value)
    {
        string line = OneLine(value);
        return IsPlainAscii(line) && !line.Contains("=?", StringComparison.Ordinal) ? line : EncodedWords(line);
    }

    private static string EncodedWords(string value)
    {
        var words = new List<string>();
        int start = 0;
        while (start < value.Length)
        {
            int end = start;
            int bytes = 0;
            while (end < value.Length)
            {
                int length = char.IsHighSurrogate(value[end]) && end + 1 < value.Length && char.IsLowSurrogate(value[end + 1]) ? 2 : 1;
                int size = Encoding.UTF8.GetByteCount(value.AsSpan(end, length));
                if (bytes + size > EncodedWordBytes && end > start)
                {
                    break;
                }

                bytes += size;
                end += length;
            }

            words.Add("=?utf-8?b?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(value[start..end])) + "?=");
            start = end;
        }

        return string.Join("\r\n ", words);
    }

    private static string FileNameParameter(string parameter, string? fileName)
    {
        if (NonBlank(fileName) is not { } name)
        {
            return string.Empty;
        }

        if (IsPlainAscii(name) && !name.Contains('"', StringComparison.Ordinal) && !name.Contains('\\', StringComparison.Ordinal))
        {
            return $";\r\n {parameter}=\"{name}\"";
        }

        // RFC 2231: the exact name in UTF-8, whatever characters it holds (control characters included, for evidence).
        var encoded = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(name))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                || b is (byte)'!' or (byte)'#' or (byte)'$' or (byte)'&' or (byte)'+' or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return $";\r\n {parameter}*=utf-8''{encoded}";
    }

    private static void Base64Part(MemoryStream output, string contentType, string? extraHeaders, ReadOnlySpan<byte> content)
    {
        Ascii(output, $"Content-Type: {contentType}\r\n{extraHeaders}Content-Transfer-Encoding: base64\r\n\r\n");
        Span<byte> line = stackalloc byte[80];
        for (int at = 0; at < content.Length; at += Base64LineBytes)
        {
            ReadOnlySpan<byte> chunk = content.Slice(at, Math.Min(Base64LineBytes, content.Length - at));
            Base64.EncodeToUtf8(chunk, line, out _, out int written);
            line[written++] = (byte)'\r';
            line[written++] = (byte)'\n';
            output.Write(line[..written]);
        }
    }

    /// <summary>
    /// Boundaries that occur in none of the raw (not base64) segments written inside the multipart. They carry a hash
    /// of those segments, so a hostile message cannot hold the boundary in advance (nor make the search retry many
    /// times): deterministic output, one linear scan.
    /// </summary>
    private static (string Mixed, string Alternative) ChooseBoundaries(int depth, List<byte[]> rawSegments)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (byte[] segment in rawSegments)
        {
            hash.AppendData(segment);
        }

        string tag = Convert.ToHexStringLower(hash.GetHashAndReset())[..24];
        for (int attempt = 0; ; attempt++)
        {
            string mixed = $"=_msg_mixed_{depth}_{tag}_{attempt}";
            string alternative = $"=_msg_alt_{depth}_{tag}_{attempt}";
            byte[] m = Encoding.ASCII.GetBytes(mixed);
            byte[] a = Encoding.ASCII.GetBytes(alternative);
            if (!rawSegments.Any(s => s.AsSpan().IndexOf(m) >= 0 || s.AsSpan().IndexOf(a) >= 0))
            {
                return (mixed, alternative);
            }
        }
    }

    private static void Ascii(MemoryStream output, string text) => output.Write(Encoding.ASCII.GetBytes(text));

    /// <summary>One line: line breaks, tabs and other control characters become spaces (no header injection).</summary>
    private static string OneLine(string value)
    {
        var line = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            line.Append(char.IsControl(c) ? ' ' : c);
        }

        return line.ToString();
    }

    private static bool IsPlainAscii(string value)
    {
        foreach (char c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string Shorten(string? value) =>
        value is null ? "(none)" : value.Length <= 100 ? value : string.Concat(value.AsSpan(0, 100), "...");

    [GeneratedRegex(@"^[A-Za-z0-9!#$&^_.+-]{1,64}/[A-Za-z0-9!#$&^_.+-]{1,64}$")]
    private static partial Regex MimeTypePattern();

    [GeneratedRegex(@"^[!-;=?-~]{1,250}$")]
    private static partial Regex ContentIdPattern();

    // Anything without whitespace, brackets, quotes or separators around exactly one @ (UTF-8 local parts allowed).
    [GeneratedRegex(@"^[^\s<>(),;:""\\\[\]@]{1,256}@[^\s<>(),;:""\\\[\]@]{1,255}$")]
    private static partial Regex AddressPattern();
}
