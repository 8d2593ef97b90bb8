using System.Text;
using ChatOpsBot.Mail;

namespace ChatOpsBot.Mail.Tests.Outlook;

/// <summary>
/// Test-only: stores an .eml as Outlook stores a received message: the header block as PR_TRANSPORT_MESSAGE_HEADERS,
/// the bodies as PR_BODY and PR_HTML (UTF-8, PR_INTERNET_CPID 65001), every file part as an attachment by value
/// (long name, MIME tag, content id, hidden when inline without a name), every message/rfc822 part as an embedded message.
/// </summary>
internal static class EmlToMsg
{
    public static byte[] Convert(byte[] eml, int sectorSize = 512) => Builder(MimeMessage.Load(eml)).Build(sectorSize);

    public static MsgBuilder Builder(MimeMessage message)
    {
        using var headerBytes = new MemoryStream();
        foreach (Header header in message.Headers)
        {
            headerBytes.Write(header.RawBytes.Span);
        }

        var builder = new MsgBuilder()
            .Text(0x001A, "IPM.Note")
            .Text(0x007D, DecodeHeaderBytes(headerBytes.ToArray()));
        if (message.Subject is { } subject)
        {
            builder.Text(0x0037, subject);
        }

        TextPart? text = FirstBody(message, html: false);
        TextPart? html = FirstBody(message, html: true);
        if (text is not null)
        {
            builder.Text(0x1000, text.Text);
        }

        if (html is not null)
        {
            builder.Int(0x3FDE, 65001).Bytes(0x1013, Encoding.UTF8.GetBytes(html.Text));
        }

        foreach (MimeEntity entity in message.BodyParts)
        {
            if (ReferenceEquals(entity, text) || ReferenceEquals(entity, html))
            {
                continue;
            }

            if (entity is MessagePart part)
            {
                builder.Embed(Builder(part.Message), part.FileName);
                continue;
            }

            if (entity is not MimePart file || (file is TextPart && !file.IsAttachment && file.FileName is null))
            {
                continue;
            }

            bool hidden = !file.IsAttachment && file.FileName is null;
            builder.Attach(file.FileName, file.ContentType.MimeType, file.GetContentBytes(), more: a =>
            {
                if (file.ContentId is { } id)
                {
                    a.Text(0x3712, id);
                }

                if (hidden)
                {
                    a.Bool(0x7FFE, true);
                }
            });
        }

        return builder;
    }

    // As the MIME parser reads header bytes: UTF-8, or windows-1252 when they are not valid UTF-8. (This file is
    // linked into the CLI and host tests, so it uses public APIs only.)
    private static string DecodeHeaderBytes(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(1252).GetString(bytes);
        }
    }

    // The parts MimeMessage.TextBody and HtmlBody read.
    private static TextPart? FirstBody(MimeMessage message, bool html) =>
        message.Body.DescendantsAndSelf().OfType<TextPart>().FirstOrDefault(t => !t.IsAttachment && t.IsHtml == html
            && (html || t.ContentType.MimeType == "text/plain" || t.ContentType.MediaType == "multipart"));
}
