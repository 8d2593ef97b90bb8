using ChatOpsBot.Integrations.Http;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Integrations.Graph;

/// <summary>
/// Microsoft Graph with app-only (client credentials) authentication, as the report mailbox uses it. Bound by the host
/// from <c>ReportMailbox:Graph</c>.
/// </summary>
public sealed class GraphOptions
{
    /// <summary>Graph's root with its version: <c>https://graph.microsoft.com/v1.0</c> (national clouds have their own).</summary>
    public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>Entra's authority host; the token endpoint is <c>{AuthorityHost}/{TenantId}</c>.</summary>
    public string AuthorityHost { get; set; } = "https://login.microsoftonline.com";

    /// <summary>The directory (tenant) id of the app registration.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>The application (client) id. Empty means Graph is not configured.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The client secret. Never logged, never put in an exception message.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>Lets <see cref="BaseUrl"/> be plain http on a loopback address, for a fake Graph in tests.</summary>
    public bool AllowHttpOnLoopbackForTesting { get; set; }

    /// <summary>Retries after a 429 or 503 (Graph's throttling answers), honouring <c>Retry-After</c>.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The longest <c>Retry-After</c> this client waits; a longer one fails the call at once as throttled, and
    /// the caller leaves the work for its next run.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The wait before a retry when a 429 or 503 carries no <c>Retry-After</c>; doubles per attempt.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Time allowed for one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Largest JSON response accepted (message lists, folders).</summary>
    public long MaxResponseBytes { get; set; } = 8L * 1024 * 1024;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId);

    /// <summary>The app-only scope for <see cref="BaseUrl"/>'s host: <c>https://graph.microsoft.com/.default</c>.</summary>
    public string Scope => new Uri(BaseUrl, UriKind.Absolute).GetLeftPart(UriPartial.Authority) + "/.default";
}

/// <summary>Checks <see cref="GraphOptions"/> on start, naming the key to fix under <see cref="Prefix"/>.</summary>
public sealed class GraphOptionsValidator(string prefix) : IValidateOptions<GraphOptions>
{
    public string Prefix { get; } = prefix;

    public ValidateOptionsResult Validate(string? name, GraphOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (EndpointUrl.Problem($"{Prefix}:BaseUrl", options.BaseUrl, options.AllowHttpOnLoopbackForTesting, $"{Prefix}:AllowHttpOnLoopbackForTesting") is { } url)
        {
            problems.Add(url);
        }

        // MSAL itself refuses http authorities; the same rule here gives a clear message at start instead.
        if (EndpointUrl.Problem($"{Prefix}:AuthorityHost", options.AuthorityHost, allowHttpOnLoopback: false, $"{Prefix}:AuthorityHost") is { } authority)
        {
            problems.Add(authority);
        }

        if (options.IsConfigured)
        {
            if (string.IsNullOrWhiteSpace(options.ClientSecret))
            {
                problems.Add($"{Prefix}:ClientSecret is empty while {Prefix}:ClientId is set.");
            }

            if (!Guid.TryParse(options.TenantId, out _) && !IsDomainName(options.TenantId))
            {
                problems.Add($"{Prefix}:TenantId must be the directory (tenant) id or its primary domain; 'common' and 'organizations' do not work with client credentials.");
            }
        }
        else if (!string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            problems.Add($"{Prefix}:ClientId is empty while {Prefix}:ClientSecret is set; set both, or neither.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            problems.Add($"{Prefix}:MaxRetries must be between 0 and 10.");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero || options.MaxRetryAfter > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{Prefix}:MaxRetryAfter must be between 0 and 10 minutes.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            problems.Add($"{Prefix}:RetryBaseDelay must be between 0 and 1 minute.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{Prefix}:RequestTimeout must be more than 0 and at most 10 minutes.");
        }

        if (options.MaxResponseBytes < 1024)
        {
            problems.Add($"{Prefix}:MaxResponseBytes must be at least 1024.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool IsDomainName(string value) =>
        value.Length is > 3 and <= 253 && value.Contains('.', StringComparison.Ordinal)
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-')
        && !value.StartsWith('.') && !value.EndsWith('.');
}
