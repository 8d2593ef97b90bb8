using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ChatOpsBot.Tests.Cluster;

/// <summary>
/// One bot instance as a separate process: the built host (<c>dotnet ChatOpsBot.dll --urls http://127.0.0.1:0</c>)
/// configured through environment variables, its console log (single-line, uncoloured) captured line by line.
/// Disposing kills it if it still runs; <see cref="KillAll"/> also runs when the test process exits, so no instance
/// outlives a failed or aborted test run.
/// </summary>
internal sealed partial class BotProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> s_running = new();
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    static BotProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    private BotProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<string> Lines => [.. _lines];

    public bool HasExited => _process.HasExited;

    /// <summary>The built host next to the test assembly (the test project references it, so it is built with it).</summary>
    public static string HostAssembly => Path.Combine(AppContext.BaseDirectory, "ChatOpsBot.dll");

    /// <summary>Starts the host with <paramref name="settings"/> (configuration keys, <c>:</c>-separated) and waits until it listens.</summary>
    public static async Task<BotProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        foreach ((string key, string value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var bot = new BotProcess(name, process);
        process.OutputDataReceived += (_, e) => bot.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => bot.OnLine(e.Data);
        process.Exited += (_, _) => bot._listening.TrySetException(new InvalidOperationException($"{name} exited with {SafeExitCode(process)} before it listened"));
        process.Start();
        s_running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            bot.BaseUrl = await bot._listening.Task.WaitAsync(s_startTimeout);
            return bot;
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            await bot.DisposeAsync();
            throw new InvalidOperationException($"{name} did not start:\n{string.Join('\n', bot.Lines.TakeLast(60))}", ex);
        }
    }

    /// <summary>Lines whose text matches <paramref name="pattern"/>.</summary>
    public IEnumerable<Match> Matches(Regex pattern) => Lines.Select(line => pattern.Match(line)).Where(m => m.Success);

    /// <summary>A hard kill (SIGKILL), as a crashed or evicted instance ends: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(10_000);
    }

    public string Describe() => $"--- {Name} ---\n{string.Join('\n', Lines.TakeLast(80))}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        s_running.TryRemove(_process.Id, out _);
        await Task.Yield();
        _process.Dispose();
    }

    /// <summary>Kills every instance still running (the test process is exiting).</summary>
    public static void KillAll()
    {
        foreach (Process process in s_running.Values)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        if (ListeningPattern().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningPattern();
}
