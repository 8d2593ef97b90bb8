using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics.Attachments;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Analysis.EmailForensics.Links;
using ChatOpsBot.Mail;

namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>
/// Builds an <see cref="EmailReport"/> from a submitted message using only what the message itself shows.
/// A forward (attached <c>message/rfc822</c> / <c>.eml</c>, or an inline quoted block) is unwrapped one level:
/// the report describes the original and records the forwarder as <see cref="EmailReport.Reporter"/>.
/// Never throws on message content; input that is not mail at all raises <see cref="InvalidInputException"/>.
/// </summary>
public static class EmailAnalyzer
{
    // Character sets as static arrays: an array literal argument (params char[] or a collection expression) allocates a
    // new array, filled from its metadata, at every call.
    private static readonly char[] s_brackets = ['[', ']'];

    private static readonly string[] s_inlineUnrecoverable =
        ["received_hops", "authentication_results", "header_ips", "reply_to", "return_path", "message_id", "raw_headers"];

    /// <summary>Reads and analyses one message.</summary>
    /// <exception cref="InvalidInputException">The input is empty, too large, or not an e-mail message.</exception>
    public static EmailReport Analyze(Stream stream, EmailAnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= EmailAnalysisOptions.Default;
        byte[] bytes = ReadLimited(stream, options.MaxMessageBytes);
        return Analyze(bytes, options);
    }

