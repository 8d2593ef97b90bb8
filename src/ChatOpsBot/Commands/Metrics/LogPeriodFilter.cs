using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Commands.Metrics;

/// <summary>What <see cref="LogPeriodFilter"/> kept and left out.</summary>
/// <param name="Json">The export with only the records of the period, in its original shape.</param>
/// <param name="Newest">The newest record date in the whole export, when any record had one.</param>
internal sealed record FilteredLog(ReadOnlyMemory<byte> Json, long Kept, long Outside, long Undated, DateOnly? Newest);

/// <summary>
/// Keeps the records of a TTP log export dated on or after a day, whatever the export's shape (a seed array, NDJSON,
/// Mimecast API pages alone, in an array or one after another), so <c>TtpLogAnalyzer</c> then counts only that period.
/// A record is an object inside a list that holds no list of objects itself; its date is <c>eventTime</c>, else
/// <c>date</c>, taken as UTC. Records without a readable date cannot be placed in a period and are left out (and counted).
/// </summary>
internal static partial class LogPeriodFilter
{
    private const int MaxDepth = 64;

    /// <exception cref="InvalidInputException">The export is not JSON.</exception>
    public static FilteredLog Filter(ReadOnlyMemory<byte> utf8, DateOnly from)
    {
        var counts = new Counts(from);
        var output = new ArrayBufferWriter<byte>(Math.Max(256, utf8.Length));
        ReadOnlySpan<byte> span = utf8.Span;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            span = span[3..];
        }

        var reader = new Utf8JsonReader(span, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = MaxDepth });
        try
        {
            using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
            while (reader.Read())
            {
                using JsonDocument document = JsonDocument.ParseValue(ref reader);
                JsonElement root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object && IsRecord(root) && !counts.Keep(root))
                {
                    continue;
                }

                WriteFiltered(root, writer, counts);
                writer.Flush();
                output.Write("\n"u8);
                writer.Reset(output);
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException($"the log export is not valid JSON: {JsonInput.DescribeError(ex)}", ex);
        }

        return new FilteredLog(output.WrittenMemory, counts.Kept, counts.Outside, counts.Undated, counts.Newest);
    }

    private static void WriteFiltered(JsonElement element, Utf8JsonWriter writer, Counts counts)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object && IsRecord(item))
                    {
                        if (counts.Keep(item))
                        {
                            item.WriteTo(writer);
                        }
                    }
                    else
                    {
                        WriteFiltered(item, writer, counts);
                    }
                }

                writer.WriteEndArray();
                break;

            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    WriteFiltered(property.Value, writer, counts);
                }

                writer.WriteEndObject();
                break;

            default:
                element.WriteTo(writer);
                break;
        }
    }

    // A Mimecast page or its data[] entry holds lists of records; a record holds at most lists of strings.
    private static bool IsRecord(JsonElement item) =>
        !item.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.Array && p.Value.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.Object));

    internal static DateOnly? RecordDate(JsonElement record)
    {
        foreach (string name in (ReadOnlySpan<string>)["eventTime", "date"])
        {
            if (record.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && ParseDate(value.GetString()) is { } date)
            {
                return date;
            }
        }

        return null;
    }

    internal static DateOnly? ParseDate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return null;
        }

        // Mimecast writes offsets without a colon (2024-01-15T10:15:30+0000).
        string normalized = CompactOffset().Replace(text.Trim(), "$1:$2");
        if (DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset moment))
        {
            return DateOnly.FromDateTime(moment.UtcDateTime);
        }

        return text.Length >= 10 && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day)
            ? day
            : null;
    }

    [GeneratedRegex(@"([+-]\d{2})(\d{2})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CompactOffset();

    private sealed class Counts(DateOnly from)
    {
        public long Kept { get; private set; }

        public long Outside { get; private set; }

        public long Undated { get; private set; }

        public DateOnly? Newest { get; private set; }

        public bool Keep(JsonElement record)
        {
            DateOnly? date = RecordDate(record);
            if (date is not { } day)
            {
                Undated++;
                return false;
            }

            if (Newest is null || day > Newest)
            {
                Newest = day;
            }

            if (day < from)
            {
                Outside++;
                return false;
            }

            Kept++;
            return true;
        }
    }
}
