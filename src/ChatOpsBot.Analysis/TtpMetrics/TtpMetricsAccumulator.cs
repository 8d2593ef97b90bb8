using System.Runtime.CompilerServices;
namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>Which Mimecast alert type (seed 002) a threat record stands for.</summary>
internal enum ThreatAlert : byte
{
    None = 0,
    UrlProtection,
    UnsafeEmailAttachment,
    ImpersonationAttempt,
    InternalEmailProtect,
}

/// <summary>The shape a record came in.</summary>
internal enum RecordSource : byte
{
    SeedEntry = 0,
    UrlClickLog,
    AttachmentLog,
    ImpersonationLog,
}

/// <summary>
/// The seed's <c>analyze_ttp_logs</c> loop body as a streaming accumulator: its counters, its two <c>Counter</c>s and its
/// <c>daily</c> dict, with the same insertion-order rules, so <see cref="Build"/> gives the seed's result.
/// </summary>
internal sealed class TtpMetricsAccumulator
{
    private static readonly string[] s_threatTypeNames = ["", "", "URL Threat", "Attachment Threat", "Impersonation", "Internal Threat"];

    private static readonly string[] s_alertTypeNames =
    [
        "",
        MimecastAttackMapping.UrlProtection,
        MimecastAttackMapping.UnsafeEmailAttachment,
        MimecastAttackMapping.ImpersonationAttempt,
        MimecastAttackMapping.InternalEmailProtect,
    ];

    private readonly Utf8KeyTable<DailyCounts> _daily;
    private readonly Utf8KeyTable<long> _recipients;
    private readonly long[] _categoryCounts = new long[6];
    private readonly int[] _categoryFirstCounted = new int[6];
    private readonly long[] _alertCounts = new long[5];
    private readonly int[] _alertFirstCounted = new int[5];
    private readonly long[] _sourceCounts = new long[4];
    private int _firstCountedSequence;
    private long _total;

    public TtpMetricsAccumulator(TtpLogLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _daily = new Utf8KeyTable<DailyCounts>(limits.MaxDistinctDates, limits.MaxDistinctKeyBytes, "dates", "date");
        _recipients = new Utf8KeyTable<long>(limits.MaxDistinctRecipients, limits.MaxDistinctKeyBytes, "recipients", "recipient");
    }

    public static ReadOnlySpan<byte> UnknownDate => "unknown"u8;

    /// <param name="source">The shape the record came in.</param>
    /// <param name="date">UTF-8 key of <c>daily_stats</c>.</param>
    /// <param name="category">The seed category the record maps to.</param>
    /// <param name="alert">The alert type of a threat, for the ATT&amp;CK view; <see cref="ThreatAlert.None"/> otherwise.</param>
    /// <param name="recipient">UTF-8 recipient, empty when missing or falsy (Python: not counted).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(RecordSource source, ReadOnlySpan<byte> date, ThreatCategory category, ThreatAlert alert, ReadOnlySpan<byte> recipient)
    {
        _total++;
        _sourceCounts[(int)source]++;

        ref DailyCounts day = ref _daily.GetOrAdd(date);
        day.Total++;

        if (category >= ThreatCategory.UrlThreat)
        {
            day.Threats++;
            CountOnce(_categoryCounts, _categoryFirstCounted, (int)category);
            CountOnce(_alertCounts, _alertFirstCounted, (int)alert);
        }

        if (!recipient.IsEmpty && category != ThreatCategory.Clean)
        {
            _recipients.GetOrAdd(recipient)++;
        }
    }

    /// <summary>Adds the counts of <paramref name="later"/>, which read the input that follows this one's.</summary>
    public void Merge(TtpMetricsAccumulator later)
    {
        ArgumentNullException.ThrowIfNull(later);
        _total += later._total;
        for (int source = 0; source < _sourceCounts.Length; source++)
        {
            _sourceCounts[source] += later._sourceCounts[source];
        }

        MergeCounter(_categoryCounts, _categoryFirstCounted, later._categoryCounts, later._categoryFirstCounted);
        MergeCounter(_alertCounts, _alertFirstCounted, later._alertCounts, later._alertFirstCounted);

        // Keys new to this table are appended in the later table's order: first seen and first counted stay in input order.
        for (int i = 0; i < later._daily.Count; i++)
        {
            ref DailyCounts day = ref _daily.GetOrAdd(later._daily.KeyAt(i));
            DailyCounts add = later._daily.ValueAt(i);
            day.Total += add.Total;
            day.Threats += add.Threats;
        }

        for (int i = 0; i < later._recipients.Count; i++)
        {
            _recipients.GetOrAdd(later._recipients.KeyAt(i)) += later._recipients.ValueAt(i);
        }
    }

