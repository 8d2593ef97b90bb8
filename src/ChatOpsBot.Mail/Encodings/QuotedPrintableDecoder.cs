using System.Buffers;

namespace ChatOpsBot.Mail;

/// <summary>
/// Tolerant quoted-printable: soft breaks with CRLF, LF or trailing whitespace, lower-case hex, a bare <c>=</c> kept
/// literally; trailing whitespace on a line is transport padding and removed (RFC 2045 §6.7).
/// </summary>
internal sealed class QuotedPrintableDecoder(long baseOffset) : TransferDecoder(baseOffset)
{
    private const int MaxPendingWhitespace = 1024;

    // The bytes that end a run of text: an escape or a line break. Spaces and tabs inside a run are text; only those
    // at its end may be padding (when a line break follows), so they alone are held back.
    private static readonly SearchValues<byte> s_special = SearchValues.Create("=\r\n"u8);

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
                // A run of text is copied as a whole, after the whitespace pending before it (which is what copying it
                // byte by byte did), except the spaces and tabs it ends with: they are held back as pending whitespace.
                int run = input[i..].IndexOfAny(s_special);
                int length = run < 0 ? input.Length - i : run;
                if (length > 0)
                {
                    ReadOnlySpan<byte> text = input.Slice(i, length);
                    int kept = AsciiSpan.TrimEndSpacesAndTabs(text).Length;
                    if (kept > 0)
                    {
                        written += FlushWhitespace(output[written..]);
                        text[..kept].CopyTo(output[written..]);
                        written += kept;
                    }

                    foreach (byte pending in text[kept..])
                    {
                        if (_whitespaceCount == MaxPendingWhitespace)
                        {
                            written += FlushWhitespace(output[written..]);
                        }

                        AddWhitespace(pending);
                    }

                    i += length;
                    if (i == input.Length)
                    {
                        break;
                    }
                }
            }

            byte b = input[i];
            if (_state == State.Text && b == '=' && i + 2 < input.Length)
            {
                // The common escapes, whole inside this input, are decoded here rather than one state per byte:
                // "=XX", and a soft break "=\r\n" or "=\n" (the states below produce the same for them).
                byte next = input[i + 1];
                if (HexValue(next) is int high and >= 0 && HexValue(input[i + 2]) is int low and >= 0)
                {
                    written += FlushWhitespace(output[written..]);
                    output[written++] = (byte)((high << 4) | low);
                    i += 2;
                    continue;
                }

                if (next == '\n' || (next == '\r' && input[i + 2] == '\n'))
                {
                    written += FlushWhitespace(output[written..]);
                    i += next == '\n' ? 1 : 2;
                    continue;
                }
            }

            switch (_state)
            {
                case State.Text:
                    if (b == '=')
                    {
                        written += FlushWhitespace(output[written..]);
                        _state = State.Equals;
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
        if (count == 0)
        {
            return 0;
        }

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
