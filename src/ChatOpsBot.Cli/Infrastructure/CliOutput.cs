using System.Text.Json;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Cli.Infrastructure;

internal static class CliOutput
{
    /// <summary>Writes <paramref name="value"/> as the seed did: indented, snake_case, with a trailing newline.</summary>
    public static void WriteJson<T>(TextWriter output, T value)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(JsonSerializer.Serialize(value, SeedJson.Options));
    }
}
