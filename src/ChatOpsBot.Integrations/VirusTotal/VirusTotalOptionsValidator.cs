using ChatOpsBot.Integrations.Http;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Integrations.VirusTotal;

/// <summary>Checks the <c>VirusTotal</c> section when the host starts, with messages that name the key to fix.</summary>
internal sealed class VirusTotalOptionsValidator : IValidateOptions<VirusTotalOptions>
{
    public ValidateOptionsResult Validate(string? name, VirusTotalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        string? url = EndpointUrl.Problem(
            "VirusTotal:BaseUrl", options.BaseUrl, options.AllowHttpOnLoopbackForTesting, "VirusTotal:AllowHttpOnLoopbackForTesting");
        if (url is not null)
        {
            problems.Add(url);
        }

        if (options.IsConfigured && options.ApiKey.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            problems.Add("VirusTotal:ApiKey contains spaces or control characters; paste the key alone.");
        }

        if (options.RequestsPerMinute is < 1 or > 100_000)
        {
            problems.Add("VirusTotal:RequestsPerMinute must be between 1 and 100000 (4 for the public API).");
        }

        if (options.DailyLimit is < 1 or > 100_000_000)
        {
            problems.Add("VirusTotal:DailyLimit must be between 1 and 100000000 (500 for the public API).");
        }

        if (options.CacheTtl <= TimeSpan.Zero || options.CacheTtl > TimeSpan.FromDays(30))
        {
            problems.Add("VirusTotal:CacheTtl must be more than 0 and at most 30 days.");
        }

        if (options.UnknownCacheTtl <= TimeSpan.Zero || options.UnknownCacheTtl > options.CacheTtl)
        {
            problems.Add("VirusTotal:UnknownCacheTtl must be more than 0 and at most VirusTotal:CacheTtl.");
        }

        if (options.QuotaBackoff < TimeSpan.Zero || options.QuotaBackoff > TimeSpan.FromHours(24))
        {
            problems.Add("VirusTotal:QuotaBackoff must be between 0 and 24 hours.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            problems.Add("VirusTotal:RequestTimeout must be more than 0 and at most 5 minutes.");
        }

        if (options.MaxLookupsPerCall is < 1 or > 1000)
        {
            problems.Add("VirusTotal:MaxLookupsPerCall must be between 1 and 1000.");
        }

        if (options.MaxResolutions is < 1 or > 40)
        {
            problems.Add("VirusTotal:MaxResolutions must be between 1 and 40.");
        }

        if (options.AnalysisDeadline < TimeSpan.FromSeconds(1) || options.AnalysisDeadline > TimeSpan.FromMinutes(5))
        {
            problems.Add("VirusTotal:AnalysisDeadline must be between 00:00:01 and 00:05:00.");
        }

        if (options.MaxResponseBytes < 1024)
        {
            problems.Add("VirusTotal:MaxResponseBytes must be at least 1024.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
