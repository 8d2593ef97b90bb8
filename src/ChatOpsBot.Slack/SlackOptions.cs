namespace ChatOpsBot.Slack;

/// <summary>
/// The Slack app (configuration section <c>Slack</c>). Slack is on when both <see cref="BotToken"/> and
/// <see cref="SigningSecret"/> are set and off when both are empty; one without the other refuses to start.
/// </summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";

    public const string DefaultApiBaseUrl = "https://slack.com/api/";

    /// <summary>Where Slack serves files (<c>url_private_download</c>); GovSlack and other hosts are added in configuration.</summary>
    public static readonly IReadOnlyList<string> DefaultFileHosts = ["files.slack.com"];

    /// <summary>Where Slack's <c>response_url</c>s point.</summary>
    public static readonly IReadOnlyList<string> DefaultResponseUrlHosts = ["hooks.slack.com"];

    /// <summary>The bot token (<c>xoxb-…</c>): a secret, sent only as a Bearer header to the Web API and Slack's file hosts.</summary>
    public string BotToken { get; set; } = string.Empty;

    /// <summary>The app's signing secret: verifies every inbound request. A secret.</summary>
    public string SigningSecret { get; set; } = string.Empty;

    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>Lets tests use http fakes on 127.0.0.1 for the Web API, files and response URLs. Refused in Production.</summary>
    public bool AllowHttpOnLoopbackForTesting { get; set; }

    /// <summary>Hosts (and their subdomains) files are downloaded from with the bot token. Empty means <see cref="DefaultFileHosts"/>.</summary>
    public IList<string> FileHosts { get; set; } = [];

    /// <summary>Hosts (and their subdomains) a <c>response_url</c> may point at. Empty means <see cref="DefaultResponseUrlHosts"/>.</summary>
    public IList<string> ResponseUrlHosts { get; set; } = [];

    public long MaxFileBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>One Web API call or download, headers and body.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a call answered 429 is tried again (waiting <c>Retry-After</c>).</summary>
    public int MaxRateLimitRetries { get; set; } = 3;

    /// <summary>The longest <c>Retry-After</c> honoured; a longer one fails the call instead of holding a worker.</summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Workspaces (team ids <c>T…</c>) whose requests are served. Empty serves any workspace whose requests carry a valid
    /// signature, which is only the workspaces the app is installed in. Set it when the app may be installed in more
    /// workspaces than should reach this bot (a distributed app, an Enterprise Grid org): other workspaces are refused
    /// after the signature check.
    /// </summary>
    public IList<string> AllowedTeamIds { get; set; } = [];

    public bool IsEnabled => !string.IsNullOrWhiteSpace(BotToken) && !string.IsNullOrWhiteSpace(SigningSecret);

    public IReadOnlyList<string> EffectiveFileHosts => FileHosts.Count == 0 ? DefaultFileHosts : [.. FileHosts.Select(NormalizeHost)];

    public IReadOnlyList<string> EffectiveResponseUrlHosts => ResponseUrlHosts.Count == 0 ? DefaultResponseUrlHosts : [.. ResponseUrlHosts.Select(NormalizeHost)];

    /// <summary>Whether requests from <paramref name="teamId"/> are served (always, without an allow-list).</summary>
    public bool AllowsTeam(string? teamId) =>
        AllowedTeamIds.Count == 0 || (teamId is not null && AllowedTeamIds.Any(t => string.Equals(t?.Trim(), teamId, StringComparison.Ordinal)));

    internal static string NormalizeHost(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();
}
