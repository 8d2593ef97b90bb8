using System.Buffers;
using System.Collections.ObjectModel;

namespace ChatOpsBot.Mail;

/// <summary>A parsed message: its headers, its well-known header values, and its MIME tree.</summary>
public sealed class MimeMessage
{
    private ReadOnlyCollection<MimeEntity>? _bodyParts;

    internal MimeMessage(MimeEntity body, ReadOnlyMemory<byte> prologue, List<MimeDefect> defects)
    {
        Body = body;
        RawPrologue = prologue;
        HeaderList headers = body.Headers;

        // Each header is named once; the fields below are then read from that, each in header order, and their
        // defects recorded in the same order as parsing each field over all headers would.
        sbyte[]? rented = null;
        Span<sbyte> kinds = headers.Count <= 256 ? stackalloc sbyte[256] : (rented = ArrayPool<sbyte>.Shared.Rent(headers.Count));
        kinds = kinds[..headers.Count];
        int present = 0;
        for (int i = 0; i < headers.Count; i++)
        {
            int kind = SingleHeaderIndex(headers[i]);
            kinds[i] = (sbyte)kind;
            present |= kind < 0 ? 0 : 1 << kind;
        }

        try
        {
            From = ParseAddresses(headers, kinds, present, FromIndex, defects);
            Sender = FirstMailbox(ParseAddresses(headers, kinds, present, SenderIndex, defects));
            ReplyTo = ParseAddresses(headers, kinds, present, ReplyToIndex, defects);
            To = ParseAddresses(headers, kinds, present, ToIndex, defects);
            Cc = ParseAddresses(headers, kinds, present, CcIndex, defects);
            Bcc = ParseAddresses(headers, kinds, present, BccIndex, defects);
            int dateAt = kinds.IndexOf((sbyte)DateIndex);
            if (dateAt >= 0)
            {
                Header date = headers[dateAt];
                Date = DateParser.Parse(date.Value);
                if (Date is null)
                {
                    defects.Add(new MimeDefect(MimeDefectKind.InvalidDate, $"Date '{ParameterParser.Shorten(date.Value)}' cannot be parsed", date.Offset));
                }
            }

            ReportDuplicates(headers, kinds, defects);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<sbyte>.Shared.Return(rented);
            }
        }

