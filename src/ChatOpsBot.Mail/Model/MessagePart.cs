namespace ChatOpsBot.Mail;

/// <summary>A <c>message/rfc822</c> (or <c>message/global</c>) entity: an embedded message, e.g. a forwarded mail.</summary>
public sealed class MessagePart : MimeEntity
{
    internal MessagePart(EntityHead head, MimeMessage message, ReadOnlyMemory<byte> rawContent, bool isDecoded)
        : base(head)
    {
        Message = message;
        RawContent = rawContent;
        IsDecoded = isDecoded;
    }

    /// <summary>The embedded message.</summary>
    public MimeMessage Message { get; }

    /// <summary>
    /// Whether the part was base64 or quoted-printable encoded (forbidden by RFC 2046 but common) and
    /// <see cref="Message"/> was parsed from the decoded bytes; its offsets then refer to those bytes.
    /// </summary>
    public bool IsDecoded { get; }

    /// <summary>The part's body bytes as read (the encoded form when <see cref="IsDecoded"/>).</summary>
    public ReadOnlyMemory<byte> RawContent { get; }

    /// <summary>The file name from Content-Disposition or Content-Type <c>name</c>, or null.</summary>
    public string? FileName => ContentDisposition?.FileName ?? ContentType.Name;

    /// <inheritdoc/>
    public override bool IsAttachment => ContentDisposition?.Disposition != "inline";

    private protected override void WriteBodyTo(Stream destination)
    {
        if (IsDecoded)
        {
            destination.Write(RawContent.Span);
        }
        else
        {
            Message.WriteTo(destination);
        }
    }
}
