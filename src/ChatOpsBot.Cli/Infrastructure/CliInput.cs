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

}
