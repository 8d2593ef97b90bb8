using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Attachments;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Analysis.EmailForensics.Links;
using ChatOpsBot.Mail;

namespace ChatOpsBot.Benchmarks;

/// <summary>
/// A Stopwatch breakdown of the analysis stages (each stage timed on its own over the same messages), to find where
/// the time of <see cref="EmailAnalyzer.Analyze(ReadOnlyMemory{byte}, EmailAnalysisOptions?)"/> goes.
/// Run: dotnet run -c Release --project tests/ChatOpsBot.Benchmarks -- profile-email corpus|large [ROUNDS] [STAGE]
/// Min-of-N (wall and thread CPU time, allocations): ... -- profile-email corpus-min [ROUNDS]
/// Bytes allocated per type: ... -- profile-email alloc-types [PASSES] [parse|analyze]
/// Fixed work for instruction counting: ... -- profile-email corpus-passes [PASSES] [parse|analyze]
/// </summary>
internal static class EmailStageProfiler
{
    public static int Run(string what, int rounds, string? onlyStage = null)
    {
        if (what == "corpus-min")
        {
            return MinOfN(EmailAnalysisBenchmarks.LoadCorpusMessages(), rounds);
        }

        if (what == "alloc-types")
        {
            // "parse" samples the parser alone; anything else the full analysis.
            Action<byte[]> sampled = onlyStage == "parse" ? m => MimeMessage.Load(m) : m => Analyze(m);
            return AllocationSampler.Run(EmailAnalysisBenchmarks.LoadCorpusMessages(), rounds, sampled);
        }

        if (what == "corpus-passes")
        {
            return FixedPasses(EmailAnalysisBenchmarks.LoadCorpusMessages(), rounds, onlyStage ?? "analyze");
        }

        List<byte[]> messages = what == "large" ? [MimeParserBenchmarks.BuildLargeMessage()] : EmailAnalysisBenchmarks.LoadCorpusMessages();
        long bytes = messages.Sum(m => (long)m.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{messages.Count} messages, {bytes} bytes, {rounds} rounds (after 1.5 s of warm-up per stage)"));

        var stages = new (string Name, Func<byte[], long> Work)[]
        {
            ("parse", m => MimeMessage.Load(m).Headers.Count),
            ("parse + bodies (text, html)", m =>
            {
                MimeMessage message = MimeMessage.Load(m);
                return (message.TextBody?.Length ?? 0) + (message.HtmlBody?.Length ?? 0);
            }),
            ("parse + forward detection", m => ForwardDetection.FindAttachedOriginal(MimeMessage.Load(m), MimeParserOptions.Default) is null ? 0 : 1),
            ("parse + html to text", m => MimeMessage.Load(m).HtmlBody is { } html ? HtmlText.ToText(html).Length : 0),
            ("parse + received/auth/ips", m =>
            {
                MimeMessage message = MimeMessage.Load(m);
                List<KeyValuePair<string, string>> headers = message.Headers.Select(h => new KeyValuePair<string, string>(h.Field, h.Value)).ToList();
                return ReceivedParser.ParseChain(message.Headers.FindAll("Received").Select(h => h.Value)).Count
                    + AuthenticationEvaluator.Evaluate(headers).Dkim.Count + HeaderIpScanner.Scan(headers).Count;
            }),
            ("parse + received hops", m =>
            {
                MimeMessage message = MimeMessage.Load(m);
                return ReceivedParser.ParseChain(message.Headers.FindAll("Received").Select(h => h.Value)).Count;
            }),
            ("parse + authentication", m =>
            {
                MimeMessage message = MimeMessage.Load(m);
                return AuthenticationEvaluator.Evaluate(message.Headers.Select(h => new KeyValuePair<string, string>(h.Field, h.Value)).ToList()).Dkim.Count;
            }),
            ("parse + header ips", m =>
            {
                MimeMessage message = MimeMessage.Load(m);
                return HeaderIpScanner.Scan(message.Headers.Select(h => new KeyValuePair<string, string>(h.Field, h.Value)).ToList()).Count;
            }),
            ("parse + url extraction", m =>
            {
                MimeMessage message = MimeMessage.Load(m);
                return message.TextBody is null && message.HtmlBody is null ? 0 : UrlExtractor.Extract(message.TextBody, message.HtmlBody).Count;
            }),
            ("parse + attachment inspection", m =>
            {
                long size = 0;
                foreach (MimeEntity entity in MimeMessage.Load(m).BodyParts)
                {
                    if (entity is MimePart part && (part.IsAttachment || part.FileName is not null))
                    {
                        using Stream content = part.OpenContentStream();
                        size += AttachmentInspector.Inspect(part.FileName, part.ContentType.MimeType, content).Size;
                    }
                }

                return size;
            }),
            ("parse + content defects", m => MimeMessage.Load(m).BodyParts.OfType<MimePart>().Sum(p => p.ContentDefects.Count)),
            ("full analysis", m => Analyze(m)?.Score ?? 0),
            ("full analysis + json", m => Analyze(m) is { } report ? EmailReportJson.Serialize(report).Length : 0),
        };

        if (onlyStage == "slowest")
        {
            PrintSlowest(messages, rounds);
            return 0;
        }

        foreach ((string name, Func<byte[], long> work) in stages.Where(s => onlyStage is null || s.Name == onlyStage))
        {
            // Warm up for a second so tiered compilation has promoted the hot methods before the clock starts.
            var warmUp = Stopwatch.StartNew();
            while (warmUp.ElapsedMilliseconds < 1500)
            {
                foreach (byte[] message in messages)
                {
                    work(message);
                }
            }

            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            int gen0Before = GC.CollectionCount(0);
            int gen2Before = GC.CollectionCount(2);
            var watch = Stopwatch.StartNew();
            for (int round = 0; round < rounds; round++)
            {
                foreach (byte[] message in messages)
                {
                    work(message);
                }
            }

            watch.Stop();
            long allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / rounds;
            double seconds = watch.Elapsed.TotalSeconds / rounds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-32} {seconds * 1000,9:F2} ms/round {bytes / 1e6 / seconds,8:F1} MB/s {allocated / 1e6,9:F1} MB allocated/round {(GC.CollectionCount(0) - gen0Before) / (double)rounds,6:F2} gen0 {(GC.CollectionCount(2) - gen2Before) / (double)rounds,6:F2} gen2 GCs/round"));
        }

        return 0;
    }

