using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.TestSupport;

/// <summary>Keeps every log line (message and structured values) so tests can check what was, and was not, logged.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Text)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Text)> Entries => _entries.ToList();

    public string AllText => string.Join("\n", _entries.Select(e => e.Text));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            owner._entries.Enqueue((logLevel, category, $"{formatter(state, exception)} | {values} | {exception}"));
        }
    }
}
