using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Slack;

/// <summary>Checks the <c>Slack</c> section when the host starts; messages name the key to fix and never echo a secret.</summary>
public sealed partial class SlackOptionsValidator(IHostEnvironment? environment = null) : IValidateOptions<SlackOptions>
{
    public const long MaxFileBytesCeiling = 100L * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        bool token = !string.IsNullOrWhiteSpace(options.BotToken);
        bool secret = !string.IsNullOrWhiteSpace(options.SigningSecret);
        if (token != secret)
        {
            problems.Add(token
                ? "Slack:SigningSecret is empty while Slack:BotToken is set; set both to turn Slack on, or neither to run without Slack."
                : "Slack:BotToken is empty while Slack:SigningSecret is set; set both to turn Slack on, or neither to run without Slack.");
        }

        if (token && (!options.BotToken.StartsWith("xoxb-", StringComparison.Ordinal) || options.BotToken.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            problems.Add("Slack:BotToken must be the app's bot token (it starts with xoxb-, from OAuth & Permissions), without spaces.");
        }

        if (secret && (options.SigningSecret.Length < 16 || options.SigningSecret.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            problems.Add("Slack:SigningSecret must be the app's signing secret (Basic Information, App Credentials): at least 16 characters, no spaces.");
        }

        if (ApiBaseUrlProblem(options) is { } url)
        {
            problems.Add(url);
        }

        foreach ((string key, IList<string> hosts) in new[] { ("Slack:FileHosts", options.FileHosts), ("Slack:ResponseUrlHosts", options.ResponseUrlHosts) })
        {
            foreach (string host in hosts)
            {
                string normalized = SlackOptions.NormalizeHost(host ?? string.Empty);
                if (!HostName().IsMatch(normalized))
                {
                    problems.Add($"{key} entry '{host}' must be a host name such as files.slack.com (no scheme, port or path).");
                }
                else if (!normalized.Contains('.', StringComparison.Ordinal) && normalized != "localhost")
                {
                    problems.Add($"{key} entry '{host}' would allow a whole top-level domain.");
                }
            }
        }

        if (options.MaxFileBytes <= 0 || options.MaxFileBytes > MaxFileBytesCeiling)
        {
            problems.Add($"Slack:MaxFileBytes must be between 1 and {MaxFileBytesCeiling}.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            problems.Add("Slack:RequestTimeout must be more than 0 and at most 5 minutes.");
        }

        if (options.MaxRateLimitRetries is < 0 or > 10)
        {
            problems.Add("Slack:MaxRateLimitRetries must be between 0 and 10.");
        }

        if (options.MaxRateLimitWait < TimeSpan.Zero || options.MaxRateLimitWait > TimeSpan.FromMinutes(15))
        {
            problems.Add("Slack:MaxRateLimitWait must be between 0 and 15 minutes.");
        }

        foreach (string team in options.AllowedTeamIds)
        {
            if (!TeamId().IsMatch(team?.Trim() ?? string.Empty))
            {
                problems.Add($"Slack:AllowedTeamIds entry '{SlackLogText.Safe(team, 40)}' must be a workspace id such as T024BE7LD (upper-case letters and digits; in Slack: workspace settings, or the team_id of a request).");
            }
        }

        if (options.AllowHttpOnLoopbackForTesting && environment?.IsProduction() == true)
        {
            problems.Add("Slack:AllowHttpOnLoopbackForTesting is for tests and is refused in the Production environment.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static string? ApiBaseUrlProblem(SlackOptions options)
    {
        const string key = "Slack:ApiBaseUrl";
        if (string.IsNullOrWhiteSpace(options.ApiBaseUrl) || !Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out Uri? uri))
        {
            return $"{key} must be an absolute URL such as {SlackOptions.DefaultApiBaseUrl}.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return $"{key} must not carry credentials, a query or a fragment.";
        }

        if (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && options.AllowHttpOnLoopbackForTesting))
        {
            return null;
        }

        return uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback
            ? $"{key} uses plain http; that is only allowed on loopback with Slack:AllowHttpOnLoopbackForTesting=true (tests and local fakes)."
            : $"{key} must be an https URL.";
    }

    [GeneratedRegex("^T[A-Z0-9]{2,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex TeamId();

    [GeneratedRegex("^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();
}
