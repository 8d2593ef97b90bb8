using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>
/// Streams a TTP log export through one pooled buffer and feeds each record to a <see cref="TtpMetricsAccumulator"/>.
/// The structure around records (the top-level array, Mimecast pages, their <c>data</c> and log lists) is a resumable
/// state machine of <see cref="Frame"/>s; every step in it (one record, one page member, one comma) is parsed in one go
/// from its start and simply re-parsed after a refill when the buffer ended inside it. So the buffer only has to hold
/// one such unit, and it grows only for a unit larger than itself, up to <see cref="TtpLogLimits.MaxRecordBytes"/>.
/// </summary>
internal sealed partial class TtpLogReader : IDisposable
{
    private const int MaxFrames = 8;
    private const int MaxFailureChars = 300;

    private readonly Func<byte[], int, int, int> _read;
    private readonly TtpLogLimits _limits;
    private readonly TtpMetricsAccumulator _accumulator;
    private readonly Frame[] _frames = new Frame[MaxFrames];
    private byte[] _buffer;
    private int _length;

    // The most of the buffer ever filled: what is cleared before the buffer goes back to the shared pool, so the log's
    // addresses and URLs do not outlive the analysis there.
    private int _filled;
    private int _position;
    private bool _endOfInput;
    private int _frameCount;
    private InputLayout _layout;
    private bool _arrayClosed;

    // Newlines before _lineScanPosition (in buffer coordinates), counted lazily; and the column at buffer start.
    private long _linesBeforeScanPosition;
    private int _lineScanPosition;
    private long _columnAtBufferStart;
    private long _currentTopLine;

    // Unescaped copies of the current record's escaped strings (rare in exports).
    private byte[] _escapeArena = [];
    private int _escapeArenaUsed;

    // Absolute input offset of _buffer[0]; and, for the first of two parallel segments, where the second one starts.
    private long _bufferStart;
    private long _handOffAt = -1;
    private bool _handedOff;
    private Func<bool>? _cancelled;

