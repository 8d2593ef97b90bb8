using ChatOpsBot.Commands.Pipeline;

namespace ChatOpsBot.Commands.Files;

/// <summary>Commands that work on exactly one attached file.</summary>
internal static class SingleFile
{
    /// <summary>A problem when the message has no file or several; null when it has exactly one.</summary>
    public static string? Problem(CommandInput input, string what)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Files.Count switch
        {
            0 => $"Attach {what} to the message with the command.",
            1 => null,
            _ => $"Send one file at a time; this message has {input.Files.Count}.",
        };
    }

    /// <summary>Reads the one file and checks it is JSON, so a PDF sent to <c>audit</c> gets a plain answer, not a parser error.</summary>
    public static async Task<AttachmentContent> ReadJsonAsync(CommandContext context, long maxBytes, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        AttachmentContent content = await context.ReadFileAsync(context.Files[0], maxBytes, cancellationToken).ConfigureAwait(false);
        FileKind kind = FileSniffer.Classify(content.Name, content.ContentType, content.Bytes.Span[..Math.Min(content.Bytes.Length, FileSniffer.HeadBytes)]);
        if (kind != FileKind.Json)
        {
            throw new CommandInputException($"{AttachmentReader.DisplayName(content.Name)} looks like {FileSniffer.Describe(kind)}; I need {what} (JSON).");
        }

        return content;
    }
}
