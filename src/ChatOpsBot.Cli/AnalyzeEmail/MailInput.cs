using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Mail;

namespace ChatOpsBot.Cli.AnalyzeEmail;

/// <summary>
/// A message file as the analyst has it: an RFC 822 <c>.eml</c>, or an Outlook <c>.msg</c> (told by its content, the
/// compound file signature, whatever the file is called).
/// </summary>
internal static class MailInput
{
    /// <summary>Files that directory mode analyses.</summary>
    public static bool IsMessageFileName(string path) =>
        path.EndsWith(".eml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".msg", StringComparison.OrdinalIgnoreCase);

    /// <exception cref="InvalidInputException">The file is empty, too large, not mail, or a damaged .msg.</exception>
    public static EmailReport Analyze(Stream stream, EmailAnalysisOptions options)
    {
        if (!stream.CanSeek)
        {
            return EmailAnalyzer.Analyze(stream, options);
        }

        long start = stream.Position;
        Span<byte> head = stackalloc byte[8];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        if (!OutlookMessageReader.IsCompoundFile(head[..read]))
        {
            return EmailAnalyzer.Analyze(stream, options);
        }

        if (stream.Length - start > options.MaxMessageBytes)
        {
            throw new InvalidInputException($"the message is larger than the {options.MaxMessageBytes / (1024 * 1024)} MiB limit");
        }

        var readerOptions = new OutlookReaderOptions
        {
            MaxInputBytes = (int)Math.Min(int.MaxValue, options.MaxMessageBytes),
            MimeOptions = options.ParserOptions,
        };
        OutlookReadResult result = OutlookMessageReader.Read(stream, readerOptions);
        return result.Message is { } message
            ? EmailAnalyzer.Analyze(message, options)
            : throw new InvalidInputException(result.Problem ?? "the Outlook .msg could not be read");
    }
}
