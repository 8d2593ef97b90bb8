using System.Text.Json;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Cli.Infrastructure;

/// <summary>
/// Opens input files and turns every way they can be bad into a <see cref="CliInputException"/>
/// naming the file, so commands never leak a stack trace.
/// </summary>
internal static class CliInput
{
    private const int BufferSize = 1 << 16;

    private static readonly JsonDocumentOptions s_jsonDocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Opens <paramref name="path"/> and hands the stream to <paramref name="parse"/>.</summary>
    public static T Read<T>(string path, Func<Stream, T> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        using Stream stream = OpenRead(path);
        try
        {
            return parse(stream);
        }
        catch (JsonException ex)
        {
            throw new CliInputException(path, JsonInput.DescribeError(ex));
        }
        catch (InvalidInputException ex)
        {
            throw new CliInputException(path, ex.Message);
        }
        catch (InvalidOperationException ex) when (IsUndecodableJsonText(ex))
        {
            throw new CliInputException(path, "contains a JSON string that is not valid UTF-8 or has an unpaired \\u surrogate escape");
        }
        catch (IOException ex)
        {
            throw new CliInputException(path, $"read failed ({ex.Message})");
        }
    }

    /// <summary>
    /// Parses a small JSON file (a VIP list, a sender description) whole and hands its root to <paramref name="parse"/>;
    /// a file over <paramref name="maxBytes"/> is refused before it is read, so memory stays bounded.
    /// </summary>
    public static T ReadJson<T>(string path, long maxBytes, Func<JsonElement, T> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return Read(path, stream =>
        {
            if (stream.Length > maxBytes)
            {
                throw new CliInputException(path, $"is larger than {maxBytes / (1024 * 1024)} MiB, which is too big for this input");
            }

            using JsonDocument document = JsonDocument.Parse(stream, s_jsonDocumentOptions);
            return parse(document.RootElement);
        });
    }

    public static Stream OpenRead(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliInputException("(empty path)", "no file name given");
        }

        try
        {
            if (Directory.Exists(path))
            {
                throw new CliInputException(path, "is a directory, expected a file");
            }

            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw new CliInputException(path, "no such file");
        }
        catch (DirectoryNotFoundException)
        {
            throw new CliInputException(path, "no such file (directory does not exist)");
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliInputException(path, "permission denied");
        }
        catch (IOException ex)
        {
            throw new CliInputException(path, $"cannot open ({ex.Message})");
        }
    }

    // System.Text.Json validates string contents lazily: a bad byte sequence or a lone "\ud800" escape passes the
    // structural parse and only throws InvalidOperationException when the value is read. Analysis code reads input
    // strings through JsonInput.ReadString, which reports this as InvalidInputException; this net is for the readers
    // that do not yet (TtpMetrics' MimecastFailure). It matches only those two decoding failures: the same exception
    // type also means a wrong-kind access (GetString on a number) or a disposed document, which are bugs and stay loud.
    private static bool IsUndecodableJsonText(InvalidOperationException ex) =>
        ex is not ObjectDisposedException
        && ex.TargetSite is { } site
        && site.DeclaringType?.Assembly == typeof(JsonDocument).Assembly
        && (ex.InnerException is System.Text.DecoderFallbackException
            || (ex.InnerException is null && site.Name.Contains("UTF16", StringComparison.Ordinal)));
}
