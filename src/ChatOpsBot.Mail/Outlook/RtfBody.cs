using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>What an RTF body holds once read: encapsulated HTML or plain text (MS-OXRTFEX), or native RTF.</summary>
internal enum RtfBodyKind
{
    Html,
    Text,
    NativeRtf,
}

/// <summary>The body extracted from RTF; for native RTF, its visible text (field instructions such as HYPERLINK kept).</summary>
internal sealed record RtfBodyContent(RtfBodyKind Kind, string Content);

/// <summary>
/// Reads an RTF body: de-encapsulates the HTML or plain text that Outlook wraps in RTF (<c>\fromhtml1</c>,
/// <c>\fromtext</c>; MS-OXRTFEX), else extracts the visible text of native RTF. One pass, no recursion, output no
/// longer than the input; groups nested beyond a limit are skipped.
/// </summary>
internal static class RtfBody
{
    public const int MaxGroupDepth = 256;

    private const int HeaderScanBytes = 4096;

    private static readonly HashSet<string> s_destinations = new(StringComparer.Ordinal)
    {
        "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "header", "footer", "headerl", "headerr",
        "headerf", "footerl", "footerr", "footerf", "listtable", "listoverridetable", "rsidtbl", "generator",
        "xmlnstbl", "themedata", "colorschememapping", "datastore", "latentstyles", "filetbl", "revtbl", "pgdsctbl",
        "mmathPr",
    };

    public static RtfBodyContent Extract(ReadOnlySpan<byte> rtf)
    {
        ReadOnlySpan<byte> head = rtf[..Math.Min(rtf.Length, HeaderScanBytes)];
        RtfBodyKind kind = head.IndexOf("\\fromhtml"u8) >= 0 ? RtfBodyKind.Html
            : head.IndexOf("\\fromtext"u8) >= 0 ? RtfBodyKind.Text
            : RtfBodyKind.NativeRtf;
        return new RtfBodyContent(kind, new Reader(rtf, kind).Run());
    }

    private struct Group
    {
        public bool Skip;
        public bool HtmlTag;
        public bool Suppress;
        public int UnicodeSkip;
    }

