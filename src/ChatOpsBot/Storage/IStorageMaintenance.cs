namespace ChatOpsBot.Storage;

/// <summary>Rows removed by one <see cref="IStorageMaintenance.PurgeExpiredAsync"/> call.</summary>
public sealed record StoragePurgeResult(int InboundDeliveries, int ReputationAnswers);

/// <summary>Housekeeping for the scheduler: rows whose time to live has passed are dead weight (reads already ignore them).</summary>
public interface IStorageMaintenance
{
    /// <summary>Deletes expired inbound delivery ids and expired reputation answers.</summary>
    Task<StoragePurgeResult> PurgeExpiredAsync(CancellationToken cancellationToken);
}
