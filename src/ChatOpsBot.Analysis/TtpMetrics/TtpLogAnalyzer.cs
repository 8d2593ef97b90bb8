using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>
/// The seed's <c>analyze_ttp_logs</c> over a stream: a seed export (a JSON array of <c>{date, category, recipient}</c>),
/// newline-delimited JSON of such entries or of Mimecast TTP log records, or Mimecast API 2.0
/// <c>/api/ttp/{url,attachment,impersonation}/get-logs</c> response pages, alone, in an array or one after another.
/// Memory stays bounded by <see cref="TtpLogLimits"/>, whatever the input size.
/// </summary>
public static class TtpLogAnalyzer
{
    /// <exception cref="InvalidInputException">The input is not one of those shapes, is truncated, or breaks a limit;
    /// the message names the record (array index or line) and the problem.</exception>
    /// <exception cref="IOException">Reading <paramref name="input"/> failed.</exception>
    public static TtpMetricsResult Analyze(Stream input, TtpLogLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        limits ??= TtpLogLimits.Default;
        if (ParallelTtpLogAnalysis.TryAnalyze(input, limits, out TtpMetricsResult? result))
        {
            return result;
        }

        var accumulator = new TtpMetricsAccumulator(limits);
        using (var reader = new TtpLogReader(input.Read, limits, accumulator))
        {
            reader.ReadAll();
        }

        return accumulator.Build();
    }
}
