using System.Buffers;

namespace ChatOpsBot.Integrations.Http;

/// <summary>Reads a response body into memory, refusing more than a fixed number of bytes (a hostile or broken
/// server must not be able to exhaust memory).</summary>
/// <remarks>
/// The body is allocated once, at its final size: with a declared Content-Length it is read straight into its array;
/// without one it is gathered in pooled segments and copied once. A growing <see cref="MemoryStream"/> allocated about
/// four times a Mimecast log page per page read (doubling copies, a read chunk, the final copy), which made the
/// garbage collector a large share of the URL monitor's ingestion time.
/// </remarks>
internal static class BoundedContent
{
    /// <summary>The size of each pooled segment a body of unknown length is gathered in.</summary>
    internal const int SegmentBytes = 64 * 1024;

    public static async Task<byte[]?> ReadAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        long? declared = content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            return null;
        }

        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            if (declared is long length)
            {
                var body = new byte[length];
                int filled = 0;
                while (filled < body.Length)
                {
                    int read = await stream.ReadAsync(body.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        // Shorter than declared: what came is the body, as a read to the end would have returned.
                        return body[..filled];
                    }

                    filled += read;
                }

                // A server that sends more than it declared is read on, within the same limit.
                return await ReadRestAsync(stream, body, maxBytes, cancellationToken).ConfigureAwait(false);
            }

            return await ReadRestAsync(stream, [], maxBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads <paramref name="stream"/> to its end after <paramref name="start"/>, in pooled segments.</summary>
    private static async Task<byte[]?> ReadRestAsync(Stream stream, byte[] start, long maxBytes, CancellationToken cancellationToken)
    {
        var segments = new List<(byte[] Buffer, int Count)>();
        long total = start.Length;
        try
        {
            while (true)
            {
                byte[] segment = ArrayPool<byte>.Shared.Rent(SegmentBytes);
                int count = 0;
                segments.Add((segment, 0));
                while (count < segment.Length)
                {
                    int read = await stream.ReadAsync(segment.AsMemory(count), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        segments[^1] = (segment, count);
                        return Join(start, segments, total);
                    }

                    count += read;
                    total += read;
                    if (total > maxBytes)
                    {
                        return null;
                    }
                }

                segments[^1] = (segment, count);
            }
        }
        finally
        {
            // Cleared: a body can hold an access token, and pooled arrays go on to other code.
            foreach ((byte[] buffer, _) in segments)
            {
                ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            }
        }
    }

    private static byte[] Join(byte[] start, List<(byte[] Buffer, int Count)> segments, long total)
    {
        if (total == start.Length)
        {
            return start;
        }

        var body = new byte[total];
        start.CopyTo(body, 0);
        int at = start.Length;
        foreach ((byte[] buffer, int count) in segments)
        {
            buffer.AsSpan(0, count).CopyTo(body.AsSpan(at));
            at += count;
        }

        return body;
    }
}
