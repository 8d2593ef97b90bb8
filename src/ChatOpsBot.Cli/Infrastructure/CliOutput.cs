using System.CommandLine;
using System.Text.Json;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Cli.Infrastructure;

internal static class CliOutput
{
    /// <summary>
    /// Writes a command's result as JSON when <c>--json</c> was given, else as the command's text report, to the
    /// invocation's output; returns the success exit code for the action to hand back.
    /// </summary>
    public static int WriteResult<T>(
        ParseResult parseResult,
        CliCommonOptions common,
        T result,
        Action<TextWriter, T> writeText,
        Func<T, string>? serializeJson = null)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(common);
        ArgumentNullException.ThrowIfNull(writeText);
        TextWriter output = parseResult.InvocationConfiguration.Output;
        if (!parseResult.GetValue(common.Json))
        {
            writeText(output, result);
        }
        else if (serializeJson is null)
        {
            WriteJson(output, result);
        }
        else
        {
            output.WriteLine(serializeJson(result));
        }

        return ChatOpsCli.ExitOk;
    }

    /// <summary>Writes <paramref name="value"/> as the seed did: indented, snake_case, with a trailing newline.</summary>
    public static void WriteJson<T>(TextWriter output, T value)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(JsonSerializer.Serialize(value, SeedJson.Options));
    }
}
