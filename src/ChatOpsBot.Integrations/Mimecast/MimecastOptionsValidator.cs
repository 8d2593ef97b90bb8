using ChatOpsBot.Integrations.Http;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Integrations.Mimecast;

/// <summary>Checks the <c>Mimecast</c> section when the host starts, with messages that name the key to fix.</summary>
internal sealed class MimecastOptionsValidator : IValidateOptions<MimecastOptions>
{
    public const int MaxPageSize = 1000;

    public ValidateOptionsResult Validate(string? name, MimecastOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        string? url = EndpointUrl.Problem(
            "Mimecast:BaseUrl", options.BaseUrl, options.AllowHttpOnLoopbackForTesting, "Mimecast:AllowHttpOnLoopbackForTesting");
        if (url is not null)
        {
            problems.Add(url);
        }

        if (options.IsConfigured && string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            problems.Add("Mimecast:ClientSecret is empty while Mimecast:ClientId is set; set both, or neither to run without Mimecast.");
        }

        if (!options.IsConfigured && !string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            problems.Add("Mimecast:ClientId is empty while Mimecast:ClientSecret is set; set both, or neither to run without Mimecast.");
        }

        if (options.PageSize is < 1 or > MaxPageSize)
        {
            problems.Add($"Mimecast:PageSize must be between 1 and {MaxPageSize}.");
        }

        if (options.MaxPages < 1)
        {
            problems.Add("Mimecast:MaxPages must be at least 1.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            problems.Add("Mimecast:MaxRetries must be between 0 and 10.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            problems.Add("Mimecast:RetryBaseDelay must be between 0 and 1 minute.");
        }

        if (options.MaxRateLimitWait < TimeSpan.Zero || options.MaxRateLimitWait > TimeSpan.FromMinutes(15))
        {
            problems.Add("Mimecast:MaxRateLimitWait must be between 0 and 15 minutes.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(10))
        {
            problems.Add("Mimecast:RequestTimeout must be more than 0 and at most 10 minutes.");
        }

        if (options.MaxResponseBytes < 1024)
        {
            problems.Add("Mimecast:MaxResponseBytes must be at least 1024.");
        }

        if (string.IsNullOrWhiteSpace(options.BlockedSendersGroup))
        {
            problems.Add("Mimecast:BlockedSendersGroup is empty; it names the profile group blocked senders are added to.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
