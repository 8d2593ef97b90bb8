using System.Text.Json;

namespace ChatOpsBot.Analysis.Common;

/// <summary>Turns the ways a JSON input can be unreadable into messages a user can act on.</summary>
public static class JsonInput
{
    /// <summary>"invalid JSON at line L, column C", 1-based, or just "invalid JSON" when the reader gave no position.</summary>
    public static string DescribeError(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string where = exception.LineNumber is { } line
            ? $" at line {line + 1}, column {(exception.BytePositionInLine ?? 0) + 1}"
            : string.Empty;
        return $"invalid JSON{where}";
    }

    /// <summary>
    /// The text of a JSON string. <see cref="JsonDocument"/> validates string contents lazily: invalid UTF-8 or an
    /// unpaired <c>\u</c> surrogate escape passes the parse and only fails here, which becomes an
    /// <see cref="InvalidInputException"/> naming <paramref name="what"/>.
    /// </summary>
    public static string ReadString(JsonElement value, string what)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ArgumentException($"expected a JSON string, got {value.ValueKind}", nameof(value));
        }

        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidInputException($"{what} is not valid UTF-8 or Unicode text", ex);
        }
    }
}
