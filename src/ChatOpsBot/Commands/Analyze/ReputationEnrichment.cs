using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Integrations.Mimecast;
using ChatOpsBot.Integrations.VirusTotal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Commands.Analyze;

/// <summary>
/// Adds VirusTotal reputation to an analysed message, within <c>VirusTotal:AnalysisDeadline</c> in all. Mimecast URL
/// Protect links (<c>protect-*.mimecast.com/s/…</c>) are opaque: when Mimecast is configured they are first decoded
/// (within half the deadline), so the reputation is that of where they lead; without Mimecast they are left out.
/// </summary>
internal sealed partial class ReputationEnrichment(
    IReputationService reputation,
    IMimecastClient mimecast,
    IOptions<VirusTotalOptions> virusTotalOptions,
    TimeProvider timeProvider,
    ILogger<ReputationEnrichment> logger)
{
    private const string MimecastRewriter = "mimecast";

    /// <summary>Links decoded per analysis: one decode-url call (Mimecast takes 25 a call); more are left out, as
    /// the lookups per analysis are capped anyway.</summary>
    public const int MaxLinksDecoded = 25;

    /// <summary>The report with reputation, or as it was when lookups are off or VirusTotal is not configured
    /// (<see cref="EmailReport.NoLookups"/> says which).</summary>
    public async Task<EmailReport> AddAsync(EmailReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        VirusTotalOptions options = virusTotalOptions.Value;
        if (!options.LookupsEnabled)
        {
            return report with { NoLookups = true };
        }

        if (!reputation.IsConfigured)
        {
            return report;
        }

        long started = timeProvider.GetTimestamp();
        IReadOnlyDictionary<string, string>? decoded = await DecodeMimecastLinksAsync(report, options.AnalysisDeadline / 2, cancellationToken).ConfigureAwait(false);
        TimeSpan left = options.AnalysisDeadline - timeProvider.GetElapsedTime(started);
        return await MailReputation.AddAsync(reputation, report, left, cancellationToken, decoded).ConfigureAwait(false);
    }

    private async Task<IReadOnlyDictionary<string, string>?> DecodeMimecastLinksAsync(EmailReport report, TimeSpan budget, CancellationToken cancellationToken)
    {
        List<string> opaque = [.. report.Urls
            .Where(u => u.DecodedTarget is null && string.Equals(u.Rewriter, MimecastRewriter, StringComparison.Ordinal))
            .Select(u => u.Url)
            .Distinct(StringComparer.Ordinal)
            .Take(MaxLinksDecoded)];
        if (opaque.Count == 0 || !mimecast.IsConfigured)
        {
            return null;
        }

        using var timeout = new CancellationTokenSource(budget, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            IReadOnlyList<MimecastDecodedUrl> answers = await mimecast.DecodeUrlsAsync(opaque, linked.Token).ConfigureAwait(false);
            return answers.Where(a => a.DecodedUrl is not null).ToDictionary(a => a.RewrittenUrl, a => a.DecodedUrl!, StringComparer.Ordinal);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogDecodeSkipped(logger, "no answer in time");
            return null;
        }
        catch (MimecastApiException ex)
        {
            // The links stay out of the lookups; the verdict card still comes, without their reputation.
            LogDecodeSkipped(logger, ex.Kind.ToString());
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mimecast links of an analysed message were not decoded ({Reason}); their reputation is not looked up")]
    private static partial void LogDecodeSkipped(ILogger logger, string reason);
}