    /// <param name="read">Reads into (buffer, offset, count) like <see cref="Stream.Read(byte[], int, int)"/>.</param>
    public TtpLogReader(Func<byte[], int, int, int> read, TtpLogLimits limits, TtpMetricsAccumulator accumulator)
    {
        _read = read;
        _limits = limits;
        _accumulator = accumulator;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(16, limits.BufferBytes));
    }

    internal enum InputLayout : byte
    {
        Array,
        ObjectStream,
    }

    private enum FrameKind : byte
    {
        Root,
        TopArray,
        Page,
        PageData,
        PageDataItem,
        LogArray,
        FailArray,
    }

    /// <summary>Where a container frame is between its members.</summary>
    private enum FrameState : byte
    {
        First,
        AfterMember,
        AfterComma,
    }

    private enum ContainerStep : byte
    {
        NeedMoreData,
        Comma,
        Close,
        Member,
    }

    private enum RecordOutcome : byte
    {
        Committed,
        NeedMoreData,
        IsPage,
    }

    public void Dispose()
    {
        _buffer.AsSpan(0, Math.Min(_filled, _buffer.Length)).Clear();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    /// <summary>Reads a whole input from its first byte.</summary>
    public void ReadAll()
    {
        Run(() =>
        {
            DetectLayout();
            _frames[0] = new Frame { Kind = FrameKind.Root };
            _frameCount = 1;
        });
    }

    /// <summary>
    /// Reads from its first byte until the top-level entry starting at input offset <paramref name="handOffAt"/>, and
    /// stops there if that offset is indeed where an entry starts (see <see cref="ParallelTtpLogAnalysis"/>).
    /// </summary>
    /// <returns>Whether it stopped there; if not, it read the whole input.</returns>
    public bool ReadUntilHandOff(long handOffAt)
    {
        _handOffAt = handOffAt;
        ReadAll();
        return _handedOff;
    }

    /// <summary>Reads the rest of the input after <see cref="ReadUntilHandOff"/> stopped.</summary>
    public void ReadRest()
    {
        _handOffAt = -1;
        _handedOff = false;
        Run(() => { });
    }

    /// <summary>
    /// Reads a second segment of an input of <paramref name="layout"/>, starting at a top-level entry after a comma (array)
    /// or between values (object stream). Its positions in messages are relative to the segment, so an error here is
    /// only trusted as "there is an error"; the caller re-reads the segment sequentially to report it.
    /// </summary>
    public void ReadSegment(InputLayout layout, Func<bool> cancelled)
    {
        _cancelled = cancelled;
        Run(() =>
        {
            _layout = layout;
            _frames[0] = new Frame { Kind = FrameKind.Root };
            _frames[1] = new Frame { Kind = FrameKind.TopArray, State = FrameState.AfterComma };
            _frameCount = layout == InputLayout.Array ? 2 : 1;
            Fill();
        });
    }

    private void Run(Action start)
    {
        try
        {
            start();
            while (true)
            {
                RunSteps();
                if (_handedOff)
                {
                    return;
                }

                if (_endOfInput)
                {
                    if (IsComplete())
                    {
                        return;
                    }

                    throw Error("the file ends in the middle of the JSON (truncated export?)");
                }

                if (_position == 0 && _length == _buffer.Length)
                {
                    GrowBuffer();
                }
                else
                {
                    ConsumeBuffered();
                }

                if (_cancelled?.Invoke() == true)
                {
                    throw new OperationCanceledException();
                }

                Fill();
            }
        }
        catch (JsonSyntaxException ex)
        {
            (long line, long column) = LineAndColumn(ex.Position);
            throw new InvalidInputException($"invalid JSON at line {line}, column {column} ({Where()}): {ex.Message}");
        }
    }

    /// <summary>
    /// Called where a top-level entry starts at buffer <paramref name="position"/>: stops there if that is the hand-off
    /// offset, and gives up the hand-off once past it (the second segment did not start at an entry after all).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool StopsForHandOff(int position)
    {
        if (_handOffAt < 0)
        {
            return false;
        }

        long offset = _bufferStart + position;
        if (offset == _handOffAt)
        {
            _position = position;
            _handedOff = true;
            return true;
        }

        if (offset > _handOffAt)
        {
            _handOffAt = -1;
        }

        return false;
    }

    /// <summary>Runs steps until one needs more data than is buffered.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunSteps()
    {
        while (true)
        {
            ref Frame frame = ref _frames[_frameCount - 1];
            bool progressed = frame.Kind switch
            {
                FrameKind.Root => StepRoot(),
                FrameKind.TopArray => StepTopArray(ref frame),
                FrameKind.Page => StepObjectMember(ref frame),
                FrameKind.PageDataItem => StepObjectMember(ref frame),
                _ => StepListElement(ref frame),
            };
            if (!progressed || _handedOff)
            {
                return;
            }
        }
    }

    private bool IsComplete()
    {
        ReadOnlySpan<byte> rest = _buffer.AsSpan(_position, _length - _position);
        bool betweenValues = _layout == InputLayout.Array ? _arrayClosed : _frameCount == 1;
        return betweenValues && JsonScan.SkipWhitespace(rest, 0) == rest.Length;
    }

    private bool StepRoot()
    {
        ReadOnlySpan<byte> data = _buffer.AsSpan(0, _length);
        int position = JsonScan.SkipWhitespace(data, _position);
        _position = position;
        if (position >= data.Length)
        {
            return false;
        }

        if (_layout == InputLayout.Array)
        {
            if (_arrayClosed)
            {
                throw new JsonSyntaxException(position, "unexpected data after the JSON array");
            }

            _position = position + 1;
            return Push(new Frame { Kind = FrameKind.TopArray });
        }

        if (StopsForHandOff(position))
        {
            return false;
        }

        _currentTopLine = LineAt(position);
        byte first = data[position];
        if (first != (byte)'{')
        {
            throw IsValueStart(first)
                ? Error($"expected a JSON object, got {DescribeValueStart(first)}")
                : new JsonSyntaxException(position, $"expected a JSON object, got {JsonScan.DescribeByte(first)}");
        }

        return StepTopLevelObject(data, position, topArray: null);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool StepTopArray(ref Frame frame)
    {
        ReadOnlySpan<byte> data = _buffer.AsSpan(0, _length);
        switch (NextInContainer(data, ref frame, (byte)']', "expected ',' or ']' after a log entry", out int position))
        {
            case ContainerStep.NeedMoreData:
                return false;
            case ContainerStep.Comma:
                return true;
            case ContainerStep.Close:
                _frameCount--;
                _arrayClosed = true;
                return true;
            default:
                break;
        }

        byte next = data[position];
        if (next != (byte)'{')
        {
            throw IsValueStart(next)
                ? Error($"expected an object, got {DescribeValueStart(next)}")
                : new JsonSyntaxException(position, $"expected a log entry, got {JsonScan.DescribeByte(next)}");
        }

        if (frame.State == FrameState.AfterComma && StopsForHandOff(position))
        {
            return false;
        }

        return StepTopLevelObject(data, position, topArray: _frameCount - 1);
    }

    /// <summary>
    /// The start every container step shares: skips whitespace, takes the ',' after a member, and tells whether the
    /// next byte closes the container (consumed) or starts a member (at <paramref name="position"/>, not consumed).
    /// </summary>
    /// <param name="expectedAfterMember">The error text for anything but ',' or <paramref name="close"/> after a member.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ContainerStep NextInContainer(ReadOnlySpan<byte> data, ref Frame frame, byte close, string expectedAfterMember, out int position)
    {
        position = JsonScan.SkipWhitespace(data, _position);
        _position = position;
        if (position >= data.Length)
        {
            return ContainerStep.NeedMoreData;
        }

        byte next = data[position];
        if (frame.State == FrameState.AfterMember)
        {
            if (next == (byte)',')
            {
                frame.State = FrameState.AfterComma;
                _position = position + 1;
                return ContainerStep.Comma;
            }

            if (next != close)
            {
                throw UnexpectedAfterMember(position, expectedAfterMember, next);
            }
        }

        if (next == close && frame.State != FrameState.AfterComma)
        {
            _position = position + 1;
            return ContainerStep.Close;
        }

        return ContainerStep.Member;
    }

    // Out of line so that the message formatting is not inlined into every step.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static JsonSyntaxException UnexpectedAfterMember(int position, string expected, byte got) =>
        new(position, $"{expected}, got {JsonScan.DescribeByte(got)}");

    /// <summary>A top-level object: a record, unless it turns out to be a Mimecast page.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool StepTopLevelObject(ReadOnlySpan<byte> data, int position, int? topArray)
    {
        switch (ParseRecord(data, position, source: null, out int end))
        {
            case RecordOutcome.Committed:
                _position = end;
                if (topArray is { } index)
                {
                    _frames[index].Index++;
                    _frames[index].State = FrameState.AfterMember;
                }

                return true;
            case RecordOutcome.NeedMoreData:
                return false;
            default:
                _position = position + 1;
                return Push(new Frame { Kind = FrameKind.Page });
        }
    }

    /// <summary>One member of a page object or of a page's <c>data</c> item, or the closing brace.</summary>
    private bool StepObjectMember(ref Frame frame)
    {
        ReadOnlySpan<byte> data = _buffer.AsSpan(0, _length);
        switch (NextInContainer(data, ref frame, (byte)'}', "expected ',' or '}'", out int position))
        {
            case ContainerStep.NeedMoreData:
                return false;
            case ContainerStep.Comma:
                return true;
            case ContainerStep.Close:
                return CloseObjectFrame(ref frame);
            default:
                break;
        }

        byte next = data[position];
        if (next != (byte)'"')
        {
            throw new JsonSyntaxException(position, $"expected a property name, got {JsonScan.DescribeByte(next)}");
        }

        int nameEnd = JsonScan.ScanString(data, position + 1, out bool escaped);
        if (nameEnd < 0)
        {
            return false;
        }

        RecordField field = IdentifyField(data[(position + 1)..nameEnd], escaped);
        int valueStart = JsonScan.SkipWhitespace(data, nameEnd + 1);
        if (valueStart >= data.Length)
        {
            return false;
        }

        if (data[valueStart] != (byte)':')
        {
            throw new JsonSyntaxException(valueStart, $"expected ':' after a property name, got {JsonScan.DescribeByte(data[valueStart])}");
        }

        valueStart = JsonScan.SkipWhitespace(data, valueStart + 1);
        if (valueStart >= data.Length)
        {
            return false;
        }

        FrameKind? list = (frame.Kind, field) switch
        {
            (FrameKind.Page, RecordField.Data) => FrameKind.PageData,
            (FrameKind.Page, RecordField.Fail) => FrameKind.FailArray,
            (FrameKind.PageDataItem, RecordField.ClickLogs or RecordField.AttachmentLogs or RecordField.ImpersonationLogs) => FrameKind.LogArray,
            _ => null,
        };
        if (list is not { } listKind)
        {
            int end = JsonScan.SkipValue(data, valueStart, _frameCount);
            if (end < 0)
            {
                return false;
            }

            _position = end;
            frame.State = FrameState.AfterMember;
            return true;
        }

        RecordSource source = field switch
        {
            RecordField.AttachmentLogs => RecordSource.AttachmentLog,
            RecordField.ImpersonationLogs => RecordSource.ImpersonationLog,
            _ => RecordSource.UrlClickLog,
        };
        if (data[valueStart] != (byte)'[')
        {
            string name = listKind switch
            {
                FrameKind.PageData => "the page's data",
                FrameKind.FailArray => "the page's fail",
                _ => LogListName(source),
            };
            throw Error($"{name} must be a list, got {DescribeValueStart(data[valueStart])}");
        }

        frame.State = FrameState.AfterMember;
        if (listKind == FrameKind.LogArray)
        {
            frame.SawLogs = true;
        }

        _position = valueStart + 1;
        return Push(new Frame { Kind = listKind, Source = source, Index = 0 });
    }

    private bool CloseObjectFrame(ref Frame frame)
    {
        if (frame.Kind == FrameKind.PageDataItem && !frame.SawLogs)
        {
            throw Error("has no clickLogs, attachmentLogs or impersonationLogs list, so this is not a TTP log page");
        }

        _frameCount--;
        ref Frame parent = ref _frames[_frameCount - 1];
        if (parent.Kind is FrameKind.TopArray or FrameKind.PageData)
        {
            parent.Index++;
            parent.State = FrameState.AfterMember;
        }

        return true;
    }

    /// <summary>One element of a page's <c>data</c>, of a log list or of <c>fail</c>, or the closing bracket.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool StepListElement(ref Frame frame)
    {
        ReadOnlySpan<byte> data = _buffer.AsSpan(0, _length);
        switch (NextInContainer(data, ref frame, (byte)']', "expected ',' or ']'", out int position))
        {
            case ContainerStep.NeedMoreData:
                return false;
            case ContainerStep.Comma:
                return true;
            case ContainerStep.Close:
                _frameCount--;
                return true;
            default:
                break;
        }

        byte next = data[position];
        if (next != (byte)'{')
        {
            if (frame.Kind == FrameKind.FailArray)
            {
                return ReportFailure(data, position);
            }

            throw IsValueStart(next)
                ? Error($"expected an object, got {DescribeValueStart(next)}")
                : new JsonSyntaxException(position, $"expected a value, got {JsonScan.DescribeByte(next)}");
        }

        switch (frame.Kind)
        {
            case FrameKind.PageData:
                _position = position + 1;
                return Push(new Frame { Kind = FrameKind.PageDataItem });
            case FrameKind.FailArray:
                return ReportFailure(data, position);
            default:
                if (ParseRecord(data, position, frame.Source, out int recordEnd) == RecordOutcome.NeedMoreData)
                {
                    return false;
                }

                _position = recordEnd;
                frame.Index++;
                frame.State = FrameState.AfterMember;
                return true;
        }
    }

    /// <summary>A non-empty <c>fail</c> list means the export holds an error response, not (all of) the logs.</summary>
    private bool ReportFailure(ReadOnlySpan<byte> data, int position)
    {
        int end = JsonScan.SkipValue(data, position, _frameCount);
        if (end < 0)
        {
            return false;
        }

        throw Error($"Mimecast reported a failure: {PrintableText.OneLine(MimecastFailure.Describe(data[position..end]), MaxFailureChars)}");
    }

    private bool Push(Frame frame)
    {
        if (_frameCount == MaxFrames)
        {
            throw Error("the JSON is nested too deeply");
        }

        _frames[_frameCount++] = frame;
        return true;
    }

    private void DetectLayout()
    {
        Fill();
        if (_buffer.AsSpan(0, _length).StartsWith("\uFEFF"u8))
        {
            // The byte-order mark is not part of the JSON; columns on line 1 are counted after it.
            _position = 3;
            ConsumeBuffered();
            _columnAtBufferStart = 0;
            Fill();
        }

        while (true)
        {
            ReadOnlySpan<byte> data = _buffer.AsSpan(0, _length);
            int first = JsonScan.SkipWhitespace(data, 0);
            if (first == data.Length)
            {
                if (_endOfInput)
                {
                    throw new InvalidInputException("the file is empty; expected a JSON array of log entries or JSON objects");
                }

                _position = first;
                ConsumeBuffered();
                Fill();
                continue;
            }

            _layout = data[first] switch
            {
                (byte)'[' => InputLayout.Array,
                (byte)'{' => InputLayout.ObjectStream,
                _ => throw new InvalidInputException(
                    "expected a JSON array of log entries, newline-delimited JSON objects or Mimecast API pages, " +
                    $"but the file starts with {JsonScan.DescribeByte(data[first])}"),
            };
            return;
        }
    }

    /// <summary>Drops the bytes before <see cref="_position"/> from the buffer.</summary>
    private void ConsumeBuffered()
    {
        int consumed = _position;
        ReadOnlySpan<byte> gone = _buffer.AsSpan(0, consumed);
        LineAt(consumed);
        int lastNewline = gone.LastIndexOf((byte)'\n');
        _columnAtBufferStart = lastNewline >= 0 ? consumed - lastNewline - 1 : _columnAtBufferStart + consumed;
        _lineScanPosition = 0;

        _buffer.AsSpan(consumed, _length - consumed).CopyTo(_buffer);
        _length -= consumed;
        _position = 0;
        _bufferStart += consumed;
    }

    private void GrowBuffer()
    {
        if (_buffer.Length >= _limits.MaxRecordBytes)
        {
            throw Error($"a single record or JSON value is larger than {_limits.MaxRecordBytes / 1024:N0} KiB, the limit of this analysis");
        }

        byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, _limits.MaxRecordBytes));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        _buffer.AsSpan(0, _filled).Clear();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
        _filled = _length;
    }

    private void Fill()
    {
        while (!_endOfInput && _length < _buffer.Length)
        {
            int read = _read(_buffer, _length, _buffer.Length - _length);
            if (read == 0)
            {
                _endOfInput = true;
                return;
            }

            _length += read;
            _filled = Math.Max(_filled, _length);
            if (_length >= _buffer.Length / 2)
            {
                return;
            }
        }
    }

    /// <summary>The 1-based line of buffer position <paramref name="position"/>, counting newlines incrementally.</summary>
    private long LineAt(int position)
    {
        if (position >= _lineScanPosition)
        {
            _linesBeforeScanPosition += _buffer.AsSpan(_lineScanPosition, position - _lineScanPosition).Count((byte)'\n');
        }
        else
        {
            _linesBeforeScanPosition -= _buffer.AsSpan(position, _lineScanPosition - position).Count((byte)'\n');
        }

        _lineScanPosition = position;
        return _linesBeforeScanPosition + 1;
    }

    private (long Line, long Column) LineAndColumn(int position)
    {
        position = Math.Clamp(position, 0, _length);
        long line = LineAt(position);
        int lastNewline = _buffer.AsSpan(0, position).LastIndexOf((byte)'\n');
        long column = lastNewline >= 0 ? position - lastNewline : _columnAtBufferStart + position + 1;
        return (line, column);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvalidInputException Error(string problem) => new($"{Where()}: {problem}");

    private string Where()
    {
        var where = new StringBuilder();
        for (int i = 0; i < _frameCount; i++)
        {
            Frame frame = _frames[i];
            switch (frame.Kind)
            {
                case FrameKind.Root when _layout == InputLayout.ObjectStream:
                    where.Append("line ").Append(_currentTopLine);
                    break;
                case FrameKind.TopArray:
                    where.Append("array index ").Append(frame.Index);
                    break;
                case FrameKind.PageData:
                    where.Append(", data[").Append(frame.Index).Append(']');
                    break;
                case FrameKind.LogArray:
                    where.Append('.').Append(LogListName(frame.Source)).Append('[').Append(frame.Index).Append(']');
                    break;
                case FrameKind.FailArray:
                    where.Append(", fail");
                    break;
                default:
                    break;
            }
        }

        if (where.Length > 0)
        {
            return where.ToString();
        }

        return _arrayClosed ? "after the top-level array" : "start of file";
    }

    private static string LogListName(RecordSource source) => source switch
    {
        RecordSource.UrlClickLog => "clickLogs",
        RecordSource.AttachmentLog => "attachmentLogs",
        _ => "impersonationLogs",
    };

    private static bool IsValueStart(byte first) =>
        first is (byte)'{' or (byte)'[' or (byte)'"' or (byte)'-' or (byte)'t' or (byte)'f' or (byte)'n' or (>= (byte)'0' and <= (byte)'9');

    private static string DescribeValueStart(byte first) => first switch
    {
        (byte)'{' => "an object",
        (byte)'[' => "a list",
        (byte)'"' => "a string",
        (byte)'t' or (byte)'f' => "a boolean",
        (byte)'n' => "null",
        _ => "a number",
    };

    private struct Frame
    {
        public FrameKind Kind;
        public FrameState State;
        public RecordSource Source;
        public bool SawLogs;
        public long Index;
    }
}
