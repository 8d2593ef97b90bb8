using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>
/// uuencode (<c>begin 644 name</c>, length-prefixed lines, <c>end</c>), as a transfer encoding and for blocks
/// embedded in text parts.
/// </summary>
internal sealed class UuDecoder(long baseOffset) : TransferDecoder(baseOffset)
{
    // uuencoded lines are at most 62 characters; anything longer is junk and only its start matters.
    private const int MaxLine = 256;

    private readonly byte[] _line = new byte[MaxLine];
    private int _lineLength;
    private bool _lineOverflow;
    private Phase _phase;

    private enum Phase
    {
        BeforeBegin,
        Data,
        Done,
    }

    public override int EstimateLength(ReadOnlySpan<byte> input) => (input.Length * 3 / 4) + 64;

    public override int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int written = 0;
        foreach (byte b in input)
        {
            if (b == '\n')
            {
                written += DecodeLine(output[written..]);
                _lineLength = 0;
                _lineOverflow = false;
            }
            else if (_lineLength < MaxLine)
            {
                _line[_lineLength++] = b;
            }
            else
            {
                _lineOverflow = true;
            }
        }

        Consumed += input.Length;
        return written;
    }

    public override int Flush(Span<byte> output)
    {
        int written = _lineLength > 0 ? DecodeLine(output) : 0;
        _lineLength = 0;
        if (_phase == Phase.BeforeBegin)
        {
            Report(MimeDefectKind.InvalidUuencode, "uuencoded content has no 'begin' line", Consumed);
        }

        return written;
    }

    public static string? FindFileName(ReadOnlySpan<byte> content)
    {
        foreach (Range range in content.Split((byte)'\n'))
        {
            if (TryParseBegin(content[range], out _, out string name))
            {
                return name;
            }
        }

        return null;
    }

    public static IReadOnlyList<UuencodedFile> FindEmbeddedFiles(ReadOnlySpan<byte> content)
    {
        // Every block starts with a "begin " line; most text holds none, so skip the line-by-line walk.
        if (content.IndexOf("begin "u8) < 0)
        {
            return [];
        }

        List<UuencodedFile> files = [];

        int i = 0;
        while (i < content.Length)
        {
            int end = content[i..].IndexOf((byte)'\n');
            int lineEnd = end < 0 ? content.Length : i + end;
            if (TryParseBegin(content[i..lineEnd], out string mode, out string name))
            {
                UuDecoder decoder = new(0);
                int blockEnd = FindEnd(content, lineEnd);
                byte[] decoded = DecodeAll(decoder, content[i..blockEnd]);
                files.Add(new UuencodedFile(name, mode, decoded));
                i = blockEnd;
                continue;
            }

            i = lineEnd + 1;
        }

        return files;
    }

    private static int FindEnd(ReadOnlySpan<byte> content, int from)
    {
        int i = from;
        while (i < content.Length)
        {
            int end = content[i..].IndexOf((byte)'\n');
            int lineEnd = end < 0 ? content.Length : i + end;
            if (AsciiSpan.TrimEndSpacesTabsAndLineBreaks(content[i..lineEnd]).SequenceEqual("end"u8))
            {
                return Math.Min(content.Length, lineEnd + 1);
            }

            i = lineEnd + 1;
        }

        return content.Length;
    }

    private static bool TryParseBegin(ReadOnlySpan<byte> line, out string mode, out string name)
    {
        mode = name = string.Empty;
        line = AsciiSpan.TrimEndSpacesTabsAndLineBreaks(line);
        if (!line.StartsWith("begin "u8) || line.Length < 11)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = line[6..];
        int space = rest.IndexOf((byte)' ');
        if (space is < 3 or > 4)
        {
            return false;
        }

        foreach (byte digit in rest[..space])
        {
            if (digit is < (byte)'0' or > (byte)'7')
            {
                return false;
            }
        }

        mode = Encoding.ASCII.GetString(rest[..space]);
        name = Charsets.DecodeHeaderBytes(rest[(space + 1)..], out _).Trim();
        return name.Length > 0;
    }

    private int DecodeLine(Span<byte> output)
    {
        ReadOnlySpan<byte> line = _line.AsSpan(0, _lineLength).TrimEnd("\r"u8);
        switch (_phase)
        {
            case Phase.BeforeBegin:
                if (TryParseBegin(line, out _, out _))
                {
                    _phase = Phase.Data;
                }

                return 0;
            case Phase.Done:
                return 0;
        }

        if (AsciiSpan.TrimEndSpacesAndTabs(line).SequenceEqual("end"u8))
        {
            _phase = Phase.Done;
            return 0;
        }

        if (line.IsEmpty)
        {
            return 0;
        }

        int declared = (line[0] - 32) & 63;

        // Never trust the length byte beyond the characters present: output stays within the input's size.
        int length = Math.Min(declared, (line.Length - 1) * 3 / 4);
        int written = 0;
        int i = 1;
        while (written < length)
        {
            int accumulator = 0;
            for (int k = 0; k < 4; k++)
            {
                int c = i + k < line.Length ? (line[i + k] - 32) & 63 : 0;
                accumulator = (accumulator << 6) | c;
            }

            i += 4;
            for (int k = 2; k >= 0 && written < length; k--)
            {
                output[written++] = (byte)(accumulator >> (8 * k));
            }
        }

        if (_lineOverflow || declared > length + 2)
        {
            Report(MimeDefectKind.InvalidUuencode, "uuencoded line is shorter or longer than its length byte says", Consumed);
        }

        return written;
    }
}
