using ChatOpsBot.Alerts.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Alerts;

/// <summary>Keeps the alert tables bounded: clicks older than the click window, and alerts (with their outbox rows)
/// that expired more than <see cref="KeepExpiredAlerts"/> ago.</summary>
internal sealed partial class AlertMaintenance(
    AlertDatabase database, IOptions<MonitorOptions> monitorOptions, TimeProvider timeProvider, ILogger<AlertMaintenance> logger)
{
    public static readonly TimeSpan KeepExpiredAlerts = TimeSpan.FromDays(30);

    public async Task<(long Clicks, int Alerts)> PurgeAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        DateTimeOffset clickCutoff = now - TimeSpan.FromDays(monitorOptions.Value.AllowedClickWindowDays);
        long clicks = await database.ReadAsync(c => ClickStore.PurgeOlderThanAsync(c, clickCutoff, cancellationToken), cancellationToken).ConfigureAwait(false);
        int alerts = await database.ReadAsync(c => AlertStore.PurgeExpiredAsync(c, now - KeepExpiredAlerts, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (clicks > 0 || alerts > 0)
        {
            LogPurged(clicks, alerts);
        }

        return (clicks, alerts);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert maintenance removed {Clicks} clicks older than the window and {Alerts} long-expired alerts")]
    private partial void LogPurged(long clicks, int alerts);
}
