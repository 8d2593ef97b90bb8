using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>
/// One pass over a message buffer. Each entity reads its headers, then its body up to the next delimiter line of the
/// innermost enclosing multipart. Like stalwart mail-parser (our reference oracle), only the innermost boundary
/// delimits and it matches as a line prefix; the cases where stricter parsers (Python, MimeKit) would split
/// differently are recorded as defects, since such differentials are where attachments hide. Bodies are located with a
/// vectorised search for "\n--", so every byte is scanned a bounded number of times.
/// </summary>
internal sealed class MimeReader(ReadOnlyMemory<byte> memory, MimeParserOptions options, ParseBudget budget)
{
    // Looking for enclosing delimiters inside a part only feeds a warning; it is capped so that a body made of
    // millions of "--" lines costs no more than scanning it.
    private const int MaxHazardChecks = 100_000;

    // Recursion is bounded by MaxDepth (capped here) and by the stack actually left on the calling thread.
    private const int DepthCeiling = 1_000;

    // The enclosing multiparts, innermost last: their boundaries, whose defect list a delimiter warning goes to, and
    // which warnings each has had. One array, made at the first multipart (a single-part message needs none).
    private BoundaryLevel[] _levels = [];
    private int _levelCount;

    // Headers are collected here and copied into an array of their exact size: no list grows by doubling per entity.
    // One per thread, reused by every message read on it (ReadHeaders never runs inside itself).
    [ThreadStatic]
    private static List<Header>? t_headerScratch;

    // A scratch list that grew past this (a hostile header count) is not kept for the next message.
    private const int MaxKeptScratch = 4096;
    private int _hazardChecks;
    private int _position;

    private ReadOnlySpan<byte> Data => memory.Span;

    private int MaxDepth => Math.Clamp(options.MaxDepth, 0, DepthCeiling);

    private int End => memory.Length;

    public MimeMessage ReadMessage(int depth, List<MimeDefect> messageDefects)
    {
        // Outer and embedded messages alike may start with a BOM or an mbox "From " line (forwarded .eml exports).
        ReadOnlyMemory<byte> prologue = ReadOnlyMemory<byte>.Empty;
        {
            int start = _position;
            if (Data[_position..].StartsWith("\uFEFF"u8))
            {
                _position += 3;
            }

            // An mbox "From " line, not a "From :" header (obsolete syntax allows space before the colon).
            if (Data[_position..].StartsWith("From "u8) && FieldNameEnd(Data[_position..LineEnd(_position)]) < 0)
            {
                _position = LineEnd(_position);
            }

            if (_position > start)
            {
                prologue = memory[start.._position];
                messageDefects.Add(new MimeDefect(MimeDefectKind.GarbageBeforeHeaders, "a BOM or an mbox 'From ' line precedes the headers", start));
            }
        }

        budget.Parts++;
        MimeEntity body = ReadEntity(depth, ContentType.TextPlain);
        return new MimeMessage(body, prologue, messageDefects);
    }

