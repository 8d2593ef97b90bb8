namespace ChatOpsBot.Scheduling;

/// <summary>Configuration section <c>Scheduling</c>.</summary>
public sealed record SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>The configuration key of <see cref="Enabled"/>.</summary>
    public const string EnabledKey = SectionName + ":Enabled";

    /// <summary>
    /// Whether the Quartz scheduler runs the alert jobs (monitor, re-check, threat feed, delivery, maintenance) in
    /// this process. On by default; off for a process that must not poll Mimecast or post alerts (a second replica
    /// sharing nothing, a test host), in which case the commands still read and change alert state.
    /// </summary>
    public bool Enabled { get; init; } = true;
}
