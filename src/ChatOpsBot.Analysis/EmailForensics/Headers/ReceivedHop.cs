namespace ChatOpsBot.Analysis.EmailForensics.Headers;

/// <summary>
/// One Received header as a hop. Every part is optional because real headers omit, redact or invent them;
/// <see cref="Raw"/> always keeps the unfolded original so nothing is lost when a clause cannot be read.
/// </summary>
public sealed record ReceivedHop
{
    /// <summary>1 for the oldest hop (the one nearest the sender), counting up to the receiving side.</summary>
    public int Hop { get; init; }

    /// <summary>The name the sending host gave (HELO or the host word after <c>from</c>).</summary>
    public string? FromHost { get; init; }

    /// <summary>The reverse-DNS name the receiving MTA recorded for the sender, when it wrote one.</summary>
    public string? FromReverseDns { get; init; }

    public string? FromIp { get; init; }

    public string? ByHost { get; init; }

    public string? ByIp { get; init; }

    /// <summary>The <c>with</c> clause: SMTP, ESMTPS, ESMTPSA, HTTPREST, Microsoft SMTP Server, ...</summary>
    public string? Protocol { get; init; }

    public string? Id { get; init; }

    public string? For { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>
    /// Seconds since the previous (older) hop that had a timestamp; signed. Negative means the clocks disagree,
    /// which is reported as <see cref="ClockSkew"/> and never as a large positive delay.
    /// </summary>
    public long? DelaySeconds { get; init; }

    public bool ClockSkew { get; init; }

    public required string Raw { get; init; }
}
