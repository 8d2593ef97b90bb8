using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>
/// One pass over a message buffer. Each entity reads its headers, then its body up to the next line that is a
/// boundary of any enclosing multipart (innermost first, so a nested multipart reusing its parent's boundary claims
/// it, and an unclosed one ends where its parent's boundary appears). Bodies are located with a vectorised search for
/// "\n--", so a part is scanned once per enclosing multipart level at most, and depth is bounded.
/// </summary>
internal sealed class MimeReader(ReadOnlyMemory<byte> memory, MimeParserOptions options, ParseBudget budget)
{
    private readonly List<byte[]> _boundaries = [];
    private int _position;

    private ReadOnlySpan<byte> Data => memory.Span;

    private int End => memory.Length;

    public MimeMessage ReadMessage(int depth, List<MimeDefect> messageDefects, bool topLevel)
    {
        ReadOnlyMemory<byte> prologue = ReadOnlyMemory<byte>.Empty;
        if (topLevel)
        {
            int start = _position;
            if (Data[_position..].StartsWith("\uFEFF"u8))
            {
                _position += 3;
            }

            if (Data[_position..].StartsWith("From "u8))
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
        HeaderList headers = ReadHeaders(defects);
        int bodyStart = _position;

        ContentType contentType = defaultType;
        ContentDisposition? disposition = null;
        ContentEncoding encoding = ContentEncoding.Default;
        Header? typeHeader = FindLast(headers, "Content-Type", defects);
        if (typeHeader is not null)
        {
            contentType = ParameterParser.ParseContentType(AddressParser.Unfold(typeHeader.RawValue), defects, typeHeader.Offset);
        }

        Header? encodingHeader = FindLast(headers, "Content-Transfer-Encoding", defects);
        if (encodingHeader is not null)
        {
            encoding = ParseEncoding(encodingHeader, defects);
        }

        Header? dispositionHeader = FindLast(headers, "Content-Disposition", defects);
        if (dispositionHeader is not null)
        {
            disposition = ParameterParser.ParseContentDisposition(AddressParser.Unfold(dispositionHeader.RawValue), defects, dispositionHeader.Offset);
        }

        EntityHead head = new(headers, contentType, disposition, encoding, offset, bodyStart, depth, defects);
        if (contentType.MediaType == "multipart")
        {
            string? boundary = contentType.Boundary;
            if (string.IsNullOrEmpty(boundary))
            {
                defects.Add(new MimeDefect(MimeDefectKind.MissingBoundary, $"{contentType.MimeType} has no boundary; read as text", offset));
                return ReadLeaf(head, asText: true);
            }

            if (depth >= options.MaxDepth)
            {
                defects.Add(new MimeDefect(MimeDefectKind.NestingTooDeep, $"nesting deeper than {options.MaxDepth}; the multipart is kept unparsed", offset));
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
            if (depth >= options.MaxDepth)
            {
                defects.Add(new MimeDefect(MimeDefectKind.NestingTooDeep, $"nesting deeper than {options.MaxDepth}; the embedded message is kept unparsed", offset));
                return ReadLeaf(head, asText: false);
            }

            if (budget.Parts >= options.MaxParts)
            {
                defects.Add(new MimeDefect(MimeDefectKind.TooManyParts, $"more than {options.MaxParts} parts; the embedded message is kept unparsed", offset));
                return ReadLeaf(head, asText: false);
            }

            return encoding is ContentEncoding.Base64 or ContentEncoding.QuotedPrintable or ContentEncoding.UuEncode
                ? ReadEncodedMessage(head)
                : ReadEmbeddedMessage(head);
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
        MimeMessage message = ReadMessage(head.Depth + 1, [], topLevel: false);
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
        MimeReader inner = new(decoded, options, budget);
        MimeMessage message = inner.ReadMessage(head.Depth + 1, [], topLevel: false);
        MessagePart part = new(head, message, raw, isDecoded: true);
        part.EndOffset = contentEnd;
        return part;
    }

    private MimeEntity ReadMultipart(EntityHead head, string boundary)
    {
        byte[] marker = Encoding.UTF8.GetBytes(boundary);
        if (_boundaries.Exists(b => b.AsSpan().SequenceEqual(marker)))
        {
            head.Defects.Add(new MimeDefect(MimeDefectKind.BoundaryReused, $"boundary '{ParameterParser.Shorten(boundary)}' is already used by an enclosing multipart", head.Offset));
        }

        int preambleStart = _position;
        _boundaries.Add(marker);
        int level = _boundaries.Count - 1;
        int first = FindBoundary(_position, out int firstLevel, out _);
        if (first < 0 || firstLevel != level)
        {
            _boundaries.RemoveAt(level);
            head.Defects.Add(new MimeDefect(MimeDefectKind.StartBoundaryNotFound, $"boundary '{ParameterParser.Shorten(boundary)}' never appears; read as text", head.Offset));
            return ReadLeaf(head, asText: true);
        }

        int lastEnd = ContentEndBefore(first, preambleStart);
        ReadOnlyMemory<byte> preamble = memory[preambleStart..lastEnd];
        List<MimeEntity> children = [];
        List<ReadOnlyMemory<byte>> delimiters = [];
        ReadOnlyMemory<byte> closeDelimiter = ReadOnlyMemory<byte>.Empty;
        ReadOnlyMemory<byte> epilogue = ReadOnlyMemory<byte>.Empty;
        ContentType childDefault = head.ContentType.MediaSubtype == "digest" ? ContentType.MessageRfc822 : ContentType.TextPlain;
        _position = first;
        bool popped = false;
        while (true)
        {
            if (_position >= End || !IsBoundaryLine(_position, out int matched, out bool close) || matched != level)
            {
                head.Defects.Add(new MimeDefect(MimeDefectKind.CloseBoundaryNotFound, $"the closing boundary '--{ParameterParser.Shorten(boundary)}--' never appears", lastEnd));
                break;
            }

            int lineEnd = LineEnd(_position);
            if (close)
            {
                closeDelimiter = memory[lastEnd..lineEnd];
                _boundaries.RemoveAt(level);
                popped = true;
                _position = lineEnd;
                int epilogueEnd = ScanToBoundary(lineEnd);
                epilogue = memory[lineEnd..epilogueEnd];
                lastEnd = epilogueEnd;
                break;
            }

            if (budget.Parts >= options.MaxParts)
            {
                head.Defects.Add(new MimeDefect(MimeDefectKind.TooManyParts, $"more than {options.MaxParts} parts; the rest of this multipart is kept in its epilogue", _position));
                _boundaries.RemoveAt(level);
                popped = true;
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

        if (!popped)
        {
            _boundaries.RemoveAt(level);
        }

        return new Multipart(head, boundary, preamble, children, delimiters, closeDelimiter, epilogue) { EndOffset = lastEnd };
    }

    private HeaderList ReadHeaders(List<MimeDefect> defects)
    {
        List<Header> headers = [];
        int blockStart = _position;
        int trailerStart = -1;
        bool reportedCount = false;
        bool reportedBlock = false;
        while (_position < End)
        {
            int lineEnd = LineEnd(_position);
            ReadOnlySpan<byte> line = Data[_position..lineEnd];
            if (IsBlank(line))
            {
                _position = lineEnd;
                break;
            }

            if (line[0] == '-' && IsBoundaryLine(_position, out _, out _))
            {
                break;
            }

            int colon = FieldNameEnd(line);
            if (colon < 0)
            {
                defects.Add(new MimeDefect(MimeDefectKind.MissingHeaderBodySeparator, "a line that is not a header ends the header block; it starts the body", _position));
                break;
            }

            int headerStart = _position;
            int headerEnd = lineEnd;
            while (headerEnd < End && Data[headerEnd] is (byte)' ' or (byte)'\t' && !IsBlank(Data[headerEnd..LineEnd(headerEnd)]))
            {
                headerEnd = LineEnd(headerEnd);
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

            if (headerEnd - blockStart > options.MaxHeaderBlockBytes)
            {
                trailerStart = headerStart;
                if (!reportedBlock)
                {
                    defects.Add(new MimeDefect(MimeDefectKind.HeaderBlockTooLarge, $"the header block exceeds {options.MaxHeaderBlockBytes} bytes; the rest are kept raw only", headerStart));
                    reportedBlock = true;
                }

                continue;
            }

            headers.Add(CreateHeader(headerStart, colon, headerEnd, defects));
        }

        int trailerFrom = trailerStart >= 0 ? trailerStart : headers.Count > 0 ? (int)(headers[^1].Offset + headers[^1].RawBytes.Length) : blockStart;
        return new HeaderList(headers, memory[trailerFrom.._position]);
    }

    private Header CreateHeader(int start, int colon, int end, List<MimeDefect> defects)
    {
        ReadOnlySpan<byte> data = Data;
        string field = Encoding.ASCII.GetString(data.Slice(start, colon).TrimEnd(" \t"u8));
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

        string rawValue = Charsets.DecodeHeaderBytes(data[valueStart..valueEnd], out bool invalidUtf8);
        if (invalidUtf8)
        {
            defects.Add(new MimeDefect(MimeDefectKind.InvalidUtf8Header, $"header {ParameterParser.Shorten(field)} has 8-bit bytes that are not UTF-8; read as windows-1252", start));
        }

        string value = AddressParser.Unfold(rawValue).Trim();
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

        return new Header(field, rawValue, value, memory[start..end], start);
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

    /// <summary>Moves to the next boundary line (or the end) and returns where the content before it ends.</summary>
    private int ScanToBoundary(int contentStart)
    {
        int next = FindBoundary(_position, out _, out _);
        if (next < 0)
        {
            _position = End;
            return End;
        }

        _position = next;
        return ContentEndBefore(next, contentStart);
    }

    /// <summary>The start of the first boundary line at or after <paramref name="from"/> (a line start), or -1.</summary>
    private int FindBoundary(int from, out int level, out bool close)
    {
        level = -1;
        close = false;
        if (_boundaries.Count == 0)
        {
            return -1;
        }

        int position = from;
        while (position < End)
        {
            if (IsBoundaryLine(position, out level, out close))
            {
                return position;
            }

            int next = Data[position..].IndexOf("\n--"u8);
            if (next < 0)
            {
                return -1;
            }

            position += next + 1;
        }

        return -1;
    }

    private bool IsBoundaryLine(int position, out int level, out bool close)
    {
        level = -1;
        close = false;
        ReadOnlySpan<byte> rest = Data[position..];
        if (rest.Length < 2 || rest[0] != '-' || rest[1] != '-')
        {
            return false;
        }

        rest = rest[2..];
        for (int k = _boundaries.Count - 1; k >= 0; k--)
        {
            byte[] boundary = _boundaries[k];
            if (!rest.StartsWith(boundary))
            {
                continue;
            }

            ReadOnlySpan<byte> tail = rest[boundary.Length..];
            if (tail.StartsWith("--"u8))
            {
                level = k;
                close = true;
                return true;
            }

            // Transport padding (trailing whitespace) is allowed after a delimiter; anything else is body text.
            int i = 0;
            while (i < tail.Length && tail[i] is (byte)' ' or (byte)'\t' or (byte)'\r')
            {
                i++;
            }

            if (i == tail.Length || tail[i] == '\n')
            {
                level = k;
                return true;
            }
        }

        return false;
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

    private int LineEnd(int position)
    {
        int newline = Data[position..].IndexOf((byte)'\n');
        return newline < 0 ? End : position + newline + 1;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Length == 0 || line[0] == '\n' || (line[0] == '\r' && (line.Length == 1 || line[1] == '\n'));

    /// <summary>The length of the field name up to its colon, or -1 when the line is not a header.</summary>
    private static int FieldNameEnd(ReadOnlySpan<byte> line)
    {
        int colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return -1;
        }

        ReadOnlySpan<byte> name = line[..colon].TrimEnd(" \t"u8);
        if (name.IsEmpty)
        {
            return -1;
        }

        foreach (byte b in name)
        {
            if (b is <= 32 or >= 127)
            {
                return -1;
            }
        }

        return colon;
    }
}
