using System.Globalization;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Alerts.Cards;

/// <summary>
/// The <c>monitor status</c> card: per job its last run, outcome, next run, records ingested, alerts raised and last
/// error, then the outbox (open alerts, pending, sending, sent, failed, expired and unknown deliveries). Job errors are
/// stored text from outside services, so they are escaped like any other untrusted string.
/// </summary>
public static class MonitorStatusCard
{
    private const int ErrorChars = 300;

    public static AdaptiveCard Build(MonitorStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var body = new List<AdaptiveElement>
        {
            new AdaptiveTextBlock("Monitor status") { Size = AdaptiveTextSize.Large, Weight = AdaptiveTextWeight.Bolder, Wrap = true, Style = AdaptiveTextBlockStyle.Heading },
        };

        foreach (JobStatus job in status.Jobs)
        {
            body.Add(new AdaptiveTextBlock(CardText.Escape(job.JobName, 80) + (job.Enabled ? "" : " (disabled)"))
            {
                Weight = AdaptiveTextWeight.Bolder,
                Wrap = true,
                Spacing = AdaptiveSpacing.Medium,
            });
            var facts = new List<AdaptiveFact>
            {
                new("Last run", job.LastRunStartedAt is null ? "never" : $"{Utc(job.LastRunStartedAt)} ({CardText.Escape(job.LastOutcome ?? "running", 40)})"),
                new("Next run", job.NextRunAt is null ? "not scheduled in this process" : Utc(job.NextRunAt)),
                new("Records ingested", Count(job.RecordsIngested)),
                new("Alerts raised", Count(job.AlertsRaised)),
            };
            if (!string.IsNullOrWhiteSpace(job.LastError))
            {
                facts.Add(new("Last error", CardText.Escape(job.LastError, ErrorChars)));
            }

            body.Add(new AdaptiveFactSet { Facts = facts, Spacing = AdaptiveSpacing.Small });
        }

        body.Add(new AdaptiveTextBlock("Alerts and deliveries") { Weight = AdaptiveTextWeight.Bolder, Wrap = true, Spacing = AdaptiveSpacing.Medium });
        body.Add(new AdaptiveFactSet
        {
            Facts =
            [
                new("Open alerts", Count(status.OpenAlerts)),
                new("Pending", Count(status.PendingDeliveries)),
                new("Sending", Count(status.SendingDeliveries)),
                new("Sent", Count(status.SentDeliveries)),
                new("Failed", Count(status.FailedDeliveries)),
                new("Expired", Count(status.ExpiredDeliveries)),
                new("Unknown (check by hand)", Count(status.UnknownDeliveries)),
                new("Targets", Count(status.ConfiguredTargets)),
            ],
            Spacing = AdaptiveSpacing.Small,
        });

        return new AdaptiveCard
        {
            FallbackText = CardText.Plain(
                $"Monitor status: {status.OpenAlerts} open alerts, {status.PendingDeliveries} pending deliveries, {status.UnknownDeliveries} unknown", 200),
            Body = body,
            MsTeams = TeamsCardProperties.FullWidth,
        };
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Utc(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "";
}