    /// <summary>Analyses one message held in memory.</summary>
    /// <exception cref="InvalidInputException">The input is empty or not an e-mail message.</exception>
    public static EmailReport Analyze(ReadOnlyMemory<byte> bytes, EmailAnalysisOptions? options = null)
    {
        options ??= EmailAnalysisOptions.Default;
        if (bytes.IsEmpty)
        {
            throw new InvalidInputException("the file is empty, expected an e-mail message (.eml)");
        }

        if (bytes.Span.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]))
        {
            throw new InvalidInputException("this is an Outlook .msg (OLE compound file), not an .eml message; save or forward it as .eml");
        }

        MimeMessage message = MimeMessage.Load(bytes, options.ParserOptions);
        if (!MailShape.LooksLikeMail(message))
        {
            throw new InvalidInputException("does not look like an e-mail message: no mail header lines (From, To, Subject, Received, ...) at the start");
        }

        return Analyze(message, options);
    }

    /// <summary>Analyses an already parsed message.</summary>
    public static EmailReport Analyze(MimeMessage message, EmailAnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        options ??= EmailAnalysisOptions.Default;

        if (ForwardDetection.FindAttachedOriginal(message, options.ParserOptions) is { } attached)
        {
            EmailReport inner = AnalyzeDirect(attached.Message, options, new AnalysisSteps());
            return inner with
            {
                Forwarded = true,
                Forward = new ForwardInfo("attachment", null, []) { OtherCandidates = attached.OtherCandidates },
                Reporter = FirstMailbox(message.From),
            };
        }

        string? text = message.TextBody;
        string? html = message.HtmlBody;
        string? searchable = text ?? (html is null ? null : HtmlText.ToText(html));
        var steps = new AnalysisSteps();
        if (steps.Run("inline_forward_detection", (searchable, message.Subject), static t => InlineForwardDetector.Detect(t.searchable, t.Subject), null) is { } inline)
        {
            return AnalyzeInline(message, inline, text, html, options, steps);
        }

        return AnalyzeDirect(message, options, steps, text, html);
    }

    private static EmailReport AnalyzeDirect(MimeMessage message, EmailAnalysisOptions options, AnalysisSteps steps) =>
        AnalyzeDirect(message, options, steps, message.TextBody, message.HtmlBody);

    /// <param name="textBody">The message's <see cref="MimeMessage.TextBody"/>, when the caller has already read it.</param>
    /// <param name="htmlBody">The message's <see cref="MimeMessage.HtmlBody"/>, likewise.</param>
    /// <param name="steps">Records analysis steps that timed out; may already hold the caller's (forward detection).</param>
    private static EmailReport AnalyzeDirect(MimeMessage message, EmailAnalysisOptions options, AnalysisSteps steps, string? textBody, string? htmlBody)
    {
        // One walk over the headers collects what the steps below read, instead of a search through them per name.
        var received = new List<string>();
        Header? returnPathHeader = null;
        Header? xMailerHeader = null;
        Header? userAgentHeader = null;
        Header? originatingIpHeader = null;
        foreach (Header header in message.Headers)
        {
            if (header.Is("Received"))
            {
                received.Add(header.Value);
            }
            else if (header.Is("Return-Path"))
            {
                returnPathHeader ??= header;
            }
            else if (header.Is("X-Mailer"))
            {
                xMailerHeader ??= header;
            }
            else if (header.Is("User-Agent"))
            {
                userAgentHeader ??= header;
            }
            else if (header.Is("X-Originating-IP"))
            {
                originatingIpHeader ??= header;
            }
        }

        IReadOnlyList<ReceivedHop> hops = steps.Run("received_hops", received, static r => ReceivedParser.ParseChain(r), []);
        // The header steps read values by name: those of signatures and other opaque blobs are never decoded.
        var headers = new MimeHeaderFields(message.Headers);
        AuthenticationSummary auth = AuthenticationEvaluator.Evaluate(headers, options.TrustedAuthservIds);
        IReadOnlyList<HeaderIp> ips = steps.Run("header_ips", headers, static h => HeaderIpScanner.Scan(h), []);
        List<UrlSummary> urls = ExtractUrls(textBody, htmlBody);
        var attachmentFindings = new List<Finding>();
        List<AttachmentSummary> attachments = CollectAttachments(message, options, attachmentFindings, urls);
        (IReadOnlyList<string> defects, IReadOnlyList<Finding> defectFindings) = DescribeDefects(message);

        EmailAddressInfo? from = FirstMailbox(message.From);
        List<EmailAddressInfo> replyTo = Mailboxes(message.ReplyTo);
        string? returnPath = returnPathHeader?.Value.Trim();
        EmailAddressInfo? sender = message.Sender is { } s ? new EmailAddressInfo(s.Name, s.Address) : null;

        var findings = new List<Finding>();
        findings.AddRange(steps.Run("sender_checks", new SenderFacts(from, sender, replyTo, returnPath, auth, hops, message.Subject), static f => HeaderFindings.Evaluate(f), []));
        AddFindings(findings, urls, attachments);
        findings.AddRange(attachmentFindings);
        findings.AddRange(defectFindings);
        findings.AddRange(steps.TimedOut);

        // An analysis that lost a step cannot call the message clean: the missing step might have objected.
        bool enoughEvidence = !steps.Incomplete && (auth.HasAnyResult || urls.Count > 0 || attachments.Count > 0);
        (Verdict verdict, int score) = VerdictScorer.Score(findings, enoughEvidence);
        return new EmailReport
        {
            Verdict = verdict,
            Score = score,
            Subject = message.Subject,
            From = from,
            Sender = sender,
            ReplyTo = replyTo,
            ReturnPath = returnPath,
            To = Mailboxes(message.To),
            Cc = Mailboxes(message.Cc),
            Date = message.Date,
            MessageId = message.MessageId,
            XMailer = xMailerHeader?.Value,
            UserAgent = userAgentHeader?.Value,
            XOriginatingIp = originatingIpHeader?.Value.Trim().Trim(s_brackets),
            ReceivedHops = hops,
            AuthResults = auth,
            Ips = ips,
            Urls = urls,
            Attachments = attachments,
            Findings = Distinct(findings),
            Defects = defects,
            RawHeaders = RawHeaderBlock(message),
        };
    }

    /// <summary>
    /// An inline forward: identity fields come from the quoted block, content from the text after it, and the
    /// attachments from the forward (clients re-attach the original's files). Transport and authentication data of
    /// the original do not exist here, which <see cref="ForwardInfo.Unrecoverable"/> and an info finding say.
    /// </summary>
    private static EmailReport AnalyzeInline(MimeMessage outer, InlineForward inline, string? text, string? html, EmailAnalysisOptions options, AnalysisSteps steps)
    {
        string? htmlAfter = html is null ? null : HtmlAfterMarker(html, inline);
        string? textAfter = text is null ? (htmlAfter is null ? inline.Body : null) : inline.Body;
        List<UrlSummary> urls = ExtractUrls(textAfter, htmlAfter);
        var attachmentFindings = new List<Finding>();
        List<AttachmentSummary> attachments = CollectAttachments(outer, options, attachmentFindings, urls);
        (IReadOnlyList<string> defects, IReadOnlyList<Finding> defectFindings) = DescribeDefects(outer);

        EmailAddressInfo? from = inline.FromAddress is null && inline.FromName is null ? null : new EmailAddressInfo(inline.FromName, inline.FromAddress);
        var auth = new AuthenticationSummary { Source = "none" };
        var findings = new List<Finding>
        {
            new("forward_inline_unverifiable", FindingSeverity.Info,
                $"Inline {inline.Client} forward: the original's Received hops, authentication results and headers were not forwarded, so they could not be checked."),
        };
        if (from?.Address is not null)
        {
            findings.AddRange(steps.Run("sender_checks", () => HeaderFindings.Evaluate(new SenderFacts(from, null, [], null, auth, [], inline.Subject)), [])
                .Where(f => f.Code != "auth_results_missing"));
        }

        List<EmailAddressInfo> to = inline.To is null ? [] : steps.Run("quoted_recipients", () => new List<EmailAddressInfo> { SplitQuoted(inline.To) }, []);
        List<EmailAddressInfo> cc = inline.Cc is null ? [] : steps.Run("quoted_recipients", () => new List<EmailAddressInfo> { SplitQuoted(inline.Cc) }, []);
        AddFindings(findings, urls, attachments);
        findings.AddRange(attachmentFindings);
        findings.AddRange(defectFindings);
        findings.AddRange(steps.TimedOut);

        bool enoughEvidence = !steps.Incomplete && (urls.Count > 0 || attachments.Count > 0);
        (Verdict verdict, int score) = VerdictScorer.Score(findings, enoughEvidence);
        return new EmailReport
        {
            Verdict = verdict,
            Score = score,
            Subject = inline.Subject,
            From = from,
            To = to,
            Cc = cc,
            Date = inline.Date,
            AuthResults = auth,
            Urls = urls,
            Attachments = attachments,
            Forwarded = true,
            Forward = new ForwardInfo("inline", inline.Client, s_inlineUnrecoverable) { QuotedDate = inline.DateText },
            Reporter = FirstMailbox(outer.From),
            Findings = Distinct(findings),
            Defects = defects,
        };
    }

    /// <summary>The URLs' findings, then the attachments', each in order.</summary>
    private static void AddFindings(List<Finding> findings, List<UrlSummary> urls, List<AttachmentSummary> attachments)
    {
        foreach (UrlSummary url in urls)
        {
            findings.AddRange(url.Findings);
        }

        foreach (AttachmentSummary attachment in attachments)
        {
            findings.AddRange(attachment.Findings);
        }
    }

    private static EmailAddressInfo SplitQuoted(string value)
    {
        (string? name, string? address) = InlineForwardDetector.SplitAddress(value);
        return new EmailAddressInfo(name, address);
    }

    /// <summary>The HTML from the forward marker on, so the forwarder's own signature links are left out.</summary>
    private static string HtmlAfterMarker(string html, InlineForward inline)
    {
        string[] probes =
        [
            inline.MarkerLine.Trim('-', ' '),
            "Forwarded message", "Original Message", "Begin forwarded message", "Forwarded Message",
        ];
        foreach (string probe in probes.Where(p => p.Length >= 8))
        {
            int at = html.IndexOf(probe, StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                return html[at..];
            }
        }

        return html;
    }

    private static List<UrlSummary> ExtractUrls(string? text, string? html)
    {
        if (text is null && html is null)
        {
            return [];
        }

        return Summaries(UrlExtractor.Extract(text, html), null);
    }

    /// <summary>The report's form of extracted URLs, all found in the same place.</summary>
    private static List<UrlSummary> Summaries(IReadOnlyList<ExtractedUrl> urls, string? attachment)
    {
        var summaries = new List<UrlSummary>(urls.Count);
        for (int i = 0; i < urls.Count; i++)
        {
            summaries.Add(ToSummary(urls[i], attachment));
        }

        return summaries;
    }

    /// <summary>Each <see cref="UrlSource"/> as the report names it, by value, made once rather than per URL.</summary>
    private static readonly string?[] s_sourceNames = SourceNames();

    private static string?[] SourceNames()
    {
        UrlSource[] sources = Enum.GetValues<UrlSource>();
        var names = new string?[(int)sources.Max() + 1];
        foreach (UrlSource source in sources)
        {
            names[(int)source] = JsonNamingPolicy.SnakeCaseLower.ConvertName(source.ToString());
        }

        return names;
    }

    private static string SourceName(UrlSource source) =>
        (uint)source < (uint)s_sourceNames.Length && s_sourceNames[(int)source] is { } name
            ? name
            : JsonNamingPolicy.SnakeCaseLower.ConvertName(source.ToString());

    private static UrlSummary ToSummary(ExtractedUrl url, string? attachment) =>
        new(url.Url, SourceName(url.Source), url.DisplayText, url.Host)
        {
            DecodedTarget = url.DecodedTarget,
            Rewriter = url.Rewriter,
            Attachment = attachment,
            Findings = url.Findings,
        };

    /// <summary>
    /// Every attachment of the message and of messages nested in it (message/rfc822 parts are themselves hashed
    /// as <c>.eml</c> and then walked), plus files uuencoded inside text parts, which MIME-only tools miss.
    /// </summary>
    private static List<AttachmentSummary> CollectAttachments(MimeMessage message, EmailAnalysisOptions options, List<Finding> findings, List<UrlSummary> urls)
    {
        var result = new List<AttachmentSummary>();
        int skipped = 0;
        Walk(message, 0, "message");
        if (skipped > 0)
        {
            findings.Add(new Finding("attachments_not_inspected", FindingSeverity.Low, $"{skipped} attachment(s) beyond the limit of {options.MaxAttachments} were not inspected."));
        }

        return result;

        void Walk(MimeMessage current, int depth, string location)
        {
            IReadOnlyList<MimeEntity> entities = EntityList(current.BodyParts);
            for (int i = 0; i < entities.Count; i++)
            {
                MimeEntity entity = entities[i];
                if (entity is MessagePart messagePart)
                {
                    Add(messagePart.FileName ?? "message.eml", messagePart.ContentType.MimeType, ReadOnlyStream(messagePart.RawContent), location);
                    if (depth + 1 <= options.MaxNestedMessageDepth)
                    {
                        Walk(messagePart.Message, depth + 1, $"message/rfc822 depth {depth + 1}");
                    }

                    continue;
                }

                if (entity is not MimePart part)
                {
                    continue;
                }

                if (part is TextPart text)
                {
                    foreach (UuencodedFile file in text.FindUuencodedFiles())
                    {
                        Add(file.FileName, null, ReadOnlyStream(file.Content), $"{location} (uuencoded in text)");
                    }
                }

                // A named part is a file even when marked inline (an inline invoice.html is still HTML smuggling).
                if (part.IsAttachment || part.FileName is not null || IsStandaloneBinary(part))
                {
                    Add(part.FileName, part.ContentType.MimeType, part.OpenContentStream(), location);
                }
            }
        }

        void Add(string? fileName, string? contentType, Stream content, string location)
        {
            using (content)
            {
                if (result.Count >= options.MaxAttachments)
                {
                    skipped++;
                    return;
                }

                AttachmentReport report = AttachmentInspector.Inspect(fileName, contentType, content);
                var members = new List<ArchiveMemberSummary>(report.ArchiveMembers.Count);
                for (int i = 0; i < report.ArchiveMembers.Count; i++)
                {
                    ArchiveMember member = report.ArchiveMembers[i];
                    members.Add(new ArchiveMemberSummary(member.Name, member.Size, member.CompressedSize, member.Encrypted, member.Sha256, member.Md5, member.Sha1));
                }

                result.Add(new AttachmentSummary(report.FileName ?? fileName, contentType, report.SniffedContentType, report.Size, report.Md5, report.Sha1, report.Sha256, location)
                {
                    ArchiveMembers = members,
                    Findings = report.Findings,
                });
                if (report.Urls.Count > 0)
                {
                    urls.AddRange(Summaries(report.Urls, $"attachment:{fileName ?? "(no name)"}"));
                }
            }
        }
    }

    /// <summary>
    /// A read-only stream over <paramref name="content"/>: over the array it lies in when it has one (the parser keeps
    /// the message in one), rather than over a copy.
    /// </summary>
    private static MemoryStream ReadOnlyStream(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out ArraySegment<byte> segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);

    /// <summary>A non-text leaf without a file name that is not an inline image (e.g. a bare application/pdf body).</summary>
    private static bool IsStandaloneBinary(MimePart part) =>
        part is not TextPart && part.ContentId is null && !part.ContentType.MediaType.Equals("image", StringComparison.OrdinalIgnoreCase)
        && !part.ContentType.MediaType.Equals("multipart", StringComparison.OrdinalIgnoreCase)
        && !(part.ContentType.MediaType.Equals("message", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The parser's entities by index: it hands them out as a read-only list over an array, whose enumerator through
    /// <see cref="IEnumerable{T}"/> is one more object per walk (three walks a message).
    /// </summary>
    internal static IReadOnlyList<MimeEntity> EntityList(IEnumerable<MimeEntity> entities) =>
        entities as IReadOnlyList<MimeEntity> ?? [.. entities];

    private static readonly HashSet<MimeDefectKind> s_evasiveDefects =
    [
        MimeDefectKind.BoundaryReused, MimeDefectKind.Base64InternalPadding, MimeDefectKind.InlineUuencode,
        MimeDefectKind.DuplicateHeader, MimeDefectKind.MissingHeaderBodySeparator, MimeDefectKind.EncodedWordInAddress,
        MimeDefectKind.NestingTooDeep, MimeDefectKind.TooManyParts,
    ];

    private static readonly HashSet<MimeDefectKind> s_limitDefects =
    [
        MimeDefectKind.InputTruncated, MimeDefectKind.DecodedSizeLimitExceeded, MimeDefectKind.HeaderBlockTooLarge,
        MimeDefectKind.TooManyHeaders, MimeDefectKind.HeaderTooLong,
    ];

    /// <summary>
    /// Parser defects as text, and as findings: structures that make parsers disagree (and so hide content from
    /// filters) are Medium, hit limits are Low (the report may be incomplete), everything else is Info.
    /// </summary>
    private static (IReadOnlyList<string> Defects, IReadOnlyList<Finding> Findings) DescribeDefects(MimeMessage message)
    {
        // Grouped by kind in order of first appearance, as GroupBy would, without its lookup and per-group lists; the
        // structural defects first, then each part's content defects, each taken as it is enumerated. Most messages
        // have none: the lists and the set are made at the first defect.
        List<(MimeDefectKind Kind, string FirstMessage, int Count)>? kinds = null;
        List<string>? texts = null;
        HashSet<string>? seenTexts = null;
        foreach (MimeDefect defect in message.EnumerateAllDefects())
        {
            Count(defect);
        }

        IReadOnlyList<MimeEntity> entities = EntityList(message.Body.DescendantsAndSelf());
        for (int i = 0; i < entities.Count; i++)
        {
            if (entities[i] is MimePart part)
            {
                foreach (MimeDefect defect in part.ContentDefects)
                {
                    Count(defect);
                }
            }
        }

        if (kinds is null || texts is null)
        {
            return ([], []);
        }

        var findings = new List<Finding>(kinds.Count);
        foreach ((MimeDefectKind kind, string firstMessage, int count) in kinds)
        {
            (string code, FindingSeverity severity) = s_evasiveDefects.Contains(kind)
                ? ("mime_evasion", FindingSeverity.Medium)
                : s_limitDefects.Contains(kind) ? ("mime_limits", FindingSeverity.Low) : ("mime_defect", FindingSeverity.Info);
            findings.Add(new Finding(code, severity, $"Parser defect {kind}: {firstMessage}{(count > 1 ? $" (and {count - 1} more)" : string.Empty)}."));
        }

        return (texts, findings);

        void Count(MimeDefect defect)
        {
            kinds ??= [];
            texts ??= [];
            seenTexts ??= new HashSet<string>(StringComparer.Ordinal);
            int index = 0;
            while (index < kinds.Count && kinds[index].Kind != defect.Kind)
            {
                index++;
            }

            if (index == kinds.Count)
            {
                kinds.Add((defect.Kind, defect.Message, 1));
            }
            else
            {
                kinds[index] = kinds[index] with { Count = kinds[index].Count + 1 };
            }

            string text = $"{defect.Kind}: {defect.Message}";
            if (seenTexts.Add(text))
            {
                texts.Add(text);
            }
        }
    }

    /// <summary>
    /// The findings without repeats, first occurrence kept (as <see cref="Enumerable.Distinct{TSource}(IEnumerable{TSource})"/>).
    /// A message has a handful: comparing them pairwise is cheaper than hashing every reason string into a set.
    /// </summary>
    private static List<Finding> Distinct(List<Finding> findings)
    {
        if (findings.Count > 16)
        {
            return findings.Distinct().ToList();
        }

        var distinct = new List<Finding>(findings.Count);
        foreach (Finding finding in findings)
        {
            if (!distinct.Contains(finding))
            {
                distinct.Add(finding);
            }
        }

        return distinct;
    }

    // The parser hands its mailboxes out as a read-only list: read by index, without an enumerator or a LINQ pipeline.
    private static EmailAddressInfo? FirstMailbox(InternetAddressList list)
    {
        if (list.Mailboxes is IReadOnlyList<MailboxAddress> boxes)
        {
            return boxes.Count > 0 ? new EmailAddressInfo(boxes[0].Name, boxes[0].Address) : null;
        }

        return list.Mailboxes.FirstOrDefault() is { } box ? new EmailAddressInfo(box.Name, box.Address) : null;
    }

    private static List<EmailAddressInfo> Mailboxes(InternetAddressList list)
    {
        if (list.Mailboxes is IReadOnlyList<MailboxAddress> boxes)
        {
            var result = new List<EmailAddressInfo>(boxes.Count);
            for (int i = 0; i < boxes.Count; i++)
            {
                result.Add(new EmailAddressInfo(boxes[i].Name, boxes[i].Address));
            }

            return result;
        }

        return [.. list.Mailboxes.Select(m => new EmailAddressInfo(m.Name, m.Address))];
    }

    /// <summary>Every header as read, each decoded as UTF-8 on its own, into one string allocated once.</summary>
    private static string RawHeaderBlock(MimeMessage message)
    {
        // The parser's headers are consecutive slices of one buffer, each ending in a line break; a line break ends
        // any UTF-8 sequence, so decoding them as one run gives the same text as decoding them one by one.
        if (TryGetConsecutiveHeaderBytes(message.Headers, out ReadOnlySpan<byte> run))
        {
            return Encoding.UTF8.GetString(run);
        }

        int length = 0;
        foreach (Header header in message.Headers)
        {
            length += Encoding.UTF8.GetCharCount(header.RawBytes.Span);
        }

        return string.Create(length, message.Headers, static (destination, headers) =>
        {
            int written = 0;
            foreach (Header header in headers)
            {
                written += Encoding.UTF8.GetChars(header.RawBytes.Span, destination[written..]);
            }
        });
    }

    /// <summary>The bytes of all headers as one span, when they lie back to back in memory and each but the last ends in a line break.</summary>
    private static bool TryGetConsecutiveHeaderBytes(HeaderList headers, out ReadOnlySpan<byte> run)
    {
        run = [];
        if (headers.Count == 0)
        {
            return true;
        }

        ReadOnlySpan<byte> first = headers[0].RawBytes.Span;
        ref byte start = ref MemoryMarshal.GetReference(first);
        int length = first.Length;
        for (int i = 1; i < headers.Count; i++)
        {
            ReadOnlySpan<byte> next = headers[i].RawBytes.Span;
            if (length == 0 || Unsafe.Add(ref start, length - 1) != (byte)'\n' || !Unsafe.AreSame(ref Unsafe.Add(ref start, length), ref MemoryMarshal.GetReference(next)))
            {
                return false;
            }

            length += next.Length;
        }

        run = MemoryMarshal.CreateReadOnlySpan(ref start, length);
        return true;
    }

    private static byte[] ReadLimited(Stream stream, long limit)
    {
        using var buffer = new MemoryStream();

        // A file's length is known: read it into one array of exactly that size. Growing a MemoryStream by doubling
        // and copying it out would hold up to three times the message at once (100 MB for a 25 MB attachment).
        if (stream.CanSeek)
        {
            long remaining = Math.Max(0, stream.Length - stream.Position);
            if (remaining > limit)
            {
                throw TooLarge(limit);
            }

            byte[] exact = new byte[remaining];
            int filled = stream.ReadAtLeast(exact, exact.Length, throwOnEndOfStream: false);
            int next = filled == exact.Length ? stream.ReadByte() : -1;
            if (filled == exact.Length && next < 0)
            {
                return exact;
            }

            // The file changed length while being read: continue as for any stream.
            buffer.Write(exact, 0, filled);
            if (next >= 0)
            {
                buffer.WriteByte((byte)next);
            }

            if (buffer.Length > limit)
            {
                throw TooLarge(limit);
            }
        }

        byte[] chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static InvalidInputException TooLarge(long limit) =>
        new($"the message is larger than the {limit / (1024 * 1024)} MiB limit");
}
