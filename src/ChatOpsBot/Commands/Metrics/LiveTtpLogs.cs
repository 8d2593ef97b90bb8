using System.Globalization;
using System.Text.Json;
using ChatOpsBot.Analysis.TtpMetrics;
using ChatOpsBot.Integrations.Mimecast;

namespace ChatOpsBot.Commands.Metrics;

/// <summary>The three TTP logs of a period, as read from the Mimecast API.</summary>
internal sealed record LiveTtpLogs(
    MimecastLogResult<MimecastClickLog> Clicks,
    MimecastLogResult<MimecastAttachmentLog> Attachments,
    MimecastLogResult<MimecastImpersonationLog> Impersonations)
{
    /// <summary>
    /// The metrics <c>analyze-logs</c> computes from an export, computed here from the live records: they are written
    /// back as the Mimecast API pages they came in (<c>data[0].clickLogs</c>, ...) and read by <see cref="TtpLogAnalyzer"/>,
    /// so a live card and an export of the same records give the same numbers and the same ATT&amp;CK mapping.
    /// </summary>
    public TtpMetricsResult Analyze()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            WritePage(writer, "clickLogs", Clicks.Records, WriteClick);
            WritePage(writer, "attachmentLogs", Attachments.Records, WriteAttachment);
            WritePage(writer, "impersonationLogs", Impersonations.Records, WriteImpersonation);
            writer.WriteEndArray();
        }

        buffer.Position = 0;
        return TtpLogAnalyzer.Analyze(buffer);
    }

    /// <summary>What makes the numbers less than the whole period, in our own words.</summary>
    public IReadOnlyList<string> Notes(int maxPages)
    {
        var notes = new List<string>();
        Describe(notes, "URL click", Clicks.Truncated, Clicks.PagesRead, Clicks.SkippedRecords, maxPages);
        Describe(notes, "attachment", Attachments.Truncated, Attachments.PagesRead, Attachments.SkippedRecords, maxPages);
        Describe(notes, "impersonation", Impersonations.Truncated, Impersonations.PagesRead, Impersonations.SkippedRecords, maxPages);
        return notes;
    }

    private static void Describe(List<string> notes, string kind, bool truncated, int pages, int skipped, int maxPages)
    {
        if (truncated)
        {
            notes.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"The {kind} logs were cut off after {pages:N0} pages (Mimecast:MaxPages is {maxPages:N0}, or Mimecast repeated a page): their counts are incomplete. Ask for fewer days."));
        }

        if (skipped > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{skipped:N0} {kind} records lacked the fields Mimecast documents and were not counted."));
        }
    }

    private static void WritePage<T>(Utf8JsonWriter writer, string kind, IReadOnlyList<T> records, Action<Utf8JsonWriter, T> write)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        writer.WriteStartObject();
        writer.WriteStartArray(kind);
        foreach (T record in records)
        {
            writer.WriteStartObject();
            write(writer, record);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteClick(Utf8JsonWriter writer, MimecastClickLog log)
    {
        writer.WriteString("date", Timestamp(log.Date));
        writer.WriteString("url", log.Url);
        writer.WriteString("userEmailAddress", log.UserEmailAddress);
        OptionalString(writer, "scanResult", log.ScanResult);
        OptionalString(writer, "action", log.Action);
        OptionalString(writer, "route", log.Route);
        OptionalString(writer, "category", log.Category);
    }

    private static void WriteAttachment(Utf8JsonWriter writer, MimecastAttachmentLog log)
    {
        writer.WriteString("date", Timestamp(log.Date));
        OptionalString(writer, "recipientAddress", log.RecipientAddress);
        OptionalString(writer, "result", log.Result);
        OptionalString(writer, "route", log.Route);
        writer.WriteString("fileHash", log.FileHash ?? string.Empty);
    }

    private static void WriteImpersonation(Utf8JsonWriter writer, MimecastImpersonationLog log)
    {
        writer.WriteString("eventTime", Timestamp(log.EventTime));
        OptionalString(writer, "recipientAddress", log.RecipientAddress);
        OptionalString(writer, "action", log.Action);
        if (log.Hits is int hits)
        {
            writer.WriteNumber("hits", hits);
        }

        if (log.TaggedMalicious is bool malicious)
        {
            writer.WriteBoolean("taggedMalicious", malicious);
        }

        writer.WriteStartArray("identifiers");
        foreach (string identifier in log.Identifiers)
        {
            writer.WriteStringValue(identifier);
        }

        writer.WriteEndArray();
    }

    private static void OptionalString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    // Mimecast's own record format (2024-11-17T17:02:30+0000), which the analyzer reads.
    private static string Timestamp(DateTimeOffset moment) =>
        moment.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);
}
