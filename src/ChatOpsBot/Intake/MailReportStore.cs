using System.Data.Common;
using System.Security.Cryptography;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Intake;

/// <summary>Where a report came from.</summary>
public static class MailReportSources
{
    public const string Mailbox = "mailbox";
    public const string Webhook = "webhook";
}

/// <summary>One reported message as recorded (<c>mail_reports</c>); the message itself is never stored.</summary>
public sealed record MailReport(
    string ReportId,
    string Source,
    string SourceKey,
    string? Reporter,
    string? Subject,
    string? Verdict,
    int? Score,
    string? AlertId,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? AnalysedAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? RepliedAt,
    int ReplyAttempts,
    string? ReplyError,
    DateTimeOffset? FiledAt)
{
    /// <summary>The SOC alert exists: the report is never analysed or posted again.</summary>
    public bool IsAnalysed => AlertId is not null;
}

/// <summary>Report ids: opaque, random, free of mail text (<c>rpt-</c> and 24 lower-case hex digits).</summary>
public static class MailReportIds
{
    public const string Prefix = "rpt-";

    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}

/// <summary>The <c>mail_reports</c> table, inside the caller's connection or transaction.</summary>
internal static class MailReportStore
{
    public const int MaxSourceKeyChars = 1024;
    public const int MaxTextChars = 500;

    private const string Columns = """
        report_id, source, source_key, reporter, subject, verdict, score, alert_id, received_at, analysed_at,
        acknowledged_at, replied_at, reply_attempts, reply_error, filed_at
        """;

    public static async Task<MailReport?> GetBySourceAsync(
        DbConnection connection, DbTransaction? transaction, string source, string sourceKey, CancellationToken cancellationToken)
    {
        using DbCommand select = connection.Command(transaction, $"SELECT {Columns} FROM mail_reports WHERE source = @source AND source_key = @key")
            .With("@source", source)
            .With("@key", sourceKey);
        return await ReadOneAsync(select, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<MailReport?> GetAsync(DbConnection connection, DbTransaction? transaction, string reportId, CancellationToken cancellationToken)
    {
        using DbCommand select = connection.Command(transaction, $"SELECT {Columns} FROM mail_reports WHERE report_id = @id").With("@id", reportId);
        return await ReadOneAsync(select, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a report as received; false when one with the same source key exists already.</summary>
    public static async Task<bool> InsertReceivedAsync(
        DbConnection connection, DbTransaction? transaction, MailReport report, CancellationToken cancellationToken)
    {
        using DbCommand insert = connection.Command(transaction, """
            INSERT INTO mail_reports (report_id, source, source_key, reporter, subject, received_at, reply_attempts, updated_at)
            VALUES (@id, @source, @key, @reporter, @subject, @received, 0, @received)
            ON CONFLICT (source, source_key) DO NOTHING
            """)
            .With("@id", report.ReportId)
            .With("@source", report.Source)
            .With("@key", report.SourceKey)
            .With("@reporter", FieldText.TruncateOrNull(report.Reporter, MaxTextChars))
            .With("@subject", FieldText.TruncateOrNull(report.Subject, MaxTextChars))
            .With("@received", UnixTime.ToMilliseconds(report.ReceivedAt));
        return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Records the verdict and the alert; false when the report already had one (it is then not posted again).</summary>
    public static async Task<bool> CompleteAnalysisAsync(
        DbConnection connection,
        DbTransaction transaction,
        string reportId,
        string verdict,
        int? score,
        string? subject,
        string alertId,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        using DbCommand update = connection.Command(transaction, """
            UPDATE mail_reports SET verdict = @verdict, score = @score, subject = @subject, alert_id = @alert, analysed_at = @now, updated_at = @now
            WHERE report_id = @id AND alert_id IS NULL
            """)
            .With("@id", reportId)
            .With("@verdict", verdict)
            .With("@score", score)
            .With("@subject", FieldText.TruncateOrNull(subject, MaxTextChars))
            .With("@alert", alertId)
            .With("@now", UnixTime.ToMilliseconds(now));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public static Task MarkAcknowledgedAsync(DbConnection connection, string reportId, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, "UPDATE mail_reports SET acknowledged_at = @now, updated_at = @now WHERE report_id = @id", reportId, now, cancellationToken);

    public static Task MarkRepliedAsync(DbConnection connection, string reportId, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, "UPDATE mail_reports SET replied_at = @now, reply_error = NULL, updated_at = @now WHERE report_id = @id", reportId, now, cancellationToken);

    public static Task MarkFiledAsync(DbConnection connection, string reportId, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, "UPDATE mail_reports SET filed_at = @now, updated_at = @now WHERE report_id = @id", reportId, now, cancellationToken);

    public static async Task RecordReplyFailureAsync(DbConnection connection, string reportId, string error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using DbCommand update = connection.Command(null, """
            UPDATE mail_reports SET reply_attempts = reply_attempts + 1, reply_error = @error, updated_at = @now WHERE report_id = @id
            """)
            .With("@id", reportId)
            .With("@error", FieldText.Truncate(error, MaxTextChars))
            .With("@now", UnixTime.ToMilliseconds(now));
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>No reply is ever sent for this report (the reported message was sent by a program).</summary>
    public static async Task SuppressRepliesAsync(DbConnection connection, string reportId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using DbCommand update = connection.Command(null, """
            UPDATE mail_reports SET reply_attempts = @never, reply_error = @reason, updated_at = @now WHERE report_id = @id
            """)
            .With("@id", reportId)
            .With("@never", SuppressedAttempts)
            .With("@reason", FieldText.Truncate(reason, MaxTextChars))
            .With("@now", UnixTime.ToMilliseconds(now));
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>More attempts than any configuration allows: the reply is never tried.</summary>
    public const int SuppressedAttempts = 1_000_000;

    /// <summary>Analysed reports whose verdict reply is still owed, oldest first.</summary>
    public static async Task<List<MailReport>> PendingRepliesAsync(DbConnection connection, int maxAttempts, int limit, CancellationToken cancellationToken)
    {
        using DbCommand select = connection.Command(null, $"""
            SELECT {Columns} FROM mail_reports
            WHERE replied_at IS NULL AND alert_id IS NOT NULL AND reporter IS NOT NULL AND reply_attempts < @max
            ORDER BY analysed_at, report_id LIMIT @limit
            """)
            .With("@max", maxAttempts)
            .With("@limit", limit);
        var list = new List<MailReport>();
        await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>Forgets finished reports received before <paramref name="before"/>.</summary>
    public static async Task<int> PurgeAsync(DbConnection connection, DateTimeOffset before, CancellationToken cancellationToken)
    {
        using DbCommand delete = connection.Command(null, """
            DELETE FROM mail_reports WHERE received_at < @before AND alert_id IS NOT NULL AND (filed_at IS NOT NULL OR source = 'webhook')
            """)
            .With("@before", UnixTime.ToMilliseconds(before));
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, string reportId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using DbCommand command = connection.Command(null, sql).With("@id", reportId).With("@now", UnixTime.ToMilliseconds(now));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<MailReport?> ReadOneAsync(DbCommand select, CancellationToken cancellationToken)
    {
        await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static MailReport Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.NullableString(3),
        reader.NullableString(4),
        reader.NullableString(5),
        reader.IsDBNull(6) ? null : reader.GetInt32(6),
        reader.NullableString(7),
        reader.Time(8),
        reader.NullableTime(9),
        reader.NullableTime(10),
        reader.NullableTime(11),
        reader.GetInt32(12),
        reader.NullableString(13),
        reader.NullableTime(14));
}
