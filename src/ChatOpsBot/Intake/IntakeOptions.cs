using Microsoft.Extensions.Options;

namespace ChatOpsBot.Intake;

/// <summary>Configuration section <c>Intake</c>: the mail-flow webhook <c>POST /api/intake/mail</c>.</summary>
public sealed class IntakeOptions
{
    public const string SectionName = "Intake";

    /// <summary>The request header that carries the key.</summary>
    public const string ApiKeyHeader = "X-ChatOps-Intake-Key";

    public const int MinApiKeyLength = 32;

    /// <summary>The shared secret a mail-flow rule or relay sends in <see cref="ApiKeyHeader"/>. Empty: the endpoint
    /// does not exist (404). At least 32 characters; generate it (<c>openssl rand -base64 32</c>).</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Largest message accepted; a larger body is refused with 413 as soon as it passes the limit.</summary>
    public long MaxMessageBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Messages analysed at once; a request beyond that gets 503 with <c>Retry-After</c> before its body is
    /// read, so a burst cannot hold many bodies of <see cref="MaxMessageBytes"/> in memory together.</summary>
    public int MaxConcurrentRequests { get; set; } = 4;

    public bool IsEnabled => ApiKey.Length > 0;
}

internal sealed class IntakeOptionsValidator : IValidateOptions<IntakeOptions>
{
    public ValidateOptionsResult Validate(string? name, IntakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.ApiKey.Length > 0 && (options.ApiKey.Length < IntakeOptions.MinApiKeyLength || options.ApiKey.Length > 512
            || options.ApiKey.Any(c => c is < '!' or > '~')))
        {
            problems.Add($"Intake:ApiKey must be {IntakeOptions.MinApiKeyLength} to 512 printable ASCII characters without spaces (or empty to turn the endpoint off).");
        }

        if (options.MaxConcurrentRequests is < 1 or > 64)
        {
            problems.Add("Intake:MaxConcurrentRequests must be between 1 and 64.");
        }

        if (options.MaxMessageBytes is < 1024 or > 150L * 1024 * 1024)
        {
            problems.Add("Intake:MaxMessageBytes must be between 1 KiB and 150 MiB.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>The webhook's concurrency limit (<see cref="IntakeOptions.MaxConcurrentRequests"/>), one per process.</summary>
internal sealed class IntakeGate(Microsoft.Extensions.Options.IOptions<IntakeOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentRequests, options.Value.MaxConcurrentRequests);

    /// <summary>A slot to release when done, or null when all are taken (no waiting: the caller answers 503).</summary>
    public IDisposable? TryEnter() => _slots.Wait(0) ? new Slot(_slots) : null;

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
