using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Reputation;

namespace ChatOpsBot.Integrations.VirusTotal;

/// <summary>
/// Reputation for an analysed message, as the bot and the CLI add it: the report's indicators
/// (<see cref="MailIndicators"/>) looked up through <see cref="IReputationService"/> within one deadline, and the
/// answers folded into the verdict (<see cref="ReputationFolding"/>). Only hashes, URLs and IPs leave the process,
/// never a file or the message.
/// </summary>
public static class MailReputation
{
    /// <summary>
    /// The report with reputation; unchanged when it has no indicators. Lookups that do not answer within
    /// <paramref name="deadline"/> are listed as unavailable. Throws only <see cref="OperationCanceledException"/>, when
    /// the caller cancels.
    /// </summary>
    /// <param name="decodedRewrites">Originals of Mimecast-rewritten URLs, when the caller decoded them.</param>
    public static async Task<EmailReport> AddAsync(
        IReputationService service,
        EmailReport report,
        TimeSpan deadline,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? decodedRewrites = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(report);
        IReadOnlyList<MailIndicator> indicators = MailIndicators.Collect(report, decodedRewrites);
        if (indicators.Count == 0)
        {
            return report;
        }

        IReadOnlyList<ReputationResult> answers = await service.LookupAsync(
            [.. indicators.Select(Query)], deadline, cancellationToken).ConfigureAwait(false);
        List<IndicatorReputation> reputation = [.. indicators.Select((indicator, i) => ToReputation(indicator, answers[i]))];
        return ReputationFolding.Apply(report, reputation);
    }

    /// <summary>The analysis' view of one VirusTotal answer.</summary>
    public static IndicatorReputation ToReputation(MailIndicator indicator, ReputationResult answer)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(answer);
        ReputationVerdict verdict = answer.Status switch
        {
            ReputationStatus.Malicious => ReputationVerdict.Malicious,
            ReputationStatus.Suspicious => ReputationVerdict.Suspicious,
            ReputationStatus.Harmless => ReputationVerdict.Harmless,
            ReputationStatus.Unknown => ReputationVerdict.Unknown,
            ReputationStatus.QuotaExhausted => ReputationVerdict.QuotaExhausted,
            _ => ReputationVerdict.Unavailable,
        };
        return new IndicatorReputation(indicator, verdict, answer.Summary)
        {
            MaliciousEngines = answer.Engines?.Malicious,
            SuspiciousEngines = answer.Engines?.Suspicious,
            TotalEngines = answer.Engines?.Total,
            FromCache = answer.FromCache,
        };
    }

    private static ReputationQuery Query(MailIndicator indicator) => indicator.Kind switch
    {
        IndicatorKind.FileHash => ReputationQuery.FileHash(indicator.Value),
        IndicatorKind.Url => ReputationQuery.Url(indicator.Value),
        _ => ReputationQuery.IpAddress(indicator.Value),
    };
}
