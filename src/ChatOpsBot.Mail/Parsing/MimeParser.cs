namespace ChatOpsBot.Mail;

/// <summary>
/// Entry points of the MIME parser: lenient like a mail client (every anomaly becomes a <see cref="MimeDefect"/>),
/// bounded like a server (<see cref="MimeParserOptions"/>), and lossless (<see cref="MimeMessage.WriteTo(Stream)"/>
/// reproduces the bytes read).
/// </summary>
public static class MimeParser
{
    /// <summary>
    /// Reads <paramref name="stream"/> to its end (at most <see cref="MimeParserOptions.MaxInputBytes"/>) and parses
    /// it. The parser never throws on content: malformed or hostile input yields a (possibly partial) message with
    /// defects.
    /// </summary>
    /// <param name="stream">The message bytes, read from the current position.</param>
    /// <param name="options">Limits; <see cref="MimeParserOptions.Default"/> when null.</param>
    /// <returns>The parsed message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="IOException">Reading <paramref name="stream"/> failed.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="stream"/> is disposed.</exception>
    public static MimeMessage Parse(Stream stream, MimeParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= MimeParserOptions.Default;
        (byte[] buffer, int length, bool truncated) = ReadAll(stream, Math.Max(0, options.MaxInputBytes));
        return ParseCore(new ReadOnlyMemory<byte>(buffer, 0, length), options, truncated);
    }

    /// <summary>
    /// Parses a message held in memory without copying it: entities keep slices of <paramref name="message"/>, which
    /// must therefore not change while the message is in use. Input beyond
    /// <see cref="MimeParserOptions.MaxInputBytes"/> is ignored (with a defect). Never throws on content.
    /// </summary>
    /// <param name="message">The message bytes.</param>
    /// <param name="options">Limits; <see cref="MimeParserOptions.Default"/> when null.</param>
    /// <returns>The parsed message.</returns>
    public static MimeMessage Parse(ReadOnlyMemory<byte> message, MimeParserOptions? options = null)
    {
        options ??= MimeParserOptions.Default;
        int max = Math.Max(0, options.MaxInputBytes);
        bool truncated = message.Length > max;
        return ParseCore(truncated ? message[..max] : message, options, truncated);
    }

    private static MimeMessage ParseCore(ReadOnlyMemory<byte> message, MimeParserOptions options, bool truncated)
    {
        List<MimeDefect> defects = [];
        if (truncated)
        {
            defects.Add(new MimeDefect(MimeDefectKind.InputTruncated, $"the message is longer than {options.MaxInputBytes} bytes; the rest was not read", message.Length));
        }

        MimeReader reader = new(message, options, new ParseBudget());
        return reader.ReadMessage(depth: 0, defects);
    }

    private static (byte[] Buffer, int Length, bool Truncated) ReadAll(Stream stream, int max)
    {
        long remaining = -1;
        if (stream.CanSeek)
        {
            remaining = Math.Max(0, stream.Length - stream.Position);
        }

        byte[] buffer = new byte[remaining >= 0 ? (int)Math.Min(remaining, max) : Math.Min(max, 64 * 1024)];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                // Full: a one-byte probe tells "exactly this long" from "more to come" without growing needlessly.
                int next = stream.ReadByte();
                if (next < 0)
                {
                    return (buffer, length, false);
                }

                if (length >= max)
                {
                    return (buffer, length, true);
                }

                Array.Resize(ref buffer, (int)Math.Min(max, Math.Max(4096, (long)buffer.Length * 2)));
                buffer[length++] = (byte)next;
                continue;
            }

            int read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                return (buffer, length, false);
            }

            length += read;
        }
    }
}

/// <summary>Counters shared by a message and the messages decoded from inside it.</summary>
internal sealed class ParseBudget
{
    public int Parts { get; set; }

    public long DecodedBytes { get; set; }
}
