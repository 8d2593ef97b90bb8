using Microsoft.Extensions.Options;

namespace ChatOpsBot.BotFramework.Connector;

/// <summary>
/// How hard the Connector client tries (<c>Bot:Connector</c>). 429 and 5xx are retried with exponential backoff and
/// jitter, or after the Connector's <c>Retry-After</c> when it gives one; a <c>Retry-After</c> longer than
/// <see cref="MaxRetryAfter"/> ends the retries and surfaces it to the caller instead of blocking. A POST (a new
/// message) is retried only on 429 and 503, never on 500/502/504 or a timeout, whose outcome is unknown.
/// </summary>
public sealed class ConnectorClientOptions
{
    public const string SectionName = "Bot:Connector";

    public int MaxRetries { get; set; } = 3;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Per request, for each attempt. Timed-out requests are not retried: the Connector may have delivered them.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Larger responses are not read: a Connector answer is a few hundred bytes.</summary>
    public int MaxResponseBytes { get; set; } = 256 * 1024;
}

public sealed class ConnectorClientOptionsValidator : IValidateOptions<ConnectorClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ConnectorClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add("Bot:Connector:MaxRetries must be between 0 and 10.");
        }

        if (options.BaseDelay < TimeSpan.Zero || options.BaseDelay > options.MaxDelay)
        {
            failures.Add("Bot:Connector:BaseDelay must be between 0 and Bot:Connector:MaxDelay.");
        }

        if (options.MaxDelay > TimeSpan.FromMinutes(5) || options.MaxRetryAfter < TimeSpan.Zero || options.MaxRetryAfter > TimeSpan.FromMinutes(5))
        {
            failures.Add("Bot:Connector:MaxDelay and MaxRetryAfter must be between 0 and 5 minutes.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("Bot:Connector:RequestTimeout must be between 0 and 5 minutes.");
        }

        if (options.MaxResponseBytes is < 1024 or > 16 * 1024 * 1024)
        {
            failures.Add("Bot:Connector:MaxResponseBytes must be between 1 KiB and 16 MiB.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
