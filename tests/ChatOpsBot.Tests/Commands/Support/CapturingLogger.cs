using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Tests.Commands.Support;

internal sealed record LogRecord(LogLevel Level, string Category, string Message, Exception? Exception, IReadOnlyList<object> Scopes);

/// <summary>Keeps every log line with the scopes active when it was written (the correlation id is one).</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly Lock _gate = new();
    private readonly List<LogRecord> _records = [];
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<LogRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>Waits (30 s at most, as a safety net) for a record matching <paramref name="match"/>.</summary>
    public async Task<LogRecord> WaitForAsync(Func<LogRecord, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_records.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    private void Add(LogRecord record)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _records.Add(record);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<object>();
            owner._scopes.ForEachScope((scope, list) => list.Add(scope!), scopes);
            owner.Add(new LogRecord(logLevel, category, formatter(state, exception), exception, scopes));
        }
    }
}