    private MimeEntity ReadEntity(int depth, ContentType defaultType)
    {
        int offset = _position;
        List<MimeDefect> defects = [];
        HeaderList headers = ReadHeaders(defects, out bool endedAtDelimiter);
        int bodyStart = _position;

        ContentType contentType = defaultType;
        ContentDisposition? disposition = null;
        ContentEncoding encoding = ContentEncoding.Default;
        // One walk finds the three headers; a field that appears twice is looked up again where its defects belong.
        ContentHeaders found = FindContentHeaders(headers);
        Header? typeHeader = found.Repeated(ContentHeaders.TypeBit) ? FindLast(headers, "Content-Type", defects) : found.Type;
        if (typeHeader is not null)
        {
            contentType = ParseContentType(typeHeader, defects);
        }

        Header? encodingHeader = found.Repeated(ContentHeaders.EncodingBit) ? FindLast(headers, "Content-Transfer-Encoding", defects) : found.Encoding;
        if (encodingHeader is not null)
        {
            encoding = ParseEncoding(encodingHeader, defects);
        }

        Header? dispositionHeader = found.Repeated(ContentHeaders.DispositionBit) ? FindLast(headers, "Content-Disposition", defects) : found.Disposition;
        if (dispositionHeader is not null)
        {
            disposition = ParseContentDisposition(dispositionHeader, defects);
        }

        EntityHead head = new(headers, contentType, disposition, encoding, offset, bodyStart, depth, defects);

        // Headers cut off by the enclosing delimiter: the part has no body, whatever its type promises.
        if (endedAtDelimiter)
        {
            return ReadLeaf(head, asText: contentType.MediaType is "text" or "multipart");
        }

        if (contentType.MediaType == "multipart")
        {
            string? boundary = contentType.Boundary;
            if (string.IsNullOrEmpty(boundary))
            {
                defects.Add(new MimeDefect(MimeDefectKind.MissingBoundary, $"{contentType.MimeType} has no boundary; read as text", offset));
                return ReadLeaf(head, asText: true);
            }

            if (depth >= MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            {
                defects.Add(new MimeDefect(MimeDefectKind.NestingTooDeep, $"nesting deeper than {MaxDepth} (or than the thread's stack allows); the multipart is kept unparsed", offset));
                return ReadLeaf(head, asText: false);
            }

            if (encoding is ContentEncoding.Base64 or ContentEncoding.QuotedPrintable or ContentEncoding.UuEncode)
            {
                defects.Add(new MimeDefect(MimeDefectKind.EncodedMultipart, $"a multipart declares Content-Transfer-Encoding {encoding}; ignored", offset));
            }

            return ReadMultipart(head, boundary);
        }

        if (contentType.MediaType == "message" && contentType.MediaSubtype is "rfc822" or "global" or "news")
        {
            if (depth >= MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            {
                defects.Add(new MimeDefect(MimeDefectKind.NestingTooDeep, $"nesting deeper than {MaxDepth} (or than the thread's stack allows); the embedded message is kept unparsed", offset));
                return ReadLeaf(head, asText: false);
            }

            if (budget.Parts >= options.MaxParts)
            {
                defects.Add(new MimeDefect(MimeDefectKind.TooManyParts, $"more than {options.MaxParts} parts; the embedded message is kept unparsed", offset));
                return ReadLeaf(head, asText: false);
            }

            if (encoding is ContentEncoding.Base64 or ContentEncoding.QuotedPrintable or ContentEncoding.UuEncode)
            {
                return ReadEncodedMessage(head);
            }

            if (!StartsWithHeader(Data[_position..]))
            {
                defects.Add(new MimeDefect(MimeDefectKind.InvalidEmbeddedMessage, "the embedded message does not start with a header; kept as text", _position));
                return ReadLeaf(head, asText: true);
            }

            return ReadEmbeddedMessage(head);
        }

        return ReadLeaf(head, asText: contentType.MediaType == "text");
    }

    private MimePart ReadLeaf(EntityHead head, bool asText)
    {
        int contentStart = _position;
        int contentEnd = ScanToBoundary(contentStart);
        ReadOnlyMemory<byte> content = memory[contentStart..contentEnd];
        if (asText && !Charsets.IsKnown(head.ContentType.Charset))
        {
            head.Defects.Add(new MimeDefect(MimeDefectKind.UnknownCharset, $"charset '{head.ContentType.Charset}' is unknown; decoded as UTF-8 or windows-1252", head.Offset));
        }

        MimePart part = asText ? new TextPart(head, content) : new MimePart(head, content);
        part.EndOffset = contentEnd;
        if (asText && content.Span.IndexOf("begin "u8) >= 0 && head.Encoding != ContentEncoding.UuEncode
            && UuDecoder.FindFileName(content.Span) is { } name)
        {
            head.Defects.Add(new MimeDefect(MimeDefectKind.InlineUuencode, $"the text holds a uuencoded file '{name}'", contentStart));
        }

        return part;
    }

    private MessagePart ReadEmbeddedMessage(EntityHead head)
    {
        int contentStart = _position;
        MimeMessage message = ReadMessage(head.Depth + 1, []);
        int contentEnd = (int)message.Body.EndOffset;
        MessagePart part = new(head, message, memory[contentStart..contentEnd], isDecoded: false);
        part.EndOffset = contentEnd;
        return part;
    }

    private MimeEntity ReadEncodedMessage(EntityHead head)
    {
        int contentStart = _position;
        int contentEnd = ScanToBoundary(contentStart);
        ReadOnlyMemory<byte> raw = memory[contentStart..contentEnd];
        head.Defects.Add(new MimeDefect(MimeDefectKind.EncodedMessagePart, $"message/rfc822 part is {head.Encoding}-encoded; decoded and parsed", head.Offset));
        if (budget.DecodedBytes + raw.Length > options.MaxDecodedBytes)
        {
            head.Defects.Add(new MimeDefect(MimeDefectKind.DecodedSizeLimitExceeded, $"decoding the embedded message would exceed {options.MaxDecodedBytes} bytes; kept encoded", head.Offset));
            MimePart opaque = new(head, raw) { EndOffset = contentEnd };
            return opaque;
        }

        byte[] decoded = TransferDecoder.DecodeAll(TransferDecoder.Create(head.Encoding, contentStart), raw.Span);
        budget.DecodedBytes += decoded.Length;
        if (!StartsWithHeader(decoded))
        {
            head.Defects.Add(new MimeDefect(MimeDefectKind.InvalidEmbeddedMessage, "the decoded embedded message does not start with a header; kept as text", head.Offset));
            return new TextPart(head, raw) { EndOffset = contentEnd };
        }

        MimeReader inner = new(decoded, options, budget);
        MimeMessage message = inner.ReadMessage(head.Depth + 1, []);
        MessagePart part = new(head, message, raw, isDecoded: true);
        part.EndOffset = contentEnd;
        return part;
    }

    private MimeEntity ReadMultipart(EntityHead head, string boundary)
    {
        byte[] marker = Encoding.UTF8.GetBytes(boundary);
        if (IsBoundaryInUse(marker))
        {
            head.Defects.Add(new MimeDefect(MimeDefectKind.BoundaryReused, $"boundary '{ParameterParser.Shorten(boundary)}' is already used by an enclosing multipart", head.Offset));
        }

        int preambleStart = _position;
        Push(marker, head);

        // The first delimiter must come before any enclosing delimiter; stopping there keeps a run of multiparts
        // whose boundary never appears from rescanning the rest of the message once each.
        int first = FindBoundary(_position, out _, stopAtEnclosing: true);
        if (first < 0)
        {
            Pop();
            head.Defects.RemoveAll(d => d.Kind == MimeDefectKind.EnclosingBoundaryInPart);
            head.Defects.Add(new MimeDefect(MimeDefectKind.StartBoundaryNotFound, $"boundary '{ParameterParser.Shorten(boundary)}' never appears; read as text", head.Offset));
            _position = preambleStart;
            return ReadLeaf(head, asText: true);
        }

        int lastEnd = ContentEndBefore(first, preambleStart);
        ReadOnlyMemory<byte> preamble = memory[preambleStart..lastEnd];
        List<MimeEntity> children = ScratchStack<MimeEntity>.Items;
        List<ReadOnlyMemory<byte>> delimiters = ScratchStack<ReadOnlyMemory<byte>>.Items;
        int childMark = children.Count;
        int delimiterMark = delimiters.Count;
        MimeEntity[] childArray;
        ReadOnlyMemory<byte>[] delimiterArray;
        ReadOnlyMemory<byte> closeDelimiter = ReadOnlyMemory<byte>.Empty;
        ReadOnlyMemory<byte> epilogue = ReadOnlyMemory<byte>.Empty;
        ContentType childDefault = head.ContentType.MediaSubtype == "digest" ? ContentType.MessageRfc822 : ContentType.TextPlain;
        _position = first;
        try
        {
            while (true)
            {
                if (_position >= End)
                {
                    head.Defects.Add(new MimeDefect(MimeDefectKind.CloseBoundaryNotFound, $"the closing boundary '--{ParameterParser.Shorten(boundary)}--' never appears", lastEnd));
                    Pop();
                    break;
                }

                IsBoundaryLine(_position, _levelCount - 1, out bool close);
                int lineEnd = LineEnd(_position);

                // An opening delimiter with nothing after it is a truncated close, not an empty part.
                if (close || lineEnd >= End)
                {
                    if (!close)
                    {
                        head.Defects.Add(new MimeDefect(MimeDefectKind.CloseBoundaryNotFound, $"the message ends right after a delimiter of '{ParameterParser.Shorten(boundary)}'", _position));
                    }

                    closeDelimiter = memory[lastEnd..lineEnd];
                    Pop();
                    _position = lineEnd;
                    int epilogueEnd = ScanToBoundary(lineEnd);
                    epilogue = memory[lineEnd..epilogueEnd];
                    lastEnd = epilogueEnd;
                    break;
                }

                if (budget.Parts >= options.MaxParts)
                {
                    head.Defects.Add(new MimeDefect(MimeDefectKind.TooManyParts, $"more than {options.MaxParts} parts; the rest of this multipart is kept in its epilogue", _position));
                    Pop();
                    int restEnd = ScanToBoundary(_position);
                    epilogue = memory[lastEnd..restEnd];
                    lastEnd = restEnd;
                    break;
                }

                delimiters.Add(memory[lastEnd..lineEnd]);
                _position = lineEnd;
                budget.Parts++;
                MimeEntity child = ReadEntity(head.Depth + 1, childDefault);
                children.Add(child);
                lastEnd = (int)child.EndOffset;
            }
        }
        finally
        {
            // Also when reading failed: the shared lists must not keep this multipart's items (or its message's data).
            childArray = ScratchStack<MimeEntity>.TakeFrom(children, childMark);
            delimiterArray = ScratchStack<ReadOnlyMemory<byte>>.TakeFrom(delimiters, delimiterMark);
        }

        return new Multipart(head, boundary, preamble, childArray, delimiterArray, closeDelimiter, epilogue) { EndOffset = lastEnd };
    }

    private bool IsBoundaryInUse(byte[] marker)
    {
        for (int level = 0; level < _levelCount; level++)
        {
            if (_levels[level].Boundary.AsSpan().SequenceEqual(marker))
            {
                return true;
            }
        }

        return false;
    }

    private void Push(byte[] boundary, EntityHead owner)
    {
        if (_levelCount == _levels.Length)
        {
            Array.Resize(ref _levels, Math.Max(4, _levels.Length * 2));
        }

        _levels[_levelCount++] = new BoundaryLevel(boundary, owner.Defects);
    }

    private void Pop()
    {
        _levels[--_levelCount] = default;
    }

    private HeaderList ReadHeaders(List<MimeDefect> defects, out bool endedAtDelimiter)
    {
        endedAtDelimiter = false;
        List<Header> headers = t_headerScratch ??= new List<Header>(64);
        headers.Clear();
        // The span is taken once: every line of the block is looked at several times.
        ReadOnlySpan<byte> data = Data;
        int blockStart = _position;
        int trailerStart = -1;
        long storedBytes = 0;
        bool reportedCount = false;
        bool reportedBlock = false;
        while (_position < data.Length)
        {
            int lineEnd = LineEnd(data, _position);
            ReadOnlySpan<byte> line = data[_position..lineEnd];
            if (IsBlank(line))
            {
                _position = lineEnd;
                break;
            }

            if (line[0] == '-' && _levelCount > 0 && IsBoundaryLine(data, _position, _levelCount - 1, out _))
            {
                endedAtDelimiter = _position > blockStart;
                break;
            }

            int colon = FieldNameEnd(line, out int nameLength);
            if (colon < 0)
            {
                // A stray line followed by a header or the blank separator is skipped (kept as an invalid header), as
                // lenient clients and stalwart do; Python ends the headers there instead. Otherwise the body starts here.
                ReadOnlySpan<byte> next = data[lineEnd..LineEnd(data, lineEnd)];
                bool strayLine = lineEnd < data.Length && (FieldNameEnd(next) > 0 || IsBlank(next));
                if (!strayLine || trailerStart >= 0 || headers.Count >= options.MaxHeaders)
                {
                    defects.Add(new MimeDefect(MimeDefectKind.MissingHeaderBodySeparator, "a line that is not a header ends the header block; it starts the body", _position));
                    break;
                }

                defects.Add(new MimeDefect(MimeDefectKind.InvalidHeaderLine, "a line that is not a header inside the header block is skipped; strict parsers end the headers here", _position));
                headers.Add(CreateInvalidHeader(_position, lineEnd));
                _position = lineEnd;
                continue;
            }

            int headerStart = _position;
            int headerEnd = lineEnd;
            // A line starting with a space or tab continues the header (it is never blank: IsBlank needs CR or LF first).
            while (headerEnd < data.Length && data[headerEnd] is (byte)' ' or (byte)'\t')
            {
                headerEnd = LineEnd(data, headerEnd);
            }

            _position = headerEnd;
            if (trailerStart >= 0)
            {
                continue;
            }

            if (headers.Count >= options.MaxHeaders)
            {
                trailerStart = headerStart;
                if (!reportedCount)
                {
                    defects.Add(new MimeDefect(MimeDefectKind.TooManyHeaders, $"more than {options.MaxHeaders} headers; the rest are kept raw only", headerStart));
                    reportedCount = true;
                }

                continue;
            }

            // An oversized header counts only for the part of it that is decoded, so a huge header cannot push
            // Content-Type and friends out of reach.
            storedBytes += Math.Min(headerEnd - headerStart, options.MaxHeaderBytes);
            if (storedBytes > options.MaxHeaderBlockBytes)
            {
                trailerStart = headerStart;
                if (!reportedBlock)
                {
                    defects.Add(new MimeDefect(MimeDefectKind.HeaderBlockTooLarge, $"the header block exceeds {options.MaxHeaderBlockBytes} bytes; the rest are kept raw only", headerStart));
                    reportedBlock = true;
                }

                continue;
            }

            headers.Add(CreateHeader(headerStart, colon, nameLength, headerEnd, defects));
        }

        int trailerFrom = trailerStart >= 0 ? trailerStart : headers.Count > 0 ? (int)(headers[^1].Offset + headers[^1].RawBytes.Length) : blockStart;
        HeaderList list = new(headers.ToArray(), memory[trailerFrom.._position]);
        headers.Clear();
        if (headers.Capacity > MaxKeptScratch)
        {
            t_headerScratch = null;
        }

        return list;
    }

    private Header CreateHeader(int start, int colon, int nameLength, int end, List<MimeDefect> defects)
    {
        ReadOnlySpan<byte> data = Data;
        string field = HeaderNames.Get(data.Slice(start, nameLength));
        int valueStart = start + colon + 1;
        int valueEnd = end;
        if (valueEnd > valueStart && data[valueEnd - 1] == '\n')
        {
            valueEnd--;
        }

        if (valueEnd > valueStart && data[valueEnd - 1] == '\r')
        {
            valueEnd--;
        }

        if (valueEnd - valueStart > options.MaxHeaderBytes)
        {
            defects.Add(new MimeDefect(MimeDefectKind.HeaderTooLong, $"header {ParameterParser.Shorten(field)} is longer than {options.MaxHeaderBytes} bytes; its value is cut", start));
            valueEnd = valueStart + options.MaxHeaderBytes;
        }

        ReadOnlySpan<byte> valueBytes = data[valueStart..valueEnd];
        if (!Ascii.IsValid(valueBytes))
        {
            string rawValue = Charsets.DecodeHeaderBytes(valueBytes, out bool invalidUtf8);
            if (invalidUtf8)
            {
                defects.Add(new MimeDefect(MimeDefectKind.InvalidUtf8Header, $"header {ParameterParser.Shorten(field)} has 8-bit bytes that are not UTF-8; read as windows-1252", start));
            }

            return new Header(field, rawValue, DecodeEncodedWords(field, UnfoldAndTrim(rawValue), start, defects), memory[start..end], start);
        }

        // The common case: no encoded word, so decoding can find nothing to report and waits until someone reads
        // the value. Unfolding removes CR and LF, so "=" before a line break could still join a "?" after it.
        if (!MayHoldEncodedWord(valueBytes))
        {
            return new Header(field, valueStart - start, valueEnd - valueStart, memory[start..end], start);
        }

        string value = DecodeEncodedWords(field, Header.UnfoldAndTrimAscii(valueBytes), start, defects);
        return new Header(field, valueStart - start, valueEnd - valueStart, value, memory[start..end], start);
    }

    private static bool MayHoldEncodedWord(ReadOnlySpan<byte> value) =>
        value.IndexOf((byte)'?') >= 0
        && (value.IndexOf("=?"u8) >= 0 || value.IndexOf("=\r"u8) >= 0 || value.IndexOf("=\n"u8) >= 0);

    private static string DecodeEncodedWords(string field, string value, int start, List<MimeDefect> defects)
    {
        if (value.Contains("=?", StringComparison.Ordinal))
        {
            value = Rfc2047.Decode(value, out EncodedWordIssues issues);
            if ((issues & EncodedWordIssues.InvalidWord) != 0)
            {
                defects.Add(new MimeDefect(MimeDefectKind.InvalidEncodedWord, $"header {ParameterParser.Shorten(field)} has a malformed encoded word", start));
            }

            if ((issues & EncodedWordIssues.UnknownCharset) != 0)
            {
                defects.Add(new MimeDefect(MimeDefectKind.UnknownCharset, $"header {ParameterParser.Shorten(field)} has an encoded word in an unknown charset", start));
            }
        }

        return value;
    }

    /// <summary>
    /// <c>AddressParser.Unfold(raw).Trim()</c> in one allocation at most: removing every CR and LF and trimming
    /// white space commute (both are white space), so the raw value is trimmed first and copied only when it must change.
    /// </summary>
    private static string UnfoldAndTrim(string raw)
    {
        ReadOnlySpan<char> trimmed = raw.AsSpan().Trim();
        int lineBreaks = trimmed.Count('\r') + trimmed.Count('\n');
        if (lineBreaks == 0)
        {
            return trimmed.Length == raw.Length ? raw : new string(trimmed);
        }

        int start = raw.Length - raw.AsSpan().TrimStart().Length;
        return string.Create(trimmed.Length - lineBreaks, (raw, start, length: trimmed.Length), static (destination, state) =>
        {
            int length = 0;
            foreach (char c in state.raw.AsSpan(state.start, state.length))
            {
                if (c is not ('\r' or '\n'))
                {
                    destination[length++] = c;
                }
            }
        });
    }

    private Header CreateInvalidHeader(int start, int end)
    {
        ReadOnlySpan<byte> line = Data[start..end].TrimEnd("\r\n"u8);
        if (line.Length > options.MaxHeaderBytes)
        {
            line = line[..options.MaxHeaderBytes];
        }

        string text = Charsets.DecodeHeaderBytes(line, out _);
        return new Header(string.Empty, text, text.Trim(), memory[start..end], start, isInvalid: true);
    }

    // Parameter headers are parsed from their raw value with CR and LF removed (AddressParser.Unfold(RawValue)); an
    // ASCII value is widened straight into a buffer instead of becoming two strings first.
    private const int StackUnfoldChars = 256;

    private delegate T ParameterHeaderParser<T>(ReadOnlySpan<char> value, List<MimeDefect> defects, long offset);

    private static ContentType ParseContentType(Header header, List<MimeDefect> defects) =>
        ParseParameterHeader(header, defects, ParameterParser.ParseContentType);

    private static ContentDisposition ParseContentDisposition(Header header, List<MimeDefect> defects) =>
        ParseParameterHeader(header, defects, ParameterParser.ParseContentDisposition);

    private static T ParseParameterHeader<T>(Header header, List<MimeDefect> defects, ParameterHeaderParser<T> parse)
    {
        if (!header.HasAsciiRawValue)
        {
            return parse(AddressParser.Unfold(header.RawValue), defects, header.Offset);
        }

        ReadOnlySpan<byte> raw = header.RawValueBytes;
        char[]? rented = null;
        Span<char> buffer = raw.Length <= StackUnfoldChars ? stackalloc char[StackUnfoldChars] : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
        try
        {
            return parse(UnfoldAscii(raw, buffer), defects, header.Offset);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    private static ReadOnlySpan<char> UnfoldAscii(ReadOnlySpan<byte> raw, Span<char> buffer) =>
        buffer[..Header.WidenWithoutLineBreaks(raw, buffer)];

    /// <summary>The last Content-Type, Content-Transfer-Encoding and Content-Disposition, and which appear more than once.</summary>
    private static ContentHeaders FindContentHeaders(HeaderList headers)
    {
        ContentHeaders found = default;
        foreach (Header header in headers)
        {
            int which = header.Field.Length switch
            {
                12 when header.Is("Content-Type") => ContentHeaders.TypeBit,
                25 when header.Is("Content-Transfer-Encoding") => ContentHeaders.EncodingBit,
                19 when header.Is("Content-Disposition") => ContentHeaders.DispositionBit,
                _ => 0,
            };
            if (which == 0)
            {
                continue;
            }

            found.Seen(which, header);
        }

        return found;
    }

    private static Header? FindLast(HeaderList headers, string field, List<MimeDefect> defects)
    {
        Header? found = null;
        foreach (Header header in headers)
        {
            if (header.Is(field))
            {
                if (found is not null)
                {
                    defects.Add(new MimeDefect(MimeDefectKind.DuplicateHeader, $"{field} appears more than once; the last one is used", header.Offset));
                }

                found = header;
            }
        }

        return found;
    }

    private static ContentEncoding ParseEncoding(Header header, List<MimeDefect> defects)
    {
        // The usual value, one line of ASCII naming a known encoding, is read from the bytes without making Value.
        if (header.HasPlainAsciiValue && KnownEncoding(header.RawValueBytes) is { } known)
        {
            return known;
        }

        string value = header.Value.Trim();
        int end = value.AsSpan().IndexOfAny(" \t;(");
        string token = (end >= 0 ? value[..end] : value).Trim('"').ToLowerInvariant();
        switch (token)
        {
            case "7bit":
                return ContentEncoding.SevenBit;
            case "8bit":
                return ContentEncoding.EightBit;
            case "binary":
                return ContentEncoding.Binary;
            case "base64":
                return ContentEncoding.Base64;
            case "quoted-printable":
                return ContentEncoding.QuotedPrintable;
            case "x-uuencode" or "uuencode" or "x-uue" or "uue":
                return ContentEncoding.UuEncode;
            case "":
                return ContentEncoding.Default;
            default:
                defects.Add(new MimeDefect(MimeDefectKind.UnknownTransferEncoding, $"Content-Transfer-Encoding '{ParameterParser.Shorten(value)}' is unknown; content kept as is", header.Offset));
                return ContentEncoding.Unknown;
        }
    }

    /// <summary>
    /// What <see cref="ParseEncoding"/> reads from the ASCII value <paramref name="raw"/> when it is on one line and
    /// names an encoding (or nothing); null otherwise. For ASCII, trimming and lower-casing here are those of strings.
    /// </summary>
    private static ContentEncoding? KnownEncoding(ReadOnlySpan<byte> raw)
    {
        ReadOnlySpan<byte> value = AsciiSpan.TrimWhiteSpace(raw);
        if (value.IndexOfAny((byte)'\r', (byte)'\n') >= 0)
        {
            return null;
        }

        int end = value.IndexOfAny(" \t;("u8);
        ReadOnlySpan<byte> token = (end >= 0 ? value[..end] : value).Trim((byte)'"');
        return token switch
        {
            _ when token.IsEmpty => ContentEncoding.Default,
            _ when Ascii.EqualsIgnoreCase(token, "7bit"u8) => ContentEncoding.SevenBit,
            _ when Ascii.EqualsIgnoreCase(token, "8bit"u8) => ContentEncoding.EightBit,
            _ when Ascii.EqualsIgnoreCase(token, "base64"u8) => ContentEncoding.Base64,
            _ when Ascii.EqualsIgnoreCase(token, "quoted-printable"u8) => ContentEncoding.QuotedPrintable,
            _ when Ascii.EqualsIgnoreCase(token, "binary"u8) => ContentEncoding.Binary,
            _ => null,
        };
    }

    /// <summary>Moves to the next delimiter line (or the end) and returns where the content before it ends.</summary>
    private int ScanToBoundary(int contentStart)
    {
        int next = FindBoundary(_position, out _);
        if (next < 0)
        {
            _position = End;
            return End;
        }

        _position = next;
        return ContentEndBefore(next, contentStart);
    }

    /// <summary>The start of the innermost multipart's next delimiter line at or after <paramref name="from"/>, or -1.</summary>
    private int FindBoundary(int from, out bool close, bool stopAtEnclosing = false)
    {
        close = false;
        if (_levelCount == 0)
        {
            return -1;
        }

        ReadOnlySpan<byte> data = Data;
        int innermost = _levelCount - 1;
        int position = from;
        while (position < data.Length)
        {
            if (IsBoundaryLine(data, position, innermost, out close))
            {
                if (!Warned(innermost, MimeDefectKind.BoundaryWithTrailingText) && !IsStrictDelimiter(position, _levels[innermost].Boundary))
                {
                    Warn(innermost, MimeDefectKind.BoundaryWithTrailingText, "a delimiter line has text after the boundary; strict parsers read it as content", position);
                }

                return position;
            }

            if (stopAtEnclosing || (innermost > 0 && !Warned(innermost, MimeDefectKind.EnclosingBoundaryInPart) && _hazardChecks++ < MaxHazardChecks))
            {
                for (int k = innermost - 1; k >= 0; k--)
                {
                    if (IsBoundaryLine(data, position, k, out _))
                    {
                        if (stopAtEnclosing)
                        {
                            return -1;
                        }

                        Warn(innermost, MimeDefectKind.EnclosingBoundaryInPart, "a delimiter of an enclosing multipart appears inside this one; parsers that honour it split the message differently", position);
                        break;
                    }
                }
            }

            int next = data[position..].IndexOf("\n--"u8);
            if (next < 0)
            {
                return -1;
            }

            position += next + 1;
        }

        return -1;
    }

    private bool Warned(int level, MimeDefectKind kind) => (_levels[level].Warned & (1L << (int)kind)) != 0;

    private void Warn(int level, MimeDefectKind kind, string message, int position)
    {
        _levels[level].Warned |= 1L << (int)kind;
        _levels[level].Owner.Add(new MimeDefect(kind, message, position));
    }

    /// <summary>Whether the line is a delimiter of boundary <paramref name="level"/>: "--" + boundary as a line prefix.</summary>
    private bool IsBoundaryLine(int position, int level, out bool close) => IsBoundaryLine(Data, position, level, out close);

    /// <inheritdoc cref="IsBoundaryLine(int, int, out bool)"/>
    private bool IsBoundaryLine(ReadOnlySpan<byte> data, int position, int level, out bool close)
    {
        close = false;
        ReadOnlySpan<byte> rest = data[position..];
        byte[] boundary = _levels[level].Boundary;
        if (rest.Length < 2 + boundary.Length || rest[0] != '-' || rest[1] != '-' || !rest[2..].StartsWith(boundary))
        {
            return false;
        }

        // With prefix matching, "--b<junk>--" closes too (as in stalwart).
        ReadOnlySpan<byte> tail = rest[(2 + boundary.Length)..];
        int lineEnd = tail.IndexOf((byte)'\n');
        tail = AsciiSpan.TrimEndSpacesTabsAndLineBreaks(lineEnd < 0 ? tail : tail[..lineEnd]);
        close = tail.EndsWith("--"u8);
        return true;
    }

    /// <summary>Whether the delimiter line is exactly "--boundary" or "--boundary--" plus transport padding (RFC 2046).</summary>
    private bool IsStrictDelimiter(int position, byte[] boundary)
    {
        ReadOnlySpan<byte> tail = Data[(position + 2 + boundary.Length)..(LineEnd(position))];
        if (tail.StartsWith("--"u8))
        {
            tail = tail[2..];
        }

        return AsciiSpan.TrimEndSpacesTabsAndLineBreaks(tail).IsEmpty;
    }

    private int ContentEndBefore(int boundaryLine, int contentStart)
    {
        int end = boundaryLine;
        if (end > contentStart && Data[end - 1] == '\n')
        {
            end--;
            if (end > contentStart && Data[end - 1] == '\r')
            {
                end--;
            }
        }

        return end;
    }

    private int LineEnd(int position) => LineEnd(Data, position);

    /// <summary>The position after the line break ending the line at <paramref name="position"/>, or the end.</summary>
    private static int LineEnd(ReadOnlySpan<byte> data, int position)
    {
        int newline = data[position..].IndexOf((byte)'\n');
        return newline < 0 ? data.Length : position + newline + 1;
    }

    private static bool StartsWithHeader(ReadOnlySpan<byte> content)
    {
        int newline = content.IndexOf((byte)'\n');
        ReadOnlySpan<byte> first = newline < 0 ? content : content[..newline];
        if (first.StartsWith("From "u8) && FieldNameEnd(first) < 0 && newline >= 0)
        {
            ReadOnlySpan<byte> rest = content[(newline + 1)..];
            int next = rest.IndexOf((byte)'\n');
            first = next < 0 ? rest : rest[..next];
        }

        return FieldNameEnd(first) > 0;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Length == 0 || line[0] == '\n' || (line[0] == '\r' && (line.Length == 1 || line[1] == '\n'));

    /// <summary>The length of the field name up to its colon, or -1 when the line is not a header.</summary>
    private static int FieldNameEnd(ReadOnlySpan<byte> line) => FieldNameEnd(line, out _);

    /// <summary>
    /// The length of the field name up to its colon, or -1 when the line is not a header; <paramref name="nameLength"/>
    /// is the name without the spaces and tabs the obsolete syntax allows before the colon.
    /// </summary>
    private static int FieldNameEnd(ReadOnlySpan<byte> line, out int nameLength)
    {
        nameLength = 0;
        int colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return -1;
        }

        int length = colon;
        while (length > 0 && line[length - 1] is (byte)' ' or (byte)'\t')
        {
            length--;
        }

        // A name is printable ASCII other than space ('!' to '~'), checked in one vectorised search.
        if (length == 0 || line[..length].IndexOfAnyExceptInRange((byte)'!', (byte)'~') >= 0)
        {
            return -1;
        }

        nameLength = length;
        return colon;
    }
}

/// <summary>An enclosing multipart while its children are read (see <see cref="MimeReader"/>).</summary>
internal struct BoundaryLevel(byte[] boundary, List<MimeDefect> owner)
{
    public readonly byte[] Boundary = boundary;

    public readonly List<MimeDefect> Owner = owner;

    /// <summary>The <see cref="MimeDefectKind"/>s already reported for this level, one bit each.</summary>
    public long Warned;
}

/// <summary>What <see cref="MimeReader"/> finds of an entity's Content-* headers in one walk.</summary>
internal struct ContentHeaders
{
    public const int TypeBit = 1;
    public const int EncodingBit = 2;
    public const int DispositionBit = 4;

    private int _seen;
    private int _repeated;

    public Header? Type { get; private set; }

    public Header? Encoding { get; private set; }

    public Header? Disposition { get; private set; }

    public readonly bool Repeated(int which) => (_repeated & which) != 0;

    public void Seen(int which, Header header)
    {
        _repeated |= _seen & which;
        _seen |= which;
        switch (which)
        {
            case TypeBit:
                Type = header;
                break;
            case EncodingBit:
                Encoding = header;
                break;
            default:
                Disposition = header;
                break;
        }
    }
}
