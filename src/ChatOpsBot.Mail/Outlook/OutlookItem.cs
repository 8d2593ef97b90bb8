using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>A recipient row of a .msg (<c>__recip_version1.0_#</c>).</summary>
internal sealed record OutlookRecipient(int Type, string? Name, string? Address);

/// <summary>An attachment of a .msg (<c>__attach_version1.0_#</c>): a file, or an embedded message.</summary>
internal sealed record OutlookAttachment(string? FileName, string? MimeType, string? ContentId, bool Inline, byte[]? Data, OutlookItem? Embedded);

/// <summary>A sender or representing sender: display name and the best address found (SMTP preferred).</summary>
internal sealed record OutlookSender(string? Name, string? Address);

/// <summary>The properties of one message read from a .msg, before they are written as MIME.</summary>
internal sealed class OutlookItem(List<MimeDefect> defects)
{
    public string? MessageClass { get; init; }

    public string? TransportHeaders { get; init; }

    public string? Subject { get; init; }

    public OutlookSender? From { get; init; }

    public OutlookSender? Sender { get; init; }

    public string? DisplayTo { get; init; }

    public string? DisplayCc { get; init; }

    public DateTimeOffset? Date { get; init; }

    public string? MessageId { get; init; }

    public string? InReplyTo { get; init; }

    public string? References { get; init; }

    public string? TextBody { get; set; }

    public byte[]? HtmlBody { get; set; }

    /// <summary>The charset label of <see cref="HtmlBody"/>, or null when unknown.</summary>
    public string? HtmlCharset { get; set; }

    public List<OutlookRecipient> Recipients { get; } = [];

    public List<OutlookAttachment> Attachments { get; } = [];

    /// <summary>Anomalies of this message (not of the messages embedded in it).</summary>
    public List<MimeDefect> Defects { get; } = defects;
}

/// <summary>Windows code pages as .NET encodings (the code pages provider is registered by <see cref="Charsets"/>).</summary>
internal static class CodePages
{
    public static Encoding? Get(int codePage)
    {
        _ = Charsets.Windows1252;
        if (codePage is <= 0 or > 65535)
        {
            return null;
        }

        try
        {
            return Encoding.GetEncoding(codePage);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
