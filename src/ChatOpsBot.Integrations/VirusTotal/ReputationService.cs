using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Integrations.VirusTotal;

/// <summary>Reputation of mail indicators (file hashes, URLs, domains, public IPs), as the email analysis calls it.</summary>
public interface IReputationService
{
    /// <summary>False when <c>VirusTotal:ApiKey</c> is empty: every answer is Unavailable ("not configured").</summary>
    bool IsConfigured { get; }

    /// <summary>
    /// One result per query, in the same order. Lookups run in parallel within the process-wide rate limit; whatever
    /// has no answer when <paramref name="deadline"/> has passed is Unavailable, so a slow or rationed API never
    /// holds the caller longer. Cached answers come back without a request; the same indicator asked twice at once
    /// is one request. Never throws for a lookup failure; <see cref="OperationCanceledException"/> only when the
    /// caller cancels.
    /// </summary>
    Task<IReadOnlyList<ReputationResult>> LookupAsync(
        IReadOnlyList<ReputationQuery> queries, TimeSpan deadline, CancellationToken cancellationToken);
}

/// <summary>
/// The VirusTotal-backed <see cref="IReputationService"/>: validation, cache (<see cref="IReputationCache"/>, TTL per
/// answer), de-duplication of concurrent lookups, the shared <see cref="VirusTotalRateLimiter"/> and per-call deadlines.
/// Lookups only: nothing here can upload a file or submit a URL.
/// </summary>
public sealed partial class ReputationService : IReputationService
{
    private static readonly JsonSerializerOptions s_cacheJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IReputationCache _cache;
    private readonly VirusTotalRateLimiter _limiter;
    private readonly VirusTotalOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ReputationService> _logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<ReputationResult>>> _inFlight = new(StringComparer.Ordinal);

