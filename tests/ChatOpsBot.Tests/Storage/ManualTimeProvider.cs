namespace ChatOpsBot.Tests.Storage;

/// <summary>A clock the test moves by hand; starts at a whole millisecond, the precision the stores keep.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _utcTicks = new DateTimeOffset(2026, 3, 1, 9, 30, 0, 125, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
}
