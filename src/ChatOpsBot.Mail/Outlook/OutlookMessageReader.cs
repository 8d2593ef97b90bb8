using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>
/// The outcome of reading an Outlook <c>.msg</c>: the message in the same model the MIME parser produces, or why
/// there is none (the file is not a compound file, or a compound file that is not an Outlook message).
/// </summary>
/// <param name="Message">The message, with every anomaly recorded as a defect; null when <paramref name="Problem"/> is set.</param>
/// <param name="MessageClass">PR_MESSAGE_CLASS, e.g. <c>IPM.Note</c>, or null.</param>
/// <param name="Problem">One sentence saying why the file could not be read as a message, or null.</param>
public sealed record OutlookReadResult(MimeMessage? Message, string? MessageClass, string? Problem);

/// <summary>
/// Reads Outlook <c>.msg</c> files (MS-CFB compound files holding MS-OXMSG properties) into a <see cref="MimeMessage"/>:
/// the transport headers when present (else headers built from the properties), the bodies as text/plain and
/// text/html parts (HTML de-encapsulated from compressed RTF when it is the only HTML), attachments as parts with their
/// decoded content, embedded messages as message/rfc822 parts. Bounded by <see cref="OutlookReaderOptions"/>;
/// never throws on content.
/// </summary>
/// <remarks>
/// The message is built as MIME and parsed by <see cref="MimeParser"/>, so every analysis of mail applies unchanged;
/// <see cref="MimeMessage.WriteTo(Stream)"/> writes that MIME (an <c>.eml</c> of the item). Offsets of MIME defects
/// refer to that MIME; offsets of .msg defects (<see cref="MimeDefectKind.InvalidCompoundFile"/> and the like) refer
/// to the .msg file where they are known, else 0.
/// </remarks>
public static class OutlookMessageReader
{
    private const int AttachByValue = 1;
    private const int AttachEmbeddedMessage = 5;
    private const int AttachOle = 6;
    private const int AttachMhtmlReference = 4; // PR_ATTACH_FLAGS ATT_MHTML_REF

    /// <summary>Whether <paramref name="head"/> starts with the compound file signature (D0 CF 11 E0 A1 B1 1A E1).</summary>
    /// <param name="head">The first bytes of a file (8 are enough).</param>
    public static bool IsCompoundFile(ReadOnlySpan<byte> head) => CompoundFile.HasSignature(head);

