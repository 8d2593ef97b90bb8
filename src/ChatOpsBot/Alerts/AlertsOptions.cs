namespace ChatOpsBot.Alerts;

/// <summary>The <c>Monitor</c> section: the URL monitor (seed 001's replacement) and its VirusTotal re-check.</summary>
public sealed class MonitorOptions
{
    public const string SectionName = "Monitor";

    /// <summary>Every 20 minutes, like the seed.</summary>
    public const string DefaultSchedule = "0 0/20 * * * ?";

    /// <summary>Every 6 hours, at 10 past.</summary>
    public const string DefaultRecheckSchedule = "0 10 0/6 * * ?";

    public bool Enabled { get; set; } = true;

    /// <summary>Quartz cron expression of the monitor run.</summary>
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>How long clicks Mimecast allowed are kept and matched (the seed's 30 days; it actually used 30 hours).</summary>
    public int AllowedClickWindowDays { get; set; } = 30;

    /// <summary>
    /// Each run asks again for this much before the last checkpoint: Mimecast's logs are weak on time and a click can
    /// appear in them minutes after it happened. Records seen before are recognised by their fingerprint.
    /// </summary>
    public TimeSpan OverlapWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>One log query covers at most this period, so a 30-day backfill is many bounded queries, each committed
    /// with its checkpoint.</summary>
    public TimeSpan QueryChunk { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Match a malicious click against allowed clicks of the same registrable domain instead of the same
    /// normalised URL. Broader, noisier (shared hosting, URL shorteners): off by default.</summary>
    public bool MatchByRegistrableDomain { get; set; }

    /// <summary>Query parameters dropped when URLs are normalised; a trailing <c>*</c> matches a prefix.</summary>
    public IList<string> TrackingParameters { get; } = [];

    /// <summary>Most earlier clickers listed in one alert (the total is always shown).</summary>
    public int MaxExposedListed { get; set; } = 50;

    public bool RecheckEnabled { get; set; } = true;

    /// <summary>Quartz cron expression of the VirusTotal re-check.</summary>
    public string RecheckSchedule { get; set; } = DefaultRecheckSchedule;

    /// <summary>The re-check asks about distinct allowed URLs clicked within this many days.</summary>
    public int RecheckLookbackDays { get; set; } = 7;

    /// <summary>Most URLs one re-check run asks about (the public VirusTotal API allows 500 lookups a day).</summary>
    public int RecheckMaxUrls { get; set; } = 100;

    /// <summary>How long one re-check run may wait for VirusTotal's rate limiter in total.</summary>
    public TimeSpan RecheckDeadline { get; set; } = TimeSpan.FromMinutes(30);

    internal static readonly string[] DefaultTrackingParameters =
    [
        "utm_*", "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "yclid", "igshid",
    ];

    /// <summary>The configured parameters, or the defaults when none are configured.</summary>
    internal IReadOnlyList<string> EffectiveTrackingParameters => TrackingParameters.Count > 0 ? [.. TrackingParameters] : DefaultTrackingParameters;
}

/// <summary>The <c>Alerts</c> section: the threat feed, the outbox and alert state.</summary>
public sealed class AlertsOptions
{
    public const string SectionName = "Alerts";

    public const string DefaultThreatFeedSchedule = "0 0/5 * * * ?";
    public const string DefaultDeliverySchedule = "0/30 * * * * ?";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Where every alert goes, besides subscriptions: <c>mail:soc@example.org</c>, or
    /// <c>conversation:&lt;channel id&gt;:&lt;conversation id&gt;</c> for a Teams or Slack conversation the bot knows.
    /// <c>Smtp:Recipients</c> (<c>EMAIL_RECIPIENTS</c>) are added as mail targets.
    /// </summary>
    public IList<string> Targets { get; } = [];

    public bool ThreatFeedEnabled { get; set; } = true;

    /// <summary>Quartz cron expression of the threat feed poll.</summary>
    public string ThreatFeedSchedule { get; set; } = DefaultThreatFeedSchedule;

    /// <summary>On its first run the threat feed starts this far back, not at the beginning of the logs.</summary>
    public TimeSpan ThreatFeedInitialLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Re-read before the threat feed's checkpoint on every poll (late log records).</summary>
    public TimeSpan ThreatFeedOverlap { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Events of one type from the same sender (or for the same URL) closer together than this are one alert
    /// with a count.</summary>
    public TimeSpan BurstWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Quartz cron expression of the outbox pump (it also runs right after a job raises an alert).</summary>
    public string DeliverySchedule { get; set; } = DefaultDeliverySchedule;

    /// <summary>First retry delay of a failed delivery; doubles per attempt up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A delivery not done this long after the alert was raised is given up (status <c>expired</c>).</summary>
    public TimeSpan DeliveryDeadline { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a delivery in flight is held by the process sending it. A row still "sending" after this is treated
    /// as abandoned by a process that died, and reconciled instead of sent again. Must exceed any channel's send
    /// timeout.
    /// </summary>
    public TimeSpan DeliveryLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an alert stays current: later detections of the same thing within it are folded into it and
    /// counted rather than posted again; after it, a detection raises a new alert.</summary>
    public TimeSpan AlertLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>What the Snooze button does.</summary>
    public TimeSpan SnoozeDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Most deliveries one outbox run sends.</summary>
    public int DeliveryBatchSize { get; set; } = 100;
}

/// <summary>The <c>Smtp</c> section: alert mail (System.Net.Mail with STARTTLS). The seed's environment variables
/// <c>SMTP_SERVER</c>, <c>SMTP_USER</c>, <c>SMTP_PW</c> and <c>EMAIL_RECIPIENTS</c> fill keys left empty.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    /// <summary>Empty means no mail is sent (mail targets then fail as "not configured").</summary>
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    /// <summary>STARTTLS before authenticating. Turning it off is refused unless the host is a loopback address.</summary>
    public bool UseStartTls { get; set; } = true;

    public string Username { get; set; } = "";

    /// <summary>Never logged.</summary>
    public string Password { get; set; } = "";

    /// <summary>The From address; <see cref="Username"/> when empty (the seed's behaviour).</summary>
    public string From { get; set; } = "";

    /// <summary>Alert mail recipients (each becomes a <c>mail:</c> target).</summary>
    public IList<string> Recipients { get; } = [];

    /// <summary>One SMTP transaction's time limit.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    internal string EffectiveFrom => string.IsNullOrWhiteSpace(From) ? Username : From;
}
