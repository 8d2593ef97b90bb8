using System.Buffers;

namespace ChatOpsBot.Mail;

/// <summary>
/// Tolerant quoted-printable: soft breaks with CRLF, LF or trailing whitespace, lower-case hex, a bare <c>=</c> kept
/// literally; trailing whitespace on a line is transport padding and removed (RFC 2045 §6.7).
/// </summary>
internal sealed class QuotedPrintableDecoder(long baseOffset) : TransferDecoder(baseOffset)
{
    private const int MaxPendingWhitespace = 1024;

    // The bytes the text state treats specially; every other byte is copied as it is.
    private static readonly SearchValues<byte> s_special = SearchValues.Create("= \t\r\n"u8);

    // Pending whitespace is held inline (a decoder per text part is common); only a longer run moves to an array.
    private const int InlineWhitespace = 32;

    private InlineWhitespaceBuffer _inlineWhitespace;
    private byte[]? _longWhitespace;
    private int _whitespaceCount;
    private State _state;
    private byte _firstHex;

    private enum State
    {
        Text,
        Equals,
        EqualsWhitespace,
        EqualsCarriageReturn,
        FirstHex,
    }

    public override int EstimateLength(ReadOnlySpan<byte> input) => input.Length + 2;

    public override int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int written = 0;
        for (int i = 0; i < input.Length; i++)
        {
            if (_state == State.Text)
            {
                // A run of ordinary bytes is copied as a whole, after the whitespace pending before it (which is
                // what copying it byte by byte did).
                int run = input[i..].IndexOfAny(s_special);
                int length = run < 0 ? input.Length - i : run;
                if (length > 0)
                {
                    written += FlushWhitespace(output[written..]);
                    input.Slice(i, length).CopyTo(output[written..]);
                    written += length;
                    i += length;
                    if (i == input.Length)
                    {
                        break;
                    }
                }
            }

            byte b = input[i];
            switch (_state)
            {
                case State.Text:
                    if (b == '=')
                    {
                        written += FlushWhitespace(output[written..]);
                        _state = State.Equals;
                    }
                    else if (b is (byte)' ' or (byte)'\t' && WhitespaceRunBeforeText(input[i..]) is int run and > 0)
                    {
                        // Whitespace with more text after it on the line is kept (only padding before a line break
                        // goes): written out at once, after what was pending, as adding and flushing it would.
                        written += FlushWhitespace(output[written..]);
                        input.Slice(i, run).CopyTo(output[written..]);
                        written += run;
                        i += run - 1;
                    }
                    else if (b is (byte)' ' or (byte)'\t')
                    {
                        if (_whitespaceCount == MaxPendingWhitespace)
                        {
                            written += FlushWhitespace(output[written..]);
                        }

                        AddWhitespace(b);
                    }
                    else if (b is (byte)'\r' or (byte)'\n')
                    {
                        _whitespaceCount = 0;
                        output[written++] = b;
                    }
                    else
                    {
                        written += FlushWhitespace(output[written..]);
                        output[written++] = b;
                    }

                    break;
                case State.Equals:
                    if (HexValue(b) >= 0)
                    {
                        _firstHex = b;
                        _state = State.FirstHex;
                    }
                    else if (b == '\r')
                    {
                        _state = State.EqualsCarriageReturn;
                    }
                    else if (b == '\n')
                    {
                        _state = State.Text;
                    }
                    else if (b is (byte)' ' or (byte)'\t')
                    {
                        AddWhitespace(b);
                        _state = State.EqualsWhitespace;
                    }
                    else
                    {
                        Report(MimeDefectKind.InvalidQuotedPrintable, "'=' is not followed by two hex digits or a line break", Consumed + i - 1);
                        output[written++] = (byte)'=';
                        _state = State.Text;
                        i--;
                    }

                    break;
                case State.EqualsWhitespace:
                    if (b is (byte)'\r' or (byte)'\n')
                    {
                        // "=" plus padding before the line break is still a soft break.
                        _whitespaceCount = 0;
                        _state = b == '\r' ? State.EqualsCarriageReturn : State.Text;
                    }
                    else if (b is (byte)' ' or (byte)'\t' && _whitespaceCount < MaxPendingWhitespace)
                    {
                        AddWhitespace(b);
                    }
                    else
                    {
                        Report(MimeDefectKind.InvalidQuotedPrintable, "'=' is followed by whitespace and text", Consumed + i);
                        output[written++] = (byte)'=';
                        written += FlushWhitespace(output[written..]);
                        _state = State.Text;
                        i--;
                    }

                    break;
                case State.EqualsCarriageReturn:
                    _state = State.Text;
                    if (b != '\n')
                    {
                        i--;
                    }

                    break;
                case State.FirstHex:
                    if (HexValue(b) is int low and >= 0)
                    {
                        output[written++] = (byte)((HexValue(_firstHex) << 4) | low);
                        _state = State.Text;
                    }
                    else
                    {
                        Report(MimeDefectKind.InvalidQuotedPrintable, "'=' is followed by only one hex digit", Consumed + i - 2);
                        output[written++] = (byte)'=';
                        output[written++] = _firstHex;
                        _state = State.Text;
                        i--;
                    }

                    break;
            }
        }

        Consumed += input.Length;
        return written;
    }

    public override int Flush(Span<byte> output)
    {
        // A final '=' is a soft break with nothing after it; trailing whitespace at the end is padding.
        int written = 0;
        if (_state == State.FirstHex)
        {
            output[written++] = (byte)'=';
            output[written++] = _firstHex;
        }

        _state = State.Text;
        _whitespaceCount = 0;
        return written;
    }

    /// <summary>
    /// The length of the spaces and tabs that <paramref name="rest"/> starts with when text other than a line break
    /// follows them in this input; 0 when they reach the end of the input or a CR or LF.
    /// </summary>
    private static int WhitespaceRunBeforeText(ReadOnlySpan<byte> rest)
    {
        int run = rest.IndexOfAnyExcept((byte)' ', (byte)'\t');
        return run > 0 && rest[run] is not ((byte)'\r' or (byte)'\n') ? run : 0;
    }

    private void AddWhitespace(byte b)
    {
        if (_whitespaceCount < InlineWhitespace)
        {
            _inlineWhitespace[_whitespaceCount++] = b;
            return;
        }

        if (_longWhitespace is null)
        {
            _longWhitespace = new byte[MaxPendingWhitespace];
            ((ReadOnlySpan<byte>)_inlineWhitespace).CopyTo(_longWhitespace);
        }
        else if (_whitespaceCount == InlineWhitespace)
        {
            // A previous long run left the array in use: this run's first bytes are still inline.
            ((ReadOnlySpan<byte>)_inlineWhitespace).CopyTo(_longWhitespace);
        }

        _longWhitespace[_whitespaceCount++] = b;
    }

    private int FlushWhitespace(Span<byte> output)
    {
        int count = _whitespaceCount;
        ReadOnlySpan<byte> pending = count <= InlineWhitespace ? _inlineWhitespace : _longWhitespace;
        pending[..count].CopyTo(output);
        _whitespaceCount = 0;
        return count;
    }

    [System.Runtime.CompilerServices.InlineArray(InlineWhitespace)]
    private struct InlineWhitespaceBuffer
    {
        private byte _first;
    }

    private static int HexValue(byte b) => Rfc2047.HexValue((char)b);
}