    /// <summary>
    /// Parse-only and parse + full analysis passes over the corpus, interleaved, reporting the minimum (and p10, median)
    /// of wall-clock and of the thread's own CPU time per pass, and the bytes allocated per pass (exact). On a machine
    /// shared with other work the minimum of many passes, and CPU time rather than wall-clock, are what stay comparable
    /// from run to run.
    /// </summary>
    private static int MinOfN(List<byte[]> messages, int rounds)
    {
        long bytes = messages.Sum(m => (long)m.Length);
        var modes = new (string Name, Action<byte[]> Work)[]
        {
            ("parse only", m => MimeMessage.Load(m)),
            ("parse + full analysis", m => Analyze(m)),
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{messages.Count} messages, {bytes} bytes, {rounds} interleaved passes per mode (after 3 s of warm-up each); thread CPU time {(ThreadCpu.IsAvailable ? "read with clock_gettime" : "not available here")}"));
        foreach ((_, Action<byte[]> work) in modes)
        {
            var warmUp = Stopwatch.StartNew();
            while (warmUp.ElapsedMilliseconds < 3000)
            {
                messages.ForEach(work);
            }
        }

        var wall = modes.Select(_ => new List<double>()).ToArray();
        var cpu = modes.Select(_ => new List<double>()).ToArray();
        var allocated = modes.Select(_ => new List<long>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < modes.Length; k++)
            {
                int mode = (round + k) % modes.Length;
                long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                long cpuBefore = ThreadCpu.Nanoseconds();
                long started = Stopwatch.GetTimestamp();
                messages.ForEach(modes[mode].Work);
                wall[mode].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                cpu[mode].Add((ThreadCpu.Nanoseconds() - cpuBefore) / 1e6);
                allocated[mode].Add(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
            }
        }

        for (int mode = 0; mode < modes.Length; mode++)
        {
            Print(modes[mode].Name + ", wall", wall[mode], bytes, allocated[mode].Min());
            if (ThreadCpu.IsAvailable)
            {
                Print(modes[mode].Name + ", thread CPU", cpu[mode], bytes, allocated[mode].Min());
            }
        }

        return 0;
    }

    /// <summary>
    /// Two passes over the corpus (which compile every method on the path) and then <paramref name="passes"/> more,
    /// with no clock and no warm-up loop, so the work is the same on every run. Under
    /// <c>valgrind --tool=callgrind</c> (with <c>DOTNET_TieredCompilation=0</c>, so each method is compiled once,
    /// fully optimised) the instructions of one pass are the difference between two runs with different
    /// <paramref name="passes"/>, divided by that difference: a figure that does not move with the machine's load.
    /// </summary>
    private static int FixedPasses(List<byte[]> messages, int passes, string mode)
    {
        Action<byte[]> work = mode switch
        {
            "parse" => m => MimeMessage.Load(m),
            "analyze" => m => Analyze(m),
            _ => throw new ArgumentException($"unknown mode '{mode}': parse or analyze", nameof(mode)),
        };
        // Under valgrind, compiling a generated regex's matcher can outlast the regex's match timeout, which the first
        // call pays: the warm-up passes forgive that timeout, the counted passes do not.
        for (int warmUp = 0; warmUp < 2; warmUp++)
        {
            foreach (byte[] message in messages)
            {
                try
                {
                    work(message);
                }
                catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
                {
                }
            }
        }

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int pass = 0; pass < passes; pass++)
        {
            messages.ForEach(work);
        }

        long perPass = passes > 0 ? (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / passes : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode}: 2 warm-up + {passes} passes over {messages.Count} messages; {perPass} bytes allocated per pass"));
        return 0;
    }

