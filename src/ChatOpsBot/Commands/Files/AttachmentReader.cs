using System.Globalization;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Commands.Pipeline;

namespace ChatOpsBot.Commands.Files;

/// <summary>A downloaded attachment; <see cref="Name"/> is untrusted.</summary>
public sealed record AttachmentContent(string Name, string? ContentType, ReadOnlyMemory<byte> Bytes)
{
    public MemoryStream OpenRead() => new(Bytes.ToArray(), writable: false);
}

/// <summary>Reads an <see cref="InboundFile"/> with a hard size cap, whatever size the channel declared.</summary>
internal static class AttachmentReader
{
    private const int ChunkBytes = 81920;

    public static async Task<AttachmentContent> ReadAsync(InboundFile file, long maxBytes, CancellationToken cancellationToken)
    {
        string name = DisplayName(file.Name);
        if (file.Size is long declared && declared > maxBytes)
        {
            throw TooLarge(name, declared, maxBytes);
        }

        Stream stream;
        try
        {
            stream = await file.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(name, ex);
        }

        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            byte[] chunk = new byte[ChunkBytes];
            while (true)
            {
                int read;
                try
                {
                    read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    throw Unavailable(name, ex);
                }

                if (read == 0)
                {
                    break;
                }

                if (buffer.Length + read > maxBytes)
                {
                    throw TooLarge(name, null, maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }

            return new AttachmentContent(file.Name, file.ContentType, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
    }

    /// <summary>A file name for a message: one printable line, not too long.</summary>
    public static string DisplayName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "the file" : PrintableText.OneLine(name.Trim(), 80);

    public static string FormatSize(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };

    private static CommandInputException TooLarge(string name, long? size, long maxBytes) => new(size is long s
        ? $"{name} is {FormatSize(s)}; I read files up to {FormatSize(maxBytes)}."
        : $"{name} is larger than {FormatSize(maxBytes)}, the most I read.");

    private static CommandInputException Unavailable(string name, Exception inner) =>
        new($"I could not download {name}. Please send it again.", inner);
}
