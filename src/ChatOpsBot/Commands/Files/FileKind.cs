using System.Text;

namespace ChatOpsBot.Commands.Files;

public enum FileKind
{
    Mail,
    OutlookMsg,
    Pdf,
    OfficeDocument,
    Archive,
    Image,
    Executable,
    Json,
    Html,
    Text,
    Empty,
    Unknown,
}

/// <summary>
/// Tells mail from everything else users send by mistake. The bytes decide: a name or declared type only tips the
/// balance for text that could be mail, so <c>invoice.eml</c> that is really a PDF is called a PDF.
/// </summary>
internal static class FileSniffer
{
    /// <summary>Bytes of the head that <see cref="Classify"/> looks at.</summary>
    public const int HeadBytes = 4096;

    // Header fields that mark the start of an RFC 822 message (or a mailbox export of one).
    private static readonly string[] s_mailFields =
    [
        "from", "to", "cc", "subject", "date", "received", "message-id", "mime-version", "return-path", "delivered-to",
        "sender", "reply-to", "dkim-signature", "authentication-results", "arc-seal", "x-mailer", "content-type",
        "x-received", "x-originating-ip", "thread-topic", "x-ms-exchange-organization-authas",
    ];

    public static FileKind Classify(string? name, string? contentType, ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return FileKind.Empty;
        }

        if (head.StartsWith("%PDF-"u8) || head[..Math.Min(head.Length, 1024)].IndexOf("%PDF-"u8) >= 0)
        {
            return FileKind.Pdf;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            // An Outlook item names its streams __substg1.0_XXXXYYYY (UTF-16): seen in the head when the directory is
            // there, so a renamed .msg is still recognised; the analyze command also tries any compound file.
            return HasExtension(name, ".msg") || head.IndexOf("_\0_\0s\0u\0b\0s\0t\0g\0"u8) >= 0 ? FileKind.OutlookMsg : FileKind.OfficeDocument;
        }

        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8))
        {
            return HasExtension(name, ".docx", ".xlsx", ".pptx", ".docm", ".xlsm", ".pptm", ".odt", ".ods", ".odp")
                ? FileKind.OfficeDocument
                : FileKind.Archive;
        }

        if (head.StartsWith("Rar!"u8) || head.StartsWith((ReadOnlySpan<byte>)[(byte)'7', (byte)'z', 0xBC, 0xAF]) || head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            return FileKind.Archive;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']) || head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])
            || head.StartsWith("GIF8"u8) || (head.StartsWith("RIFF"u8) && head.Length >= 12 && head[8..12].SequenceEqual("WEBP"u8)))
        {
            return FileKind.Image;
        }

        if (head.StartsWith("MZ"u8) || head.StartsWith((ReadOnlySpan<byte>)[0x7F, (byte)'E', (byte)'L', (byte)'F']))
        {
            return FileKind.Executable;
        }

        if (head.IndexOf((byte)0) >= 0)
        {
            return FileKind.Unknown;
        }

        string text = Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.StartsWith('{') || text.StartsWith('['))
        {
            return FileKind.Json;
        }

        if (text.StartsWith('<'))
        {
            return FileKind.Html;
        }

        if (LooksLikeMailHeaders(text) || ((HasExtension(name, ".eml") || IsMailType(contentType)) && StartsWithHeaderLine(text)))
        {
            return FileKind.Mail;
        }

        return FileKind.Text;
    }

    /// <summary>How to name the kind to a user: "a PDF document".</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Mail => "an e-mail message",
        FileKind.OutlookMsg => "an Outlook .msg message",
        FileKind.Pdf => "a PDF document",
        FileKind.OfficeDocument => "an Office document",
        FileKind.Archive => "an archive",
        FileKind.Image => "an image",
        FileKind.Executable => "a program",
        FileKind.Json => "a JSON file",
        FileKind.Html => "an HTML or XML file",
        FileKind.Text => "a text file",
        FileKind.Empty => "an empty file",
        _ => "a binary file",
    };

    private static bool IsMailType(string? contentType) =>
        contentType is not null && contentType.Trim().StartsWith("message/rfc822", StringComparison.OrdinalIgnoreCase);

    private static bool HasExtension(string? name, params string[] extensions) =>
        name is not null && extensions.Any(e => name.Trim().EndsWith(e, StringComparison.OrdinalIgnoreCase));

    private static bool StartsWithHeaderLine(string text) => HeaderName(FirstLine(text)) is not null;

    /// <summary>At least two header lines among the first ones, one of them a field every message has.</summary>
    private static bool LooksLikeMailHeaders(string text)
    {
        int headerLines = 0;
        bool knownField = false;
        string[] lines = text.Split('\n', 40);
        int start = lines.Length > 0 && lines[0].StartsWith("From ", StringComparison.Ordinal) ? 1 : 0; // mbox "From " line
        for (int i = start; i < Math.Min(lines.Length, 39); i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                break;
            }

            if (line[0] is ' ' or '\t')
            {
                continue;
            }

            if (HeaderName(line) is not { } field)
            {
                return false;
            }

            headerLines++;
            knownField |= s_mailFields.Contains(field.ToLowerInvariant());
        }

        return headerLines >= 2 && knownField;
    }

    private static string FirstLine(string text)
    {
        int end = text.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? text : text[..end]).TrimEnd('\r');
    }

    // RFC 5322 field name: printable US-ASCII except ':' and space, then a colon.
    private static string? HeaderName(string line)
    {
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon > 76)
        {
            return null;
        }

        string name = line[..colon];
        return name.All(c => c is > ' ' and <= '~' and not ':') ? name : null;
    }
}