        Defects = defects;
    }

    // Headers RFC 5322 allows once; a second one is a parser-differential hazard (which one wins varies by client).
    // Bcc, last, may repeat; it is named here only so its addresses are found with the others.
    private static readonly string[] s_singleHeaders =
        ["From", "Sender", "Reply-To", "To", "Cc", "Subject", "Date", "Message-ID", "Content-Type", "Content-Transfer-Encoding", "Bcc"];

    private const int FromIndex = 0;
    private const int SenderIndex = 1;
    private const int ReplyToIndex = 2;
    private const int ToIndex = 3;
    private const int CcIndex = 4;
    private const int DateIndex = 6;
    private const int BccIndex = 10;
    private const int SingleHeaderCount = 10;

    /// <summary>The top-level headers (the same list as <see cref="MimeEntity.Headers"/> of <see cref="Body"/>).</summary>
    public HeaderList Headers => Body.Headers;

    /// <summary>The top-level entity.</summary>
    public MimeEntity Body { get; }

    /// <summary>Bytes before the first header (an mbox <c>From </c> line, a BOM), normally empty.</summary>
    public ReadOnlyMemory<byte> RawPrologue { get; }

    /// <summary>Message-level anomalies: input truncation, garbage before headers, duplicate headers, bad addresses and dates.</summary>
    public IReadOnlyList<MimeDefect> Defects { get; }

    /// <summary>Addresses of every From header (first occurrence first).</summary>
    public InternetAddressList From { get; }

    /// <summary>The first mailbox of the Sender header, or null.</summary>
    public MailboxAddress? Sender { get; }

    /// <summary>Addresses of every Reply-To header.</summary>
    public InternetAddressList ReplyTo { get; }

    /// <summary>Addresses of every To header.</summary>
    public InternetAddressList To { get; }

    /// <summary>Addresses of every Cc header.</summary>
    public InternetAddressList Cc { get; }

    /// <summary>Addresses of every Bcc header.</summary>
    public InternetAddressList Bcc { get; }

    /// <summary>The first Subject, decoded, or null.</summary>
    public string? Subject => Headers["Subject"];

    /// <summary>The first Date, or null when absent or unparseable (then <see cref="Defects"/> says why).</summary>
    public DateTimeOffset? Date { get; }

    /// <summary>The first Message-ID without angle brackets, or null.</summary>
    public string? MessageId => Header.Unbracketed(Headers["Message-ID"]);

    /// <summary>
    /// The leaves of the body: <see cref="MimePart"/>s and <see cref="MessagePart"/>s (not descending into embedded
    /// messages), in document order.
    /// </summary>
    public IEnumerable<MimeEntity> BodyParts => _bodyParts ??= Array.AsReadOnly(Leaves(Body.Flattened));

    /// <summary>The <see cref="BodyParts"/> that are attachments (see <see cref="MimeEntity.IsAttachment"/>).</summary>
    public IEnumerable<MimeEntity> Attachments => BodyParts.Where(e => e.IsAttachment);

    /// <summary>The text of the main <c>text/plain</c> body, or null.</summary>
    public string? TextBody => FindBody(html: false)?.Text;

    /// <summary>The text of the main <c>text/html</c> body, or null.</summary>
    public string? HtmlBody => FindBody(html: true)?.Text;

    /// <summary>Every defect in this message and its tree, including embedded messages, in document order.</summary>
    public IEnumerable<MimeDefect> EnumerateAllDefects()
    {
        foreach (MimeDefect defect in Defects)
        {
            yield return defect;
        }

        foreach (MimeEntity entity in Body.Flattened)
        {
            foreach (MimeDefect defect in entity.Defects)
            {
                yield return defect;
            }

            if (entity is MessagePart messagePart)
            {
                foreach (MimeDefect defect in messagePart.Message.EnumerateAllDefects())
                {
                    yield return defect;
                }
            }
        }
    }

    /// <summary>Parses a message; see <see cref="MimeParser.Parse(Stream, MimeParserOptions?)"/>.</summary>
    /// <param name="stream">The message bytes.</param>
    /// <param name="options">Limits; <see cref="MimeParserOptions.Default"/> when null.</param>
    /// <returns>The message, possibly partial, with defects recorded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="IOException">Reading <paramref name="stream"/> failed.</exception>
    public static MimeMessage Load(Stream stream, MimeParserOptions? options = null) => MimeParser.Parse(stream, options);

    /// <summary>Parses a message held in memory without copying it; see <see cref="MimeParser.Parse(ReadOnlyMemory{byte}, MimeParserOptions?)"/>.</summary>
    /// <param name="message">The message bytes; they must not change while the message is in use.</param>
    /// <param name="options">Limits; <see cref="MimeParserOptions.Default"/> when null.</param>
    /// <returns>The message, possibly partial, with defects recorded.</returns>
    public static MimeMessage Load(ReadOnlyMemory<byte> message, MimeParserOptions? options = null) => MimeParser.Parse(message, options);

    /// <summary>
    /// Adds anomalies found before MIME parsing by a reader that produced this message from another format (an
    /// Outlook .msg, see <see cref="OutlookMessageReader"/>).
    /// </summary>
    internal void AddSourceDefects(IEnumerable<MimeDefect> defects) => ((List<MimeDefect>)Defects).AddRange(defects);

    /// <summary>Writes the message exactly as it was read.</summary>
    /// <param name="destination">The stream to write to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="IOException">Writing to <paramref name="destination"/> failed.</exception>
    public void WriteTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(RawPrologue.Span);
        Body.WriteTo(destination);
    }

    private TextPart? FindBody(bool html)
    {
        // Like a mail client: the first matching text part that is not an attachment, in document order; a multipart
        // read as text (boundary missing) counts as plain text.
        foreach (MimeEntity entity in Body.Flattened)
        {
            if (entity is TextPart text && !text.IsAttachment && text.IsHtml == html
                && (html || text.ContentType.MimeType == "text/plain" || text.ContentType.MediaType == "multipart"))
            {
                return text;
            }
        }

        return null;
    }

    /// <summary>The index of the header's name in <see cref="s_singleHeaders"/>, or -1; one comparison for most names.</summary>
    private static int SingleHeaderIndex(Header header)
    {
        if (header.IsInvalid)
        {
            return -1;
        }

        string field = header.Field;
        int candidate = field.Length switch
        {
            2 => field[0] is 'T' or 't' ? ToIndex : CcIndex,
            3 => BccIndex,
            4 => field[0] is 'F' or 'f' ? FromIndex : DateIndex,
            6 => SenderIndex,
            7 => 5,
            8 => ReplyToIndex,
            10 => 7,
            12 => 8,
            25 => 9,
            _ => -1,
        };
        return candidate >= 0 && string.Equals(field, s_singleHeaders[candidate], StringComparison.OrdinalIgnoreCase) ? candidate : -1;
    }

    private static InternetAddressList ParseAddresses(HeaderList headers, ReadOnlySpan<sbyte> kinds, int present, int kind, List<MimeDefect> defects)
    {
        if ((present & (1 << kind)) == 0)
        {
            return InternetAddressList.Empty;
        }

        List<InternetAddress> addresses = [];
        for (int i = 0; i < kinds.Length; i++)
        {
            if (kinds[i] == kind)
            {
                ParseAddresses(headers[i], addresses, defects);
            }
        }

        return new InternetAddressList(addresses);
    }

    // Addresses are read from the raw value with CR and LF removed (AddressParser.Unfold(RawValue)); an ASCII value is
    // widened straight into a buffer rather than becoming a string that only the parser reads.
    private const int StackUnfoldChars = 256;

    private static void ParseAddresses(Header header, List<InternetAddress> addresses, List<MimeDefect> defects)
    {
        if (!header.HasAsciiRawValue)
        {
            AddressParser.Parse(AddressParser.Unfold(header.RawValue), addresses, defects, header.Offset);
            return;
        }

        ReadOnlySpan<byte> raw = header.RawValueBytes;
        char[]? rented = null;
        Span<char> buffer = raw.Length <= StackUnfoldChars ? stackalloc char[StackUnfoldChars] : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
        try
        {
            AddressParser.Parse(buffer[..Header.WidenWithoutLineBreaks(raw, buffer)], addresses, defects, header.Offset);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    private static MimeEntity[] Leaves(MimeEntity[] entities)
    {
        int count = 0;
        foreach (MimeEntity entity in entities)
        {
            count += entity is Multipart ? 0 : 1;
        }

        if (count == entities.Length)
        {
            return entities;
        }

        MimeEntity[] leaves = new MimeEntity[count];
        int written = 0;
        foreach (MimeEntity entity in entities)
        {
            if (entity is not Multipart)
            {
                leaves[written++] = entity;
            }
        }

        return leaves;
    }

    private static MailboxAddress? FirstMailbox(InternetAddressList list) => list.MailboxList.Count > 0 ? list.MailboxList[0] : null;

    private static void ReportDuplicates(HeaderList headers, ReadOnlySpan<sbyte> kinds, List<MimeDefect> defects)
    {
        int seen = 0;
        int reported = 0;
        for (int i = 0; i < kinds.Length; i++)
        {
            int index = kinds[i];
            if (index is < 0 or >= SingleHeaderCount)
            {
                continue;
            }

            int bit = 1 << index;
            if ((seen & bit) != 0 && (reported & bit) == 0)
            {
                reported |= bit;
                defects.Add(new MimeDefect(MimeDefectKind.DuplicateHeader, $"{s_singleHeaders[index]} appears more than once", headers[i].Offset));
            }

            seen |= bit;
        }
    }
}