    private static void Print(string name, List<double> milliseconds, long bytes, long allocated)
    {
        List<double> sorted = [.. milliseconds.Order()];
        double min = sorted[0];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-36} min {min,7:F3} ms ({bytes / 1e3 / min,6:F1} MB/s)  p10 {sorted[sorted.Count / 10],7:F3}  median {sorted[sorted.Count / 2],7:F3} ms  {allocated / 1e6,6:F2} MB allocated/pass"));
    }

    private static void PrintSlowest(List<byte[]> messages, int rounds)
    {
        var timings = new List<(int Index, double Ms, int Bytes)>();
        for (int i = 0; i < messages.Count; i++)
        {
            for (int w = 0; w < 20; w++)
            {
                Analyze(messages[i]);
            }

            var watch = Stopwatch.StartNew();
            for (int r = 0; r < rounds; r++)
            {
                Analyze(messages[i]);
            }

            timings.Add((i, watch.Elapsed.TotalMilliseconds / rounds, messages[i].Length));
        }

        List<string> files = EmailAnalysisBenchmarks.CorpusFileNames();
        foreach ((int index, double ms, int bytes) in timings.OrderByDescending(t => t.Ms).Take(15))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ms,8:F3} ms {bytes,8} bytes {bytes / 1e3 / ms,7:F1} MB/s {files[index]}"));
        }
    }

    private static EmailReport? Analyze(byte[] message)
    {
        try
        {
            return EmailAnalyzer.Analyze(message);
        }
        catch (Analysis.Common.InvalidInputException)
        {
            return null;
        }
    }

    /// <summary>
    /// CPU time consumed by the calling thread (Linux CLOCK_THREAD_CPUTIME_ID): time spent waiting for a core on a busy
    /// machine does not inflate it. Elsewhere <see cref="IsAvailable"/> is false and the value is 0.
    /// </summary>
    private static class ThreadCpu
    {
        private const int ClockThreadCpuTimeId = 3;

        public static bool IsAvailable { get; } = OperatingSystem.IsLinux();

        public static long Nanoseconds()
        {
            if (!IsAvailable || NativeMethods.clock_gettime(ClockThreadCpuTimeId, out Timespec time) != 0)
            {
                return 0;
            }

            return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        private static class NativeMethods
        {
            [DllImport("libc")]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            public static extern int clock_gettime(int clock, out Timespec time);
        }
    }
}
