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

    /// <summary>
    /// Whether <see cref="EstimateLength"/> is the decoded length itself for well-formed input (so decoding straight
    /// into an array of that length needs no copy).
    /// </summary>
    protected virtual bool EstimateIsExact => false;

    public static byte[] DecodeAll(TransferDecoder decoder, ReadOnlySpan<byte> input)
    {
        // The estimate is an upper bound for well-formed input, so the output is normally allocated once. Where it is
        // exact the content is decoded straight into the result; otherwise into a pooled buffer and copied once at its
        // decoded size. Either way the result is allocated without zeroing, as every byte of it is written.
        int estimate = decoder.EstimateLength(input);
        if (decoder.EstimateIsExact)
        {
            byte[] output = GC.AllocateUninitializedArray<byte>(estimate);
            int length = DecodeInto(decoder, input, ref output, pooled: false);
            return length == output.Length ? output : Exact(output, length);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(estimate);
        int decoded = -1;
        try
        {
            decoded = DecodeInto(decoder, input, ref buffer, pooled: true);
            return Exact(buffer, decoded);
        }
        finally
        {
            // Decoded content is cleared before the buffer goes back to the shared pool (all of it when decoding failed).
            (decoded < 0 ? buffer : buffer.AsSpan(0, decoded)).Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Decodes all of <paramref name="input"/> into a buffer rented from <see cref="ArrayPool{T}.Shared"/>, which the
    /// caller returns; the decoded bytes are its first <paramref name="length"/>.
    /// </summary>
    public static byte[] DecodeAllPooled(TransferDecoder decoder, ReadOnlySpan<byte> input, out int length)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(decoder.EstimateLength(input));
        length = DecodeInto(decoder, input, ref buffer, pooled: true);
        return buffer;
    }

    private static byte[] Exact(byte[] buffer, int length)
    {
        byte[] result = GC.AllocateUninitializedArray<byte>(length);
        buffer.AsSpan(0, length).CopyTo(result);
        return result;
    }

    /// <summary>
    /// Decodes all of <paramref name="input"/> into <paramref name="output"/> from its start, growing it when the
    /// estimate was short (through the pool when <paramref name="pooled"/>); returns the decoded length.
    /// </summary>
    private static int DecodeInto(TransferDecoder decoder, ReadOnlySpan<byte> input, ref byte[] output, bool pooled)
    {
        // A pooled scratch buffer absorbs the chunks near the end without doubling a large array.
        byte[] scratch = ArrayPool<byte>.Shared.Rent(MaxOutputLength(ChunkSize));
        int scratchUsed = 0;
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
                    scratchUsed = Math.Max(scratchUsed, produced);
                    Append(ref output, ref written, scratch.AsSpan(0, produced), pooled);
                    if (final)
                    {
                        produced = decoder.Flush(scratch);
                        scratchUsed = Math.Max(scratchUsed, produced);
                        Append(ref output, ref written, scratch.AsSpan(0, produced), pooled);
                    }
                }

                if (final)
                {
                    break;
                }
            }

            return written;
        }
        finally
        {
            // Decoded content is cleared before the buffer goes back to the shared pool; only the part written, since a
            // whole 64 KB scratch per decoded part costs more than decoding a small one.
            scratch.AsSpan(0, scratchUsed).Clear();
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static void Append(ref byte[] output, ref int written, ReadOnlySpan<byte> data, bool pooled)
    {
        if (output.Length - written < data.Length)
        {
            int size = Math.Max(written + data.Length, output.Length + (output.Length / 4));
            if (pooled)
            {
                byte[] larger = ArrayPool<byte>.Shared.Rent(size);
                output.AsSpan(0, written).CopyTo(larger);
                output.AsSpan(0, written).Clear();
                ArrayPool<byte>.Shared.Return(output);
                output = larger;
            }
            else
            {
                Array.Resize(ref output, size);
            }
        }

        data.CopyTo(output.AsSpan(written));
        written += data.Length;
    }

    public static long DecodeTo(TransferDecoder decoder, ReadOnlySpan<byte> input, Stream destination)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxOutputLength(ChunkSize));
        int used = 0;
        try
        {
            long total = 0;
            for (int offset = 0; offset < input.Length; offset += ChunkSize)
            {
                int written = decoder.Decode(input.Slice(offset, Math.Min(ChunkSize, input.Length - offset)), buffer);
                used = Math.Max(used, written);
                destination.Write(buffer, 0, written);
                total += written;
            }

            int tail = decoder.Flush(buffer);
            used = Math.Max(used, tail);
            destination.Write(buffer, 0, tail);
            return total + tail;
        }
        finally
        {
            buffer.AsSpan(0, used).Clear();
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
    protected override bool EstimateIsExact => true;

    public override int EstimateLength(ReadOnlySpan<byte> input) => input.Length;

    public override int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        input.CopyTo(output);
        return input.Length;
    }

    public override int Flush(Span<byte> output) => 0;
}
