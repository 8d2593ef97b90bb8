using System.Buffers;

namespace ChatOpsBot.Mail;

/// <summary>
/// An incremental Content-Transfer-Encoding decoder: input may be split anywhere; the output of one call never exceeds
/// <see cref="MaxOutputLength"/> of its input. Anomalies are recorded once per kind.
/// </summary>
internal abstract class TransferDecoder(long baseOffset)
{
    private const int ChunkSize = 64 * 1024;
    private List<MimeDefect>? _defects;
    private MimeDefectKind? _lastKind;

    /// <summary>Bytes of input consumed so far, for defect offsets.</summary>
    protected long Consumed { get; set; }

    public IReadOnlyList<MimeDefect> Defects => (IReadOnlyList<MimeDefect>?)_defects ?? [];

    public static int MaxOutputLength(int inputLength) => inputLength + 2048;

    public static TransferDecoder Create(ContentEncoding encoding, long baseOffset) => encoding switch
    {
        ContentEncoding.Base64 => new Base64Decoder(baseOffset),
        ContentEncoding.QuotedPrintable => new QuotedPrintableDecoder(baseOffset),
        ContentEncoding.UuEncode => new UuDecoder(baseOffset),
        _ => new IdentityDecoder(baseOffset),
    };

    /// <summary>Whether <see cref="Create"/> gives the pass-through decoder for <paramref name="encoding"/> (decoded bytes are the raw bytes).</summary>
    public static bool IsIdentity(ContentEncoding encoding) =>
        encoding is not (ContentEncoding.Base64 or ContentEncoding.QuotedPrintable or ContentEncoding.UuEncode);

    /// <summary>Decodes <paramref name="input"/>; <paramref name="output"/> must hold <see cref="MaxOutputLength"/> bytes.</summary>
    public abstract int Decode(ReadOnlySpan<byte> input, Span<byte> output);

    /// <summary>Emits whatever is pending at the end of the content.</summary>
    public abstract int Flush(Span<byte> output);

    /// <summary>An upper bound of the total decoded length of <paramref name="input"/>, as tight as cheaply possible.</summary>
    public virtual int EstimateLength(ReadOnlySpan<byte> input) => MaxOutputLength(input.Length);

    public static byte[] DecodeAll(TransferDecoder decoder, ReadOnlySpan<byte> input)
    {
        // The estimate is an upper bound for well-formed input, so the output is normally allocated once; a pooled
        // scratch buffer absorbs the chunks near the end without doubling a large array.
        byte[] output = new byte[decoder.EstimateLength(input)];
        byte[] scratch = ArrayPool<byte>.Shared.Rent(MaxOutputLength(ChunkSize));
        try
        {
            int written = 0;
            for (int offset = 0; offset <= input.Length; offset += ChunkSize)
            {
                bool final = offset + ChunkSize > input.Length;
                ReadOnlySpan<byte> chunk = input.Slice(offset, Math.Min(ChunkSize, input.Length - offset));
                if (output.Length - written >= MaxOutputLength(chunk.Length) + (final ? MaxOutputLength(0) : 0))
                {
                    written += decoder.Decode(chunk, output.AsSpan(written));
                    if (final)
                    {
                        written += decoder.Flush(output.AsSpan(written));
                    }
                }
                else
                {
                    int produced = decoder.Decode(chunk, scratch);
                    Append(ref output, ref written, scratch.AsSpan(0, produced));
                    if (final)
                    {
                        produced = decoder.Flush(scratch);
                        Append(ref output, ref written, scratch.AsSpan(0, produced));
                    }
                }

                if (final)
                {
                    break;
                }
            }

            if (written != output.Length)
            {
                Array.Resize(ref output, written);
            }

            return output;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static void Append(ref byte[] output, ref int written, ReadOnlySpan<byte> data)
    {
        if (output.Length - written < data.Length)
        {
            Array.Resize(ref output, Math.Max(written + data.Length, output.Length + (output.Length / 4)));
        }

        data.CopyTo(output.AsSpan(written));
        written += data.Length;
    }

    public static long DecodeTo(TransferDecoder decoder, ReadOnlySpan<byte> input, Stream destination)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxOutputLength(ChunkSize));
        try
        {
            long total = 0;
            for (int offset = 0; offset < input.Length; offset += ChunkSize)
            {
                int written = decoder.Decode(input.Slice(offset, Math.Min(ChunkSize, input.Length - offset)), buffer);
                destination.Write(buffer, 0, written);
                total += written;
            }

            int tail = decoder.Flush(buffer);
            destination.Write(buffer, 0, tail);
            return total + tail;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected void Report(MimeDefectKind kind, string message, long relativeOffset)
    {
        // One defect per kind and a small cap keep hostile content from growing the list without bound.
        if (_lastKind == kind || (_defects?.Count ?? 0) >= 8 || (_defects?.Exists(d => d.Kind == kind) ?? false))
        {
            return;
        }

        _lastKind = kind;
        (_defects ??= []).Add(new MimeDefect(kind, message, baseOffset + relativeOffset));
    }
}

internal sealed class IdentityDecoder(long baseOffset) : TransferDecoder(baseOffset)
{
    public override int EstimateLength(ReadOnlySpan<byte> input) => input.Length;

    public override int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        input.CopyTo(output);
        return input.Length;
    }

    public override int Flush(Span<byte> output) => 0;
}
