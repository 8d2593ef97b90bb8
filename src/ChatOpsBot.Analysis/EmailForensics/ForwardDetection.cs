using ChatOpsBot.Mail;

namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>The message a report is about, found inside what the user submitted.</summary>
internal sealed record ForwardedOriginal(MimeMessage Message, int OtherCandidates);

/// <summary>
/// Finds a message forwarded as an attachment: a <c>message/rfc822</c> (or <c>message/global</c>) part, any part named
/// <c>*.eml</c> whose content parses as mail, or an Outlook message (a part named <c>*.msg</c> or typed
/// <c>application/vnd.ms-outlook</c> whose content is a compound file that reads as a message: what Outlook attaches
/// when a user drags the suspicious mail into a new one). The first one in document order is the original, as ThePhish
/// does; how many others there were is reported.
/// </summary>
internal static class ForwardDetection
{
    public static ForwardedOriginal? FindAttachedOriginal(MimeMessage outer, MimeParserOptions parserOptions)
    {
        // Only the first candidate is kept: the others are counted (each is still parsed, so only mail counts).
        MimeMessage? first = null;
        int candidates = 0;
        IReadOnlyList<MimeEntity> entities = EmailAnalyzer.EntityList(outer.BodyParts);
        for (int i = 0; i < entities.Count; i++)
        {
            MimeEntity entity = entities[i];
            MimeMessage? candidate = entity switch
            {
                MessagePart messagePart => messagePart.Message,
                MimePart part and not TextPart when IsEmlFile(part) && ParseEmbedded(part, parserOptions) is { } embedded => embedded,
                MimePart part and not TextPart when IsOutlookFile(part) => ReadOutlook(part, parserOptions),
                _ => null,
            };
            if (candidate is not null)
            {
                first ??= candidate;
                candidates++;
            }
        }

        return first is null ? null : new ForwardedOriginal(first, candidates - 1);
    }

    private static bool IsEmlFile(MimePart part) =>
        part.FileName is { } name && name.EndsWith(".eml", StringComparison.OrdinalIgnoreCase);

    private static bool IsOutlookFile(MimePart part) =>
        (part.FileName is { } name && name.EndsWith(".msg", StringComparison.OrdinalIgnoreCase))
        || part.ContentType.MimeType.Equals("application/vnd.ms-outlook", StringComparison.OrdinalIgnoreCase);

    /// <summary>The message inside an attached .msg; null when the bytes are not one (a damaged file stays an attachment).</summary>
    private static MimeMessage? ReadOutlook(MimePart part, MimeParserOptions parserOptions)
    {
        byte[] content = part.GetContentBytes();
        if (!OutlookMessageReader.IsCompoundFile(content))
        {
            return null;
        }

        OutlookReadResult result = OutlookMessageReader.Read(content, new OutlookReaderOptions { MimeOptions = parserOptions });
        return result.Message is { } message && MailShape.LooksLikeMail(message) ? message : null;
    }

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

    public static bool LooksLikeMail(MimeMessage message)
    {
        // A loop rather than Any(message.Headers.Contains), which makes a delegate for every message.
        if (message.Headers.Count == 0)
        {
            return false;
        }

        foreach (string name in s_mailHeaders)
        {
            if (message.Headers.Contains(name))
            {
                return true;
            }
        }

        return false;
    }
}
