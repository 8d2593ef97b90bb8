namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>
/// Bounds that keep <see cref="TtpLogAnalyzer"/> in constant memory whatever the input size. Exceeding one is an
/// <see cref="Common.InvalidInputException"/>, never a silently wrong answer.
/// </summary>
/// <param name="MaxRecordBytes">
/// Largest single record (a seed entry or one Mimecast log record) or single JSON token; the read buffer grows up to this
/// only while one such unit does not fit.
/// </param>
/// <param name="MaxDistinctRecipients">Distinct recipients counted for <c>top_targeted_users</c>.</param>
/// <param name="MaxDistinctDates">Distinct dates (keys of <c>daily_stats</c>).</param>
/// <param name="MaxDistinctKeyBytes">Total UTF-8 bytes of the distinct recipients, and separately of the distinct dates.</param>
/// <param name="BufferBytes">Initial read buffer; small values are for tests of buffer boundaries.</param>
/// <param name="ParallelMinBytes">
/// A seekable input at least this large is read as two segments on two threads (when the machine has two cores);
/// small values are for tests of that path.
/// </param>
public sealed record TtpLogLimits(
    int MaxRecordBytes = 16 * 1024 * 1024,
    int MaxDistinctRecipients = 1_000_000,
    int MaxDistinctDates = 100_000,
    long MaxDistinctKeyBytes = 64L * 1024 * 1024,
    int BufferBytes = 1024 * 1024,
    long ParallelMinBytes = 8L * 1024 * 1024)
{
    public static TtpLogLimits Default { get; } = new();
}