    public TtpMetricsResult Build()
    {
        var topThreatTypes = new OrderedDictionary<string, long>(StringComparer.Ordinal);
        foreach (int category in MostCommon(_categoryCounts, _categoryFirstCounted, 10))
        {
            topThreatTypes.Add(s_threatTypeNames[category], _categoryCounts[category]);
        }

        var dailyStats = new OrderedDictionary<string, DailyStats>(_daily.Count, StringComparer.Ordinal);
        for (int i = 0; i < _daily.Count; i++)
        {
            DailyCounts counts = _daily.ValueAt(i);
            dailyStats.Add(_daily.KeyStringAt(i), new DailyStats(counts.Total, counts.Threats));
        }

        return new TtpMetricsResult(
            _total,
            _categoryCounts[(int)ThreatCategory.UrlThreat],
            _categoryCounts[(int)ThreatCategory.AttachmentThreat],
            _categoryCounts[(int)ThreatCategory.Impersonation],
            _categoryCounts[(int)ThreatCategory.InternalThreat],
            topThreatTypes,
            TopRecipients(10),
            dailyStats,
            AttackTechniques(),
            new RecordSourceCounts(
                _sourceCounts[(int)RecordSource.SeedEntry],
                _sourceCounts[(int)RecordSource.UrlClickLog],
                _sourceCounts[(int)RecordSource.AttachmentLog],
                _sourceCounts[(int)RecordSource.ImpersonationLog]));
    }

    private void MergeCounter(long[] counts, int[] firstCounted, long[] laterCounts, int[] laterFirstCounted)
    {
        foreach (int slot in Enumerable.Range(0, counts.Length).Where(s => laterCounts[s] > 0).OrderBy(s => laterFirstCounted[s]))
        {
            if (counts[slot] == 0)
            {
                firstCounted[slot] = _firstCountedSequence++;
            }

            counts[slot] += laterCounts[slot];
        }
    }

    private void CountOnce(long[] counts, int[] firstCounted, int slot)
    {
        if (counts[slot]++ == 0)
        {
            firstCounted[slot] = _firstCountedSequence++;
        }
    }

    /// <summary>
    /// <c>Counter.most_common(n)</c>: <c>heapq.nlargest</c> is a stable sort by count, descending, so ties keep the
    /// order in which keys were first counted.
    /// </summary>
    private static List<int> MostCommon(long[] counts, int[] firstCounted, int n)
    {
        var slots = new List<int>();
        for (int slot = 0; slot < counts.Length; slot++)
        {
            if (counts[slot] > 0)
            {
                slots.Add(slot);
            }
        }

        slots.Sort((a, b) => counts[a] != counts[b] ? counts[b].CompareTo(counts[a]) : firstCounted[a].CompareTo(firstCounted[b]));
        return slots.Count > n ? slots[..n] : slots;
    }

    private List<TargetedUser> TopRecipients(int n)
    {
        // Entries are in first-counted order, so keeping the first of equal counts reproduces most_common's ties.
        var top = new List<int>(n + 1);
        for (int i = 0; i < _recipients.Count; i++)
        {
            long count = _recipients.ValueAt(i);
            if (top.Count == n && count <= _recipients.ValueAt(top[^1]))
            {
                continue;
            }

            int position = top.Count;
            while (position > 0 && _recipients.ValueAt(top[position - 1]) < count)
            {
                position--;
            }

            top.Insert(position, i);
            if (top.Count > n)
            {
                top.RemoveAt(n);
            }
        }

        return top.ConvertAll(i => new TargetedUser(_recipients.KeyStringAt(i), _recipients.ValueAt(i)));
    }

    private List<AttackTechniqueCount> AttackTechniques()
    {
        var alerts = new List<int>();
        for (int alert = 1; alert < _alertCounts.Length; alert++)
        {
            if (_alertCounts[alert] > 0)
            {
                alerts.Add(alert);
            }
        }

        alerts.Sort((a, b) => _alertFirstCounted[a].CompareTo(_alertFirstCounted[b]));

        // Techniques in first-counted order, then sorted by count: a stable sort, so ties keep that order.
        var techniques = new List<AttackTechniqueCount>();
        foreach (int alert in alerts)
        {
            string alertType = s_alertTypeNames[alert];
            if (!MimecastAttackMapping.TryGetTechnique(alertType, out AttackTechnique? technique))
            {
                continue;
            }

            int index = techniques.FindIndex(t => t.ThreatId == technique.ThreatId);
            if (index < 0)
            {
                techniques.Add(new AttackTechniqueCount(technique.ThreatId, technique.ThreatName, 0, new OrderedDictionary<string, long>(StringComparer.Ordinal)));
                index = techniques.Count - 1;
            }

            techniques[index].AlertTypes.Add(alertType, _alertCounts[alert]);
            techniques[index] = techniques[index] with { Count = techniques[index].Count + _alertCounts[alert] };
        }

        var byCount = new List<AttackTechniqueCount>(techniques.Count);
        foreach (AttackTechniqueCount technique in techniques)
        {
            int position = byCount.Count;
            while (position > 0 && byCount[position - 1].Count < technique.Count)
            {
                position--;
            }

            byCount.Insert(position, technique);
        }

        return byCount;
    }

    private struct DailyCounts
    {
        public long Total;
        public long Threats;
    }
}
