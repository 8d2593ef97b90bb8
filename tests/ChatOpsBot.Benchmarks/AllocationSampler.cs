using System.Diagnostics.Tracing;
using System.Globalization;

namespace ChatOpsBot.Benchmarks;

/// <summary>
/// Which types the corpus analysis allocates: the runtime's GC AllocationTick event (one sample about every 100 KB
/// allocated, naming the type of the object that crossed the threshold) counted per type over many passes, so the
/// counts are proportional to bytes allocated per type.
/// Run: dotnet run -c Release --project tests/ChatOpsBot.Benchmarks -- profile-email alloc-types [PASSES]
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, long> _samples = new(StringComparer.Ordinal);
    private bool _counting;

    public static int Run(List<byte[]> messages, int passes, Action<byte[]> work)
    {
        using var sampler = new AllocationSampler();
        messages.ForEach(work);
        sampler._counting = true;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int pass = 0; pass < passes; pass++)
        {
            messages.ForEach(work);
        }

        sampler._counting = false;
        long perPass = (GC.GetAllocatedBytesForCurrentThread() - before) / Math.Max(1, passes);
        long total;
        List<KeyValuePair<string, long>> top;
        lock (sampler._samples)
        {
            total = sampler._samples.Values.Sum();
            top = [.. sampler._samples.OrderByDescending(p => p.Value).Take(40)];
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{perPass} bytes allocated per pass; {total} allocation samples"));
        foreach ((string type, long count) in top)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * count / Math.Max(1, total),6:F1}%  ~{perPass * count / Math.Max(1, total),9} B/pass  {type}"));
        }

        return 0;
    }

    /// <summary>Starts counting allocation samples by type (for code other than the mail passes).</summary>
    public void Begin()
    {
        lock (_samples)
        {
            _samples.Clear();
        }

        _counting = true;
    }

    /// <summary>Stops counting and prints the types, <paramref name="bytes"/> shared out by sample count.</summary>
    public void End(string title, long bytes)
    {
        _counting = false;
        List<KeyValuePair<string, long>> top;
        long total;
        lock (_samples)
        {
            total = _samples.Values.Sum();
            top = [.. _samples.OrderByDescending(p => p.Value).Take(15)];
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {title}: {bytes / 1e6:F1} MB, {total} samples"));
        foreach ((string type, long count) in top)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {100.0 * count / Math.Max(1, total),6:F1}%  ~{bytes * count / Math.Max(1, total) / 1e6,7:F1} MB  {type}"));
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_counting || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        int index = eventData.PayloadNames?.IndexOf("TypeName") ?? -1;
        string type = index >= 0 ? eventData.Payload[index] as string ?? "?" : "?";
        lock (_samples)
        {
            _samples[type] = _samples.GetValueOrDefault(type) + 1;
        }
    }
}
