namespace ChatOpsBot.Storage.Sqlite;

internal static class FieldText
{
    private const char Ellipsis = '\u2026';

    /// <summary>
    /// Cuts <paramref name="value"/> to at most <paramref name="maxLength"/> code units, ending in an ellipsis when cut,
    /// without splitting a surrogate pair.
    /// </summary>
    public static string Truncate(string value, int maxLength)
    {
        if (value.Length <= maxLength)
        {
            return value;
        }

        int keep = maxLength - 1;
        if (keep > 0 && char.IsHighSurrogate(value[keep - 1]))
        {
            keep--;
        }

        return string.Concat(value.AsSpan(0, keep), [Ellipsis]);
    }

    public static string? TruncateOrNull(string? value, int maxLength) => value is null ? null : Truncate(value, maxLength);

    /// <summary>Refuses a value that other code parses back, where truncation would corrupt it.</summary>
    public static void RequireLength(string value, int maxLength, string paramName)
    {
        if (value.Length > maxLength)
        {
            throw new ArgumentException($"{paramName} is {value.Length} characters long; at most {maxLength} are stored.", paramName);
        }
    }

    public static void RequireNonEmpty(string? value, int maxLength, string paramName)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{paramName} must not be empty.", paramName);
        }

        RequireLength(value, maxLength, paramName);
    }
}
