using System.Buffers;
using System.Buffers.Text;

namespace ChatOpsBot.Mail;

/// <summary>
/// Tolerant base64: skips whitespace and junk, decodes past internal padding (concatenated blocks, which strict
/// decoders stop at: a parser-differential hiding place), and decodes a final quantum without padding.
/// </summary>
internal sealed class Base64Decoder(long baseOffset) : TransferDecoder(baseOffset)
{
    private const int FastWindow = 1024;
    private static readonly SearchValues<byte> s_whitespace = SearchValues.Create(" \t\r\n"u8);
    private static readonly sbyte[] s_values = BuildTable();

    private int _accumulator;
    private int _count;
    private bool _afterPadding;
    private int _scalarUntil;

    protected override bool EstimateIsExact => true;

    public override int EstimateLength(ReadOnlySpan<byte> input)
    {
        // Exact for clean content (so the output is allocated once, at its final size); junk only overestimates.
        long ignored = (long)input.Count((byte)'\n') + input.Count((byte)'\r') + input.Count((byte)'=') + input.Count((byte)' ') + input.Count((byte)'\t');
        return (int)((input.Length - ignored) * 3 / 4);
    }

    public override int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int written = 0;
        int i = 0;
        while (i < input.Length)
        {
            // Fast path: whole quanta up to the next whitespace go through the vectorised decoder.
            // A bounded window, and a scalar stretch after a failure, keep junk-riddled input linear.
            if (_count == 0 && i >= _scalarUntil)
            {
                ReadOnlySpan<byte> rest = input.Slice(i, Math.Min(FastWindow, input.Length - i));
                int run = rest.IndexOfAny(s_whitespace);
                if (run < 0)
                {
                    run = rest.Length;
                }

                int whole = run & ~3;
                if (whole > 0)
                {
                    if (_afterPadding)
                    {
                        Report(MimeDefectKind.Base64InternalPadding, "base64 content continues after padding", Consumed + i);
                        _afterPadding = false;
                    }

                    OperationStatus status = Base64.DecodeFromUtf8(rest[..whole], output[written..], out int consumed, out int produced, isFinalBlock: true);
                    written += produced;
                    i += consumed;
                    if (status == OperationStatus.Done)
                    {
                        _afterPadding = rest[whole - 1] == '=';
                        continue;
                    }

                    _scalarUntil = i + FastWindow / 4;
                }
            }

            byte b = input[i++];
            int value = s_values[b];
            if (value >= 0)
            {
                if (_afterPadding)
                {
                    Report(MimeDefectKind.Base64InternalPadding, "base64 content continues after padding", Consumed + i - 1);
                    _afterPadding = false;
                }

                _accumulator = (_accumulator << 6) | value;
                if (++_count == 4)
                {
                    output[written++] = (byte)(_accumulator >> 16);
                    output[written++] = (byte)(_accumulator >> 8);
                    output[written++] = (byte)_accumulator;
                    _count = 0;
                    _accumulator = 0;
                }
            }
            else if (b == '=')
            {
                written += EmitPartial(output[written..], padded: true);
                _afterPadding = true;
            }
            else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                Report(MimeDefectKind.InvalidBase64, $"byte 0x{b:X2} is not base64", Consumed + i - 1);
            }
        }

        Consumed += input.Length;
        _scalarUntil = 0;
        return written;
    }

    public override int Flush(Span<byte> output) => EmitPartial(output, padded: false);

    private int EmitPartial(Span<byte> output, bool padded)
    {
        int written = 0;
        if (_count == 1)
        {
            Report(MimeDefectKind.InvalidBase64, "base64 content ends with a lone character", Consumed);
        }
        else if (_count >= 2)
        {
            if (!padded)
            {
                Report(MimeDefectKind.Base64MissingPadding, "base64 content is not padded to a multiple of four", Consumed);
            }

            int value = _accumulator << (6 * (4 - _count));
            output[written++] = (byte)(value >> 16);
            if (_count == 3)
            {
                output[written++] = (byte)(value >> 8);
            }
        }

        _count = 0;
        _accumulator = 0;
        return written;
    }

    private static sbyte[] BuildTable()
    {
        sbyte[] table = new sbyte[256];
        Array.Fill(table, (sbyte)-1);
        ReadOnlySpan<byte> alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"u8;
        for (int i = 0; i < alphabet.Length; i++)
        {
            table[alphabet[i]] = (sbyte)i;
        }

        return table;
    }
}