    internal ReputationService(
        IHttpClientFactory httpClientFactory,
        IReputationCache cache,
        VirusTotalRateLimiter limiter,
        IOptions<VirusTotalOptions> options,
        TimeProvider timeProvider,
        ILogger<ReputationService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory;
        _cache = cache;
        _limiter = limiter;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public bool IsConfigured => _options.IsConfigured;

    public async Task<IReadOnlyList<ReputationResult>> LookupAsync(
        IReadOnlyList<ReputationQuery> queries, TimeSpan deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        DateTimeOffset until = _timeProvider.GetUtcNow() + (deadline > TimeSpan.Zero ? deadline : TimeSpan.Zero);
        var results = new ReputationResult?[queries.Count];
        var pending = new List<(int Index, ReputationIndicator Indicator)>();
        for (int i = 0; i < queries.Count; i++)
        {
            ReputationQuery query = queries[i] ?? throw new ArgumentException("A query is null.", nameof(queries));
            if (!IsConfigured)
            {
                results[i] = ReputationResult.Unavailable(query, "VirusTotal is not configured");
                continue;
            }

            (ReputationIndicator? indicator, string? problem) = ReputationIndicator.Create(query, _options.MaxResolutions);
            if (indicator is null)
            {
                results[i] = ReputationResult.Unavailable(query, "not looked up, " + problem);
                continue;
            }

            results[i] = await FromCacheAsync(indicator, cancellationToken).ConfigureAwait(false);
            if (results[i] is null)
            {
                pending.Add((i, indicator));
            }
        }

        // Attachments first, then URLs and domains, then IPs: the order the rate limit hands out slots.
        List<(int Index, ReputationIndicator Indicator)> ordered = pending.OrderBy(p => p.Indicator.Query.Kind).ToList();
        var distinctKeys = new HashSet<string>(StringComparer.Ordinal);
        var lookups = new List<(int Index, Task<ReputationResult> Answer)>();
        foreach ((int index, ReputationIndicator indicator) in ordered)
        {
            if (!distinctKeys.Contains(indicator.CacheKey) && distinctKeys.Count >= _options.MaxLookupsPerCall)
            {
                results[index] = ReputationResult.Unavailable(
                    indicator.Query, $"not looked up, over the limit of {_options.MaxLookupsPerCall} lookups per analysis");
                continue;
            }

            distinctKeys.Add(indicator.CacheKey);
            lookups.Add((index, AwaitWithDeadlineAsync(indicator, Shared(indicator, until), until, cancellationToken)));
        }

        foreach ((int index, Task<ReputationResult> answer) in lookups)
        {
            results[index] = await answer.ConfigureAwait(false);
        }

        return results.Select(r => r!).ToList();
    }

    /// <summary>The one in-flight lookup for this indicator, started if there is none. It runs to its end whoever
    /// waits for it, so its answer is cached even when the caller that started it has given up.</summary>
    private Task<ReputationResult> Shared(ReputationIndicator indicator, DateTimeOffset deadline)
    {
        var mine = new Lazy<Task<ReputationResult>>(() => FetchAsync(indicator, deadline), LazyThreadSafetyMode.ExecutionAndPublication);
        Lazy<Task<ReputationResult>> current = _inFlight.GetOrAdd(indicator.CacheKey, mine);
        return current.Value;
    }

    private async Task<ReputationResult> AwaitWithDeadlineAsync(
        ReputationIndicator indicator, Task<ReputationResult> answer, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        TimeSpan remaining = deadline - _timeProvider.GetUtcNow();
        try
        {
            ReputationResult result = remaining > TimeSpan.Zero
                ? await answer.WaitAsync(remaining, _timeProvider, cancellationToken).ConfigureAwait(false)
                : answer.IsCompleted ? await answer.ConfigureAwait(false) : throw new TimeoutException();
            return result with { Query = indicator.Query };
        }
        catch (TimeoutException)
        {
            return ReputationResult.Unavailable(indicator.Query, "no answer before the deadline");
        }
    }

    private async Task<ReputationResult> FetchAsync(ReputationIndicator indicator, DateTimeOffset deadline)
    {
        // Runs detached from any one caller's cancellation: several callers may share it (see Shared).
        await Task.Yield();
        try
        {
            // The caller read the cache before this fetch existed; a fetch of the same indicator that ended in between
            // has stored its answer (before leaving _inFlight), and must not cost a second request.
            if (await FromCacheAsync(indicator, CancellationToken.None).ConfigureAwait(false) is ReputationResult cached)
            {
                return cached;
            }

            RateLimitDecision decision = await _limiter.AcquireAsync(deadline, CancellationToken.None).ConfigureAwait(false);
            if (decision == RateLimitDecision.DailyLimitReached)
            {
                LogBudget(_logger, "daily limit reached");
                return ReputationResult.QuotaExhausted(
                    indicator.Query, $"the daily limit of {_options.DailyLimit} VirusTotal lookups is used (resets 00:00 UTC)");
            }

            if (decision == RateLimitDecision.RateLimited)
            {
                return ReputationResult.Unavailable(
                    indicator.Query, $"rate limited, no VirusTotal request slot before the deadline ({_options.RequestsPerMinute} per minute)");
            }

            var client = new VirusTotalClient(_httpClientFactory.CreateClient(VirusTotalClient.HttpClientName), _options, _timeProvider, _logger);
            ReputationResult result = await client.LookupAsync(indicator, CancellationToken.None).ConfigureAwait(false);
            if (result.Status == ReputationStatus.QuotaExhausted)
            {
                await _limiter.PauseAsync(_options.QuotaBackoff, CancellationToken.None).ConfigureAwait(false);
                LogBudget(_logger, "VirusTotal answered 429; pausing lookups");
            }

            await StoreAsync(indicator, result).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _inFlight.TryRemove(indicator.CacheKey, out _);
        }
    }

    private async Task<ReputationResult?> FromCacheAsync(ReputationIndicator indicator, CancellationToken cancellationToken)
    {
        string? json;
        try
        {
            json = await _cache.GetAsync(indicator.CacheKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A broken cache costs a lookup, never the answer.
            LogCacheFailure(_logger, "read", ex.GetType().Name);
            return null;
        }

        if (json is null)
        {
            return null;
        }

        CachedReputation? cached;
        try
        {
            cached = JsonSerializer.Deserialize<CachedReputation>(json, s_cacheJson);
        }
        catch (JsonException)
        {
            return null;
        }

        return cached?.ToResult(indicator.Query);
    }

    private async Task StoreAsync(ReputationIndicator indicator, ReputationResult result)
    {
        TimeSpan? ttl = result.Status switch
        {
            ReputationStatus.Malicious or ReputationStatus.Suspicious or ReputationStatus.Harmless => _options.CacheTtl,
            ReputationStatus.Unknown => _options.UnknownCacheTtl,
            _ => null,
        };
        if (ttl is not TimeSpan lifetime)
        {
            return;
        }

        try
        {
            string json = JsonSerializer.Serialize(CachedReputation.From(result), s_cacheJson);
            await _cache.SetAsync(indicator.CacheKey, json, _timeProvider.GetUtcNow() + lifetime, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCacheFailure(_logger, "write", ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "VirusTotal budget: {What}")]
    private static partial void LogBudget(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reputation cache {Operation} failed ({Error}); continuing without it")]
    private static partial void LogCacheFailure(ILogger logger, string operation, string error);

    /// <summary>What the cache keeps: counts and dates only. The summary is rebuilt from them on the way out, so a
    /// tampered cache row cannot put text of its own on a card.</summary>
    private sealed record CachedReputation(
        int Version,
        ReputationStatus Status,
        ReputationEngineCounts? Engines,
        DateTimeOffset? LastAnalysisDate,
        DateTimeOffset? RetrievedAt,
        IReadOnlyList<ReputationResolvedHost>? FlaggedHosts,
        int ResolutionsChecked)
    {
        private const int CurrentVersion = 1;

        public static CachedReputation From(ReputationResult result) =>
            new(CurrentVersion, result.Status, result.Engines, result.LastAnalysisDate, result.RetrievedAt, result.FlaggedHosts, result.ResolutionsChecked);

        public ReputationResult? ToResult(ReputationQuery query)
        {
            if (Version != CurrentVersion || !Enum.IsDefined(Status) || Status is ReputationStatus.Unavailable or ReputationStatus.QuotaExhausted)
            {
                return null;
            }

            if (Engines is { } e && (e.Malicious < 0 || e.Suspicious < 0 || e.Harmless < 0 || e.Undetected < 0 || e.Total < 0))
            {
                return null;
            }

            if (query.Kind == ReputationIndicatorKind.IpResolutions)
            {
                List<ReputationResolvedHost> hosts = (FlaggedHosts ?? [])
                    .Where(h => h is not null && !string.IsNullOrEmpty(h.HostName) && h.Malicious >= 0 && h.Suspicious >= 0)
                    .Select(h => h with { HostName = Http.RemoteText.OneLine(h.HostName, VirusTotalClient.MaxHostNameChars) })
                    .ToList();
                int checkedCount = Math.Max(ResolutionsChecked, hosts.Count);
                return new ReputationResult(
                    query,
                    ReputationSummary.ResolutionsStatus(hosts, checkedCount),
                    ReputationSummary.Resolutions(hosts.Count, checkedCount),
                    null,
                    null,
                    RetrievedAt,
                    true,
                    hosts,
                    checkedCount);
            }

            if (Status == ReputationStatus.Unknown)
            {
                string unknown = Engines is null ? "unknown to VirusTotal" : "known to VirusTotal, no analysis yet";
                return new ReputationResult(query, Status, unknown, Engines, LastAnalysisDate, RetrievedAt, true, [], 0);
            }

            // The verdict is recomputed from the counts rather than trusted from the row.
            return Engines is { Total: > 0 } counts
                ? new ReputationResult(
                    query, ReputationSummary.EnginesStatus(counts), ReputationSummary.Engines(counts), counts, LastAnalysisDate, RetrievedAt, true, [], 0)
                : null;
        }
    }
}
