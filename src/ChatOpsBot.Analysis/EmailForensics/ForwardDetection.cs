using ChatOpsBot.Mail;

namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>The message a report is about, found inside what the user submitted.</summary>
internal sealed record ForwardedOriginal(MimeMessage Message, int OtherCandidates);

/// <summary>
/// Finds a message forwarded as an attachment: a <c>message/rfc822</c> (or <c>message/global</c>) part, or an
/// <c>application/octet-stream</c> / any part named <c>*.eml</c> whose content parses as mail. The first one in
/// document order is the original, as ThePhish does; how many others there were is reported.
/// </summary>
internal static class ForwardDetection
{
    public static ForwardedOriginal? FindAttachedOriginal(MimeMessage outer, MimeParserOptions parserOptions)
    {
        var candidates = new List<MimeMessage>();
        foreach (MimeEntity entity in outer.BodyParts)
        {
            if (entity is MessagePart messagePart)
            {
                candidates.Add(messagePart.Message);
            }
            else if (entity is MimePart part and not TextPart && IsEmlFile(part) && ParseEmbedded(part, parserOptions) is { } embedded)
            {
                candidates.Add(embedded);
            }
        }

        return candidates.Count == 0 ? null : new ForwardedOriginal(candidates[0], candidates.Count - 1);
    }

    private static bool IsEmlFile(MimePart part) =>
        part.FileName is { } name && name.EndsWith(".eml", StringComparison.OrdinalIgnoreCase);

    private static MimeMessage? ParseEmbedded(MimePart part, MimeParserOptions parserOptions)
    {
        MimeMessage message = MimeMessage.Load(part.GetContentBytes(), parserOptions);
        return MailShape.LooksLikeMail(message) ? message : null;
    }
}

/// <summary>Whether parsed bytes are an e-mail at all (rather than some other file given by mistake).</summary>
internal static class MailShape
{
    private static readonly string[] s_mailHeaders =
        ["From", "To", "Subject", "Date", "Received", "Message-ID", "MIME-Version", "Return-Path", "Content-Type", "Sender", "Delivered-To"];

    public static bool LooksLikeMail(MimeMessage message) =>
        message.Headers.Count > 0 && s_mailHeaders.Any(message.Headers.Contains);
}
