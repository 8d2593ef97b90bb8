using System.Diagnostics.CodeAnalysis;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>
/// Reads a large seekable input as two segments on two threads. The second segment starts at a guessed entry boundary
/// near the middle (<c>},{</c> in an array, a line starting with <c>{</c> in a stream of objects); the first reader
/// stops there only if its own, authoritative parse reaches an entry exactly at that offset, and only then are the
/// two results merged, in input order, so that first-seen and first-counted orders stay the seed's. A wrong guess
/// (the pattern inside a string or a nested value) costs the wasted second thread, never correctness: the first
/// reader then simply reads on to the end. An error in the second segment is re-read sequentially, so that its
/// message names the right record.
/// </summary>
internal static class ParallelTtpLogAnalysis
{
    private const int BoundarySearchBytes = 256 * 1024;

    public static bool TryAnalyze(Stream input, TtpLogLimits limits, [NotNullWhen(true)] out TtpMetricsResult? result)
    {
        result = null;
        if (Environment.ProcessorCount < 2 || !TryGetPositionalReader(input, out long start, out long length, out Func<long, byte[], int, int, int>? readAt)
            || length < Math.Max(limits.ParallelMinBytes, 2))
        {
            return false;
        }

        if (!TryFindBoundary(readAt, start, length, out TtpLogReader.InputLayout layout, out long boundary))
        {
            return false;
        }

        var first = new TtpMetricsAccumulator(limits);
        var second = new TtpMetricsAccumulator(limits);
        long firstOffset = start;
        long secondOffset = start + boundary;
        Exception? secondFailure = null;
        bool cancelled = false;
        var worker = new Thread(() =>
        {
            try
            {
                using var reader = new TtpLogReader(SequentialFrom(readAt, secondOffset), limits, second);
                reader.ReadSegment(layout, () => Volatile.Read(ref cancelled));
            }
            catch (Exception ex) when (ex is InvalidInputException or IOException or OperationCanceledException)
            {
                secondFailure = ex;
            }
        })
        {
            IsBackground = true,
            Name = "analyze-logs second segment",
        };
        worker.Start();

        using (var reader = new TtpLogReader(SequentialFrom(readAt, firstOffset), limits, first))
        {
            bool handedOff = false;
            try
            {
                handedOff = reader.ReadUntilHandOff(boundary);
            }
            finally
            {
                if (!handedOff)
                {
                    Volatile.Write(ref cancelled, true);
                }

                worker.Join();
            }

            if (handedOff && secondFailure is null)
            {
                first.Merge(second);
            }
            else if (handedOff)
            {
                if (secondFailure is IOException)
                {
                    throw secondFailure;
                }

                reader.ReadRest();
            }
        }

        result = first.Build();
        return true;
    }

    private static Func<byte[], int, int, int> SequentialFrom(Func<long, byte[], int, int, int> readAt, long offset) =>
        (buffer, index, count) =>
        {
            int read = readAt(offset, buffer, index, count);
            offset += read;
            return read;
        };

    private static bool TryGetPositionalReader(Stream input, out long start, out long length, [NotNullWhen(true)] out Func<long, byte[], int, int, int>? readAt)
    {
        switch (input)
        {
            case FileStream { CanSeek: true } file:
                start = file.Position;
                length = file.Length - start;
                Microsoft.Win32.SafeHandles.SafeFileHandle handle = file.SafeFileHandle;
                readAt = (offset, buffer, index, count) => RandomAccess.Read(handle, buffer.AsSpan(index, count), offset);
                return true;
            case MemoryStream memory when memory.TryGetBuffer(out ArraySegment<byte> segment):
                start = memory.Position;
                length = memory.Length - start;
                readAt = (offset, buffer, index, count) =>
                {
                    int available = (int)Math.Max(0, Math.Min(count, segment.Count - offset));
                    segment.AsSpan((int)offset, available).CopyTo(buffer.AsSpan(index));
                    return available;
                };
                return true;
            default:
                start = length = 0;
                readAt = null;
                return false;
        }
    }

    /// <summary>Finds a likely entry start after the middle: the layout comes from the first non-blank byte.</summary>
    private static bool TryFindBoundary(Func<long, byte[], int, int, int> readAt, long start, long length, out TtpLogReader.InputLayout layout, out long boundary)
    {
        layout = default;
        boundary = -1;
        byte[] window = new byte[(int)Math.Min(BoundarySearchBytes, length)];
        int head = ReadFully(readAt, start, window);
        int first = window.AsSpan(0, head).IndexOfAnyExcept(" \t\r\n\uFEFF"u8);
        if (first < 0 || window[first] is not ((byte)'[' or (byte)'{'))
        {
            return false;
        }

        layout = window[first] == (byte)'[' ? TtpLogReader.InputLayout.Array : TtpLogReader.InputLayout.ObjectStream;
        long middle = length / 2;
        int read = ReadFully(readAt, start + middle, window);
        ReadOnlySpan<byte> data = window.AsSpan(0, read);
        for (int i = 0; i < data.Length; i++)
        {
            int candidate = layout == TtpLogReader.InputLayout.Array ? ArrayEntryAfter(data, i) : LineEntryAfter(data, i);
            if (candidate >= 0)
            {
                boundary = middle + candidate;
                return boundary > 0;
            }
        }

        return false;
    }

    /// <summary>If <c>}</c> at <paramref name="i"/> is followed by <c>,</c> and then <c>{</c>, the position of that brace.</summary>
    private static int ArrayEntryAfter(ReadOnlySpan<byte> data, int i)
    {
        if (data[i] != (byte)'}')
        {
            return -1;
        }

        int comma = JsonScan.SkipWhitespace(data, i + 1);
        if (comma >= data.Length || data[comma] != (byte)',')
        {
            return -1;
        }

        int brace = JsonScan.SkipWhitespace(data, comma + 1);
        return brace < data.Length && data[brace] == (byte)'{' ? brace : -1;
    }

    /// <summary>If a newline at <paramref name="i"/> is followed by <c>{</c> (after blanks), the position of that brace.</summary>
    private static int LineEntryAfter(ReadOnlySpan<byte> data, int i)
    {
        if (data[i] != (byte)'\n')
        {
            return -1;
        }

        int brace = JsonScan.SkipWhitespace(data, i + 1);
        return brace < data.Length && data[brace] == (byte)'{' ? brace : -1;
    }

    private static int ReadFully(Func<long, byte[], int, int, int> readAt, long offset, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = readAt(offset + total, buffer, total, buffer.Length - total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
