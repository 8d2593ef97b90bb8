namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>
/// What <c>analyze-logs</c> reports. The first eight properties are the seed's <c>TTPMetrics</c> fields, in the seed's
/// order, so serialising with <see cref="Common.SeedJson.Options"/> reproduces its JSON; the rest are ours and come after.
/// </summary>
public sealed record TtpMetricsResult(
    long TotalEmails,
    long UrlThreatsBlocked,
    long AttachmentThreatsBlocked,
    long ImpersonationDetected,
    long InternalThreats,
    OrderedDictionary<string, long> TopThreatTypes,
    IReadOnlyList<TargetedUser> TopTargetedUsers,
    OrderedDictionary<string, DailyStats> DailyStats,
    IReadOnlyList<AttackTechniqueCount> AttackTechniques,
    RecordSourceCounts RecordSources);

/// <summary>One entry of <c>top_targeted_users</c>.</summary>
public sealed record TargetedUser(string User, long ThreatCount);

/// <summary>One value of <c>daily_stats</c>: records seen that day, and how many of them were threats.</summary>
public sealed record DailyStats(long Total, long Threats);

/// <summary>
/// Threats of one MITRE ATT&amp;CK technique, using seed 002's alert-type table; <paramref name="AlertTypes"/> counts
/// the Mimecast alert types that contributed, in first-seen order.
/// </summary>
public sealed record AttackTechniqueCount(string ThreatId, string ThreatName, long Count, OrderedDictionary<string, long> AlertTypes);

/// <summary>How many records of each input shape were read (seed export entries and the three Mimecast log kinds).</summary>
public sealed record RecordSourceCounts(long SeedEntries, long UrlClickLogs, long AttachmentLogs, long ImpersonationLogs);