    private ref struct Reader
    {
        private readonly ReadOnlySpan<byte> _rtf;
        private readonly RtfBodyKind _kind;
        private readonly StringBuilder _output;
        private readonly List<byte> _pendingBytes;
        private readonly Stack<Group> _groups;
        private Group _current;
        private int _overflow;
        private int _skipChars;
        private bool _groupStart;
        private bool _starred;
        private Encoding _codePage;
        private int _at;

        public Reader(ReadOnlySpan<byte> rtf, RtfBodyKind kind)
        {
            _rtf = rtf;
            _kind = kind;
            _output = new StringBuilder(Math.Min(rtf.Length, 1 << 20));
            _pendingBytes = [];
            _groups = new Stack<Group>();
            _current = new Group { UnicodeSkip = 1 };
            _codePage = Charsets.Windows1252;
        }

        public string Run()
        {
            while (_at < _rtf.Length)
            {
                byte b = _rtf[_at++];
                switch (b)
                {
                    case (byte)'{':
                        FlushBytes();
                        if (_groups.Count >= MaxGroupDepth)
                        {
                            _overflow++;
                        }
                        else
                        {
                            _groups.Push(_current);
                            _groupStart = true;
                            _starred = false;
                        }

                        break;
                    case (byte)'}':
                        FlushBytes();
                        if (_overflow > 0)
                        {
                            _overflow--;
                        }
                        else if (_groups.Count > 0)
                        {
                            _current = _groups.Pop();
                        }

                        _groupStart = false;
                        break;
                    case (byte)'\\':
                        ControlSequence();
                        break;
                    case (byte)'\r' or (byte)'\n' or 0:
                        break;
                    default:
                        _groupStart = false;
                        Byte(b);
                        break;
                }
            }

            FlushBytes();
            return _output.ToString();
        }

        private readonly bool Emitting =>
            _overflow == 0 && !_current.Skip && (_kind == RtfBodyKind.NativeRtf || _current.HtmlTag || !_current.Suppress);

        private void ControlSequence()
        {
            if (_at >= _rtf.Length)
            {
                return;
            }

            byte next = _rtf[_at];
            if (!IsLetter(next))
            {
                _at++;
                ControlSymbol(next);
                return;
            }

            int start = _at;
            while (_at < _rtf.Length && IsLetter(_rtf[_at]) && _at - start < 32)
            {
                _at++;
            }

            string word = Encoding.ASCII.GetString(_rtf[start.._at]);
            int? parameter = null;
            bool negative = _at < _rtf.Length && _rtf[_at] == '-';
            int digitsStart = negative ? _at + 1 : _at;
            int end = digitsStart;
            long value = 0;
            while (end < _rtf.Length && _rtf[end] is >= (byte)'0' and <= (byte)'9' && end - digitsStart < 10)
            {
                value = (value * 10) + (_rtf[end] - '0');
                end++;
            }

            if (end > digitsStart)
            {
                _at = end;
                parameter = (int)Math.Clamp(negative ? -value : value, int.MinValue, int.MaxValue);
            }

            if (_at < _rtf.Length && _rtf[_at] == ' ')
            {
                _at++; // the delimiting space belongs to the control word
            }

            ControlWord(word, parameter);
        }

        private void ControlSymbol(byte symbol)
        {
            switch (symbol)
            {
                case (byte)'\'':
                    if (_at + 2 <= _rtf.Length && HexValue(_rtf[_at]) is int high && HexValue(_rtf[_at + 1]) is int low)
                    {
                        _at += 2;
                        _groupStart = false;
                        Byte((byte)((high << 4) | low));
                    }

                    break;
                case (byte)'*':
                    _starred = _groupStart;
                    break;
                case (byte)'\\' or (byte)'{' or (byte)'}':
                    _groupStart = false;
                    Byte(symbol);
                    break;
                case (byte)'~':
                    Text("\u00A0");
                    break;
                case (byte)'_':
                    Text("-");
                    break;
                case (byte)'\r' or (byte)'\n':
                    Text("\r\n");
                    break;
                default:
                    _groupStart = false;
                    break;
            }
        }

        private void ControlWord(string word, int? parameter)
        {
            if (_groupStart)
            {
                _groupStart = false;
                if (word == "htmltag" && _starred)
                {
                    _current.HtmlTag = _kind == RtfBodyKind.Html;
                    _current.Skip = _kind != RtfBodyKind.Html;
                    return;
                }

                if (_starred)
                {
                    // Unknown or optional destinations are skipped; in native RTF a field instruction is kept because
                    // it carries the link target (HYPERLINK "https://...").
                    _current.Skip = !(word == "fldinst" && _kind == RtfBodyKind.NativeRtf);
                    return;
                }

                if (s_destinations.Contains(word))
                {
                    _current.Skip = true;
                    return;
                }
            }

            switch (word)
            {
                case "htmlrtf":
                    FlushBytes();
                    _current.Suppress = parameter is null or not 0;
                    break;
                case "par" or "line" or "sect" or "row":
                    Text("\r\n");
                    break;
                case "tab" or "cell":
                    Text("\t");
                    break;
                case "lquote":
                    Text("\u2018");
                    break;
                case "rquote":
                    Text("\u2019");
                    break;
                case "ldblquote":
                    Text("\u201C");
                    break;
                case "rdblquote":
                    Text("\u201D");
                    break;
                case "bullet":
                    Text("\u2022");
                    break;
                case "endash":
                    Text("\u2013");
                    break;
                case "emdash":
                    Text("\u2014");
                    break;
                case "u" when parameter is int code:
                    Text(((char)(code & 0xFFFF)).ToString()); // negative values stand for code points above 32767
                    _skipChars = _current.UnicodeSkip;
                    break;
                case "uc":
                    _current.UnicodeSkip = Math.Clamp(parameter ?? 1, 0, 16);
                    break;
                case "ansicpg" when parameter is int codePage:
                    _codePage = CodePages.Get(codePage) ?? _codePage;
                    break;
                case "bin" when parameter is int length:
                    FlushBytes();
                    _at = (int)Math.Min(_rtf.Length, _at + (long)Math.Max(0, length));
                    break;
                default:
                    break;
            }
        }

        private void Byte(byte value)
        {
            if (_skipChars > 0)
            {
                _skipChars--;
                return;
            }

            if (Emitting)
            {
                _pendingBytes.Add(value);
            }
        }

        private void Text(string text)
        {
            FlushBytes();
            _groupStart = false;
            if (Emitting)
            {
                _output.Append(text);
            }
        }

        private void FlushBytes()
        {
            if (_pendingBytes.Count == 0)
            {
                return;
            }

            _output.Append(_codePage.GetString([.. _pendingBytes]));
            _pendingBytes.Clear();
        }

        private static bool IsLetter(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z';

        private static int? HexValue(byte b) => b switch
        {
            >= (byte)'0' and <= (byte)'9' => b - '0',
            >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
            _ => null,
        };
    }
}
