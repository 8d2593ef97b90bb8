namespace ChatOpsBot.Alerts;

/// <summary>The scheduled jobs' names: their Quartz job keys (group <see cref="Group"/>) and their checkpoint rows.</summary>
public static class JobNames
{
    public const string Group = "alerts";
    public const string UrlMonitor = "url-monitor";
    public const string UrlRecheck = "url-recheck";
    public const string ThreatFeed = "threat-feed";
    public const string ReportMailbox = "report-mailbox";
    public const string Delivery = "alert-delivery";
    public const string Maintenance = "storage-maintenance";
}
