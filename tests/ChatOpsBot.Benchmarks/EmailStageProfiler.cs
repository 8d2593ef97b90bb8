using System.Diagnostics;
using System.Globalization;
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
/// </summary>
internal static class EmailStageProfiler
{
    public static int Run(string what, int rounds, string? onlyStage = null)
    {
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
}
