using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace ChatOpsBot.Benchmarks.BotFramework;

/// <summary>
/// Acknowledgement latency of <c>POST /api/messages</c> under a fixed request rate: a Kestrel host with a no-op bot,
/// authenticated requests (a signed token, cached key set), each activity a new id so every request runs a turn.
/// Open loop: requests leave on schedule whatever the answers do, and latency counts from the scheduled send time,
/// so a stall shows in the percentiles instead of slowing the load (no coordinated omission).
/// Usage: ack-latency [RATE=500] [SECONDS=10]
/// </summary>
internal static class AckLatencyLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        int rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        int seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        if (rate <= 0 || seconds <= 0 || seconds > 600)
        {
            Console.Error.WriteLine("usage: ack-latency [RATE>0] [SECONDS 1-600]");
            return 2;
        }

        await using BenchmarkBotHost host = await BenchmarkBotHost.StartAsync(withBotHost: true);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = host.BaseUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };
        string token = host.Token(DateTimeOffset.UtcNow);

        Console.WriteLine($"warming up (2 s at {rate}/s) ...");
        await RunPhaseAsync(client, token, rate, 2, "warmup");
        Console.WriteLine($"measuring {seconds} s at {rate} requests/s on {Environment.ProcessorCount} cores ...");
        (double[] latencies, int failures, TimeSpan elapsed) = await RunPhaseAsync(client, token, rate, seconds, "run");

        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"requests {latencies.Length + failures}, non-200 {failures}, achieved {(latencies.Length + failures) / elapsed.TotalSeconds:0} req/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ack latency ms: p50 {Percentile(latencies, 0.50):0.00}  p90 {Percentile(latencies, 0.90):0.00}  p99 {Percentile(latencies, 0.99):0.00}  p99.9 {Percentile(latencies, 0.999):0.00}  max {(latencies.Length == 0 ? 0 : latencies[^1]):0.00}"));
        return failures == 0 ? 0 : 1;
    }

    private static async Task<(double[] Latencies, int Failures, TimeSpan Elapsed)> RunPhaseAsync(HttpClient client, string token, int rate, int seconds, string idPrefix)
    {
        int total = rate * seconds;
        var latencies = new double[total];
        var ok = new bool[total];
        var pending = new Task[total];
        double intervalTicks = (double)Stopwatch.Frequency / rate;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < total; i++)
        {
            long due = start + (long)(i * intervalTicks);
            long wait = due - Stopwatch.GetTimestamp();
            if (wait > Stopwatch.Frequency / 1000)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            }

            int index = i;
            pending[i] = SendAsync(client, token, $"{idPrefix}-{index}", due, latencies, ok, index);
        }

        await Task.WhenAll(pending);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        double[] succeeded = latencies.Where((_, i) => ok[i]).ToArray();
        return (succeeded, total - succeeded.Length, elapsed);
    }

    private static async Task SendAsync(HttpClient client, string token, string id, long due, double[] latencies, bool[] ok, int index)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/messages")
            {
                Content = new StringContent(BenchmarkBotHost.Message(id), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using HttpResponseMessage response = await client.SendAsync(request);
            latencies[index] = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
            ok[index] = response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            ok[index] = false;
        }
        catch (TaskCanceledException)
        {
            ok[index] = false;
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
