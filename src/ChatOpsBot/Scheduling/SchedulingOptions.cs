namespace ChatOpsBot.Scheduling;

/// <summary>Configuration section <c>Scheduling</c>.</summary>
public sealed record SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>The configuration key of <see cref="Enabled"/>.</summary>
    public const string EnabledKey = SectionName + ":Enabled";

    /// <summary>Shortest accepted check-in interval and threshold: below it a busy database or a GC pause would get live
    /// nodes written off (and their running jobs re-run by a peer).</summary>
    public static readonly TimeSpan MinClusterTiming = TimeSpan.FromSeconds(1);

    /// <summary>Longest accepted check-in interval and threshold: a dead node's work must be taken over within minutes.</summary>
    public static readonly TimeSpan MaxClusterTiming = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether the Quartz scheduler runs the alert jobs (monitor, re-check, threat feed, delivery, maintenance) in
    /// this process. On by default; off for a process that must not poll Mimecast or post alerts (a test host, a
    /// replica meant to serve chat only), in which case the commands still read and change alert state.
    /// </summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// On PostgreSQL (<c>Storage:Provider=Postgres</c>) the scheduler is a Quartz cluster node: how often this instance
    /// records in the database that it is alive. Ignored on SQLite, which is one instance and not clustered.
    /// </summary>
    public TimeSpan ClusterCheckinInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long past a missed check-in the other nodes wait before they treat this instance as dead and recover its
    /// triggers and its interrupted jobs. A dead instance's work is taken over within about
    /// <see cref="ClusterCheckinInterval"/> plus this. Keep it above the worst pause a live node can have (GC,
    /// VM migration, database failover): a live node that misses the window has its running job re-run by a peer.
    /// </summary>
    public TimeSpan ClusterCheckinMisfireThreshold { get; init; } = TimeSpan.FromSeconds(20);
}