    /// <summary>Reads a .msg from <paramref name="stream"/> (at most <see cref="OutlookReaderOptions.MaxInputBytes"/>).</summary>
    /// <param name="stream">The file's bytes, read from the current position.</param>
    /// <param name="options">Limits; <see cref="OutlookReaderOptions.Default"/> when null.</param>
    /// <returns>The message, or the problem that prevented reading one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="IOException">Reading <paramref name="stream"/> failed.</exception>
    public static OutlookReadResult Read(Stream stream, OutlookReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= OutlookReaderOptions.Default;
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        bool truncated = false;
        while (true)
        {
            int read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, (long)options.MaxInputBytes + 1 - buffer.Length));
            if (read == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, read);
            if (buffer.Length > options.MaxInputBytes)
            {
                truncated = true;
                break;
            }
        }

        ReadOnlyMemory<byte> bytes = buffer.GetBuffer().AsMemory(0, (int)Math.Min(buffer.Length, options.MaxInputBytes));
        return ReadCore(bytes, options, truncated);
    }

    /// <summary>Reads a .msg held in memory (the bytes are not kept by the result).</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="options">Limits; <see cref="OutlookReaderOptions.Default"/> when null.</param>
    /// <returns>The message, or the problem that prevented reading one.</returns>
    public static OutlookReadResult Read(ReadOnlyMemory<byte> bytes, OutlookReaderOptions? options = null)
    {
        options ??= OutlookReaderOptions.Default;
        bool truncated = bytes.Length > options.MaxInputBytes;
        return ReadCore(truncated ? bytes[..Math.Max(0, options.MaxInputBytes)] : bytes, options, truncated);
    }

    private static OutlookReadResult ReadCore(ReadOnlyMemory<byte> bytes, OutlookReaderOptions options, bool truncated)
    {
        var budget = new OutlookBudget(options);
        var fileDefects = new List<MimeDefect>();
        if (truncated)
        {
            OutlookDefects.Add(fileDefects, MimeDefectKind.InputTruncated, $"the file is longer than {options.MaxInputBytes} bytes; the rest was not read", bytes.Length);
        }

        CompoundFile? file = CompoundFile.Open(bytes, options, budget, fileDefects, out string? problem);
        if (file is null)
        {
            return new OutlookReadResult(null, null, truncated ? $"the file is larger than {options.MaxInputBytes} bytes, the most read, and what was read is incomplete: {problem}" : problem);
        }

        MapiStorage root = MapiStorage.Open(file, file.Root, MapiStorageKind.TopLevelMessage, fileDefects);
        if (!root.HasPropertyStream && !root.HasStream(MapiId.Subject, MapiType.Unicode) && !root.HasStream(MapiId.Subject, MapiType.String8)
            && !root.NumberedStorages(MapiStorage.AttachmentPrefix).Any() && !root.NumberedStorages(MapiStorage.RecipientPrefix).Any())
        {
            return new OutlookReadResult(null, null, "a compound file (an Office document?) but not an Outlook message: it has no MAPI property stream");
        }

        var reader = new ItemReader(file, options, budget);
        OutlookItem item = reader.ReadMessage(root, depth: 0, inheritedCodePage: null, fileDefects);
        byte[] mime = OutlookMimeWriter.Write(item, options.MimeOptions, out List<(OutlookItem Item, int Depth)> order);
        MimeMessage message = MimeParser.Parse(mime, options.MimeOptions);
        AttachDefects(message, order);
        return new OutlookReadResult(message, item.MessageClass, null);
    }

    /// <summary>
    /// Puts each item's defects on the message parsed from it: the writer emitted embedded messages in document order,
    /// which is the order the parsed tree yields them.
    /// </summary>
    private static void AttachDefects(MimeMessage message, List<(OutlookItem Item, int Depth)> order)
    {
        var parsed = new List<MimeMessage>();
        Collect(message, parsed);
        if (parsed.Count != order.Count)
        {
            // The MIME parser stopped early (a limit): keep every defect, on the outer message.
            message.AddSourceDefects(order.SelectMany(o => o.Item.Defects));
            return;
        }

        for (int i = 0; i < parsed.Count; i++)
        {
            parsed[i].AddSourceDefects(order[i].Item.Defects);
        }
    }

    private static void Collect(MimeMessage message, List<MimeMessage> into)
    {
        into.Add(message);
        foreach (MimeEntity entity in message.BodyParts)
        {
            if (entity is MessagePart part)
            {
                Collect(part.Message, into);
            }
        }
    }

    /// <summary>Reads MAPI storages into <see cref="OutlookItem"/>s, sharing the budget across embedded messages.</summary>
    private sealed class ItemReader(CompoundFile file, OutlookReaderOptions options, OutlookBudget budget)
    {
        public OutlookItem ReadMessage(MapiStorage storage, int depth, Encoding? inheritedCodePage, List<MimeDefect> defects)
        {
            Encoding eightBit = CodePageOf(storage, MapiId.MessageCodePage, defects) ?? CodePageOf(storage, MapiId.InternetCodePage, defects) ?? inheritedCodePage ?? Charsets.Windows1252;
            storage.EightBit = eightBit;
            var item = new OutlookItem(defects)
            {
                MessageClass = storage.GetString(MapiId.MessageClass),
                TransportHeaders = storage.GetString(MapiId.TransportMessageHeaders),
                Subject = storage.GetString(MapiId.Subject),
                From = SenderOf(storage, MapiId.SentRepresentingName, MapiId.SentRepresentingSmtpAddress, MapiId.SentRepresentingEmailAddress, MapiId.SentRepresentingAddressType),
                Sender = SenderOf(storage, MapiId.SenderName, MapiId.SenderSmtpAddress, MapiId.SenderEmailAddress, MapiId.SenderAddressType),
                DisplayTo = storage.GetString(MapiId.DisplayTo),
                DisplayCc = storage.GetString(MapiId.DisplayCc),
                Date = storage.GetTime(MapiId.ClientSubmitTime) ?? storage.GetTime(MapiId.MessageDeliveryTime),
                MessageId = storage.GetString(MapiId.InternetMessageId),
                InReplyTo = storage.GetString(MapiId.InReplyToId),
                References = storage.GetString(MapiId.InternetReferences),
            };

            ReadBodies(storage, item, eightBit);
            ReadRecipients(storage, item);
            ReadAttachments(storage, item, depth, eightBit);
            return item;
        }

        private void ReadBodies(MapiStorage storage, OutlookItem item, Encoding eightBit)
        {
            item.TextBody = storage.GetString(MapiId.Body);
            if (storage.GetBinary(MapiId.Html) is { } html)
            {
                // PR_HTML is bytes in the Internet code page (the HTML's own charset).
                Encoding? htmlEncoding = CodePageOf(storage, MapiId.InternetCodePage, item.Defects) ?? eightBit;
                item.HtmlBody = html;
                item.HtmlCharset = htmlEncoding.WebName;
            }
            else if (storage.GetString(MapiId.Html) is { } htmlText)
            {
                item.HtmlBody = Encoding.UTF8.GetBytes(htmlText);
                item.HtmlCharset = "utf-8";
            }

            if (item.HtmlBody is not null && item.TextBody is not null)
            {
                return;
            }

            if (storage.GetBinary(MapiId.RtfCompressed) is not { } compressed)
            {
                return;
            }

            int maxRtf = (int)Math.Min(options.MaxStreamBytes, Math.Max(0, options.MaxTotalDecodedBytes - budget.DecodedBytes));
            byte[]? rtf = CompressedRtf.Decompress(compressed, maxRtf, item.Defects);
            if (rtf is null)
            {
                return;
            }

            budget.TryCharge(rtf.Length);
            RtfBodyContent body = RtfBody.Extract(rtf);
            switch (body.Kind)
            {
                case RtfBodyKind.Html when item.HtmlBody is null:
                    item.HtmlBody = Encoding.UTF8.GetBytes(body.Content);
                    item.HtmlCharset = "utf-8";
                    break;
                case RtfBodyKind.Text or RtfBodyKind.NativeRtf when item.TextBody is null:
                    item.TextBody = body.Content;
                    break;
                default:
                    break;
            }
        }

        private void ReadRecipients(MapiStorage storage, OutlookItem item)
        {
            foreach (CompoundEntry entry in storage.NumberedStorages(MapiStorage.RecipientPrefix))
            {
                if (item.Recipients.Count >= options.MaxRecipients)
                {
                    OutlookDefects.Add(item.Defects, MimeDefectKind.TooManyParts, $"more than {options.MaxRecipients} recipients; the rest were not read", 0);
                    return;
                }

                MapiStorage recipient = MapiStorage.Open(file, entry, MapiStorageKind.RecipientOrAttachment, item.Defects);
                recipient.EightBit = storage.EightBit;
                string? name = recipient.GetString(MapiId.DisplayName);
                string? address = BestAddress(recipient.GetString(MapiId.SmtpAddress), recipient.GetString(MapiId.EmailAddress), recipient.GetString(MapiId.AddressType));
                int type = (recipient.GetInt32(MapiId.RecipientType) ?? 1) & 0x0FFFFFFF; // the high bits are flags (MAPI_P1, resend)
                item.Recipients.Add(new OutlookRecipient(type, name, address));
            }
        }

        private void ReadAttachments(MapiStorage storage, OutlookItem item, int depth, Encoding eightBit)
        {
            foreach (CompoundEntry entry in storage.NumberedStorages(MapiStorage.AttachmentPrefix))
            {
                if (budget.Attachments >= options.MaxAttachments)
                {
                    OutlookDefects.Add(item.Defects, MimeDefectKind.TooManyParts, $"more than {options.MaxAttachments} attachments in the file; the rest were not read", 0);
                    return;
                }

                budget.Attachments++;
                MapiStorage attachment = MapiStorage.Open(file, entry, MapiStorageKind.RecipientOrAttachment, item.Defects);
                attachment.EightBit = eightBit;
                string? fileName = NonEmpty(attachment.GetString(MapiId.AttachLongFileName))
                    ?? NonEmpty(attachment.GetString(MapiId.AttachFileName))
                    ?? NonEmpty(attachment.GetString(MapiId.DisplayName));
                string? mimeType = NonEmpty(attachment.GetString(MapiId.AttachMimeTag));
                string? contentId = NonEmpty(attachment.GetString(MapiId.AttachContentId));
                bool inline = attachment.GetBoolean(MapiId.AttachmentHidden) == true
                    || ((attachment.GetInt32(MapiId.AttachFlags) ?? 0) & AttachMhtmlReference) != 0;
                int method = attachment.GetInt32(MapiId.AttachMethod) ?? AttachByValue;
                CompoundEntry? objectStorage = attachment.GetObjectStorage(MapiId.AttachData);
                if (method == AttachEmbeddedMessage || (objectStorage is not null && method != AttachOle))
                {
                    ReadEmbedded(item, objectStorage, fileName, inline, depth, eightBit);
                    continue;
                }

                if (method == AttachOle)
                {
                    OutlookDefects.Add(item.Defects, MimeDefectKind.UnsupportedOutlookAttachment, $"attachment '{Shorten(fileName)}' is an OLE object; its content is not extracted", 0);
                    continue;
                }

                if (method is 2 or 3 or 4)
                {
                    string? path = NonEmpty(attachment.GetString(MapiId.AttachLongPathName)) ?? NonEmpty(attachment.GetString(MapiId.AttachPathName));
                    OutlookDefects.Add(item.Defects, MimeDefectKind.UnsupportedOutlookAttachment, $"attachment '{Shorten(fileName)}' is a reference to '{Shorten(path)}', not content", 0);
                    continue;
                }

                byte[]? data = attachment.GetBinary(MapiId.AttachData);
                if (data is null && !attachment.HasStream(MapiId.AttachData, MapiType.Binary))
                {
                    data = [];
                }

                if (data is null)
                {
                    continue; // over a limit; the defect says so
                }

                item.Attachments.Add(new OutlookAttachment(fileName, mimeType, contentId, inline, data, null));
            }
        }

        private void ReadEmbedded(OutlookItem item, CompoundEntry? objectStorage, string? fileName, bool inline, int depth, Encoding eightBit)
        {
            if (objectStorage is null)
            {
                OutlookDefects.Add(item.Defects, MimeDefectKind.InvalidOutlookProperty, $"embedded message '{Shorten(fileName)}' has no __substg1.0_3701000D storage", 0);
                return;
            }

            if (depth + 1 > options.MaxEmbeddingDepth)
            {
                OutlookDefects.Add(item.Defects, MimeDefectKind.NestingTooDeep, $"embedded message '{Shorten(fileName)}' is nested deeper than {options.MaxEmbeddingDepth}; not read", 0);
                return;
            }

            List<MimeDefect> innerDefects = [];
            MapiStorage embedded = MapiStorage.Open(file, objectStorage, MapiStorageKind.EmbeddedMessage, innerDefects);
            OutlookItem inner = ReadMessage(embedded, depth + 1, eightBit, innerDefects);
            item.Attachments.Add(new OutlookAttachment(fileName, "message/rfc822", null, inline, null, inner));
        }

        private static Encoding? CodePageOf(MapiStorage storage, ushort id, List<MimeDefect> defects)
        {
            if (storage.GetInt32(id) is not int codePage)
            {
                return null;
            }

            Encoding? encoding = CodePages.Get(codePage);
            if (encoding is null)
            {
                OutlookDefects.Add(defects, MimeDefectKind.UnknownCharset, $"code page {codePage} is unknown; windows-1252 assumed", 0);
            }

            return encoding;
        }

        private static OutlookSender? SenderOf(MapiStorage storage, ushort nameId, ushort smtpId, ushort emailId, ushort typeId)
        {
            string? name = NonEmpty(storage.GetString(nameId));
            string? address = BestAddress(storage.GetString(smtpId), storage.GetString(emailId), storage.GetString(typeId));
            return name is null && address is null ? null : new OutlookSender(name, address);
        }

        /// <summary>The SMTP address, else the e-mail address when it is SMTP (an Exchange DN is not an address).</summary>
        private static string? BestAddress(string? smtp, string? email, string? addressType)
        {
            if (NonEmpty(smtp) is { } s)
            {
                return s.Trim();
            }

            if (NonEmpty(email) is { } e && (string.Equals(addressType?.Trim(), "SMTP", StringComparison.OrdinalIgnoreCase) || (addressType is null && e.Contains('@', StringComparison.Ordinal))))
            {
                return e.Trim();
            }

            return null;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string Shorten(string? value) =>
        value is null ? "(no name)" : value.Length <= 100 ? value : string.Concat(value.AsSpan(0, 100), "...");
}
