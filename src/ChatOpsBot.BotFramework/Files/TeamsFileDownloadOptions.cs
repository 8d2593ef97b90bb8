using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.BotFramework.Files;

/// <summary>
/// Limits for files users send the bot in Teams (<c>Bot:Files</c>). <c>downloadUrl</c> is attacker-controlled, so
/// only https URLs on <see cref="AllowedHosts"/> are fetched, only from public addresses, within
/// <see cref="MaxFileBytes"/>.
/// </summary>
public sealed class TeamsFileDownloadOptions
{
    public const string SectionName = "Bot:Files";

    /// <summary>Where OneDrive for Business and SharePoint serve pre-authenticated downloads (commercial cloud).</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedHosts = ["sharepoint.com", "svc.ms"];

    public long MaxFileBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>
    /// Host names (a name allows itself and its subdomains: <c>sharepoint.com</c> allows <c>contoso-my.sharepoint.com</c>)
    /// or exact IP literals. Empty means <see cref="DefaultAllowedHosts"/>; sovereign clouds add e.g. <c>sharepoint.us</c>.
    /// </summary>
    public IList<string> AllowedHosts { get; set; } = [];

    public int MaxRedirects { get; set; } = 3;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Lets tests fetch from http fakes. Refused in the Production environment.</summary>
    public bool AllowHttpForTests { get; set; }

    /// <summary>Lets tests fetch from fakes on 127.0.0.1 / ::1 (other private ranges stay refused). Refused in Production.</summary>
    public bool AllowLoopbackForTests { get; set; }

    public IReadOnlyList<string> EffectiveAllowedHosts =>
        AllowedHosts.Count == 0 ? DefaultAllowedHosts : [.. AllowedHosts.Select(Normalize)];

    internal static string Normalize(string host)
    {
        string trimmed = host.Trim().TrimEnd('.').ToLowerInvariant();
        return trimmed.StartsWith("*.", StringComparison.Ordinal) ? trimmed[2..]
            : trimmed.StartsWith('.') ? trimmed[1..]
            : trimmed;
    }
}

public sealed partial class TeamsFileDownloadOptionsValidator(IHostEnvironment? environment = null) : IValidateOptions<TeamsFileDownloadOptions>
{
    public const long MaxFileBytesCeiling = 512L * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, TeamsFileDownloadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        if (options.MaxFileBytes <= 0 || options.MaxFileBytes > MaxFileBytesCeiling)
        {
            failures.Add($"Bot:Files:MaxFileBytes must be between 1 and {MaxFileBytesCeiling}.");
        }

        if (options.MaxRedirects is < 0 or > 10)
        {
            failures.Add("Bot:Files:MaxRedirects must be between 0 and 10.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10))
        {
            failures.Add("Bot:Files:Timeout must be between 0 and 10 minutes.");
        }

        foreach (string host in options.AllowedHosts)
        {
            string normalized = TeamsFileDownloadOptions.Normalize(host ?? string.Empty);
            if (!IPAddress.TryParse(normalized.Trim('[', ']'), out _) && !HostName().IsMatch(normalized))
            {
                failures.Add($"Bot:Files:AllowedHosts entry '{host}' must be a host name such as sharepoint.com or an IP literal (no scheme, port or path).");
            }
            else if (!normalized.Contains('.', StringComparison.Ordinal) && !normalized.Contains(':', StringComparison.Ordinal) && normalized != "localhost")
            {
                failures.Add($"Bot:Files:AllowedHosts entry '{host}' would allow a whole top-level domain.");
            }
        }

        if ((options.AllowHttpForTests || options.AllowLoopbackForTests) && environment?.IsProduction() == true)
        {
            failures.Add("Bot:Files:AllowHttpForTests and Bot:Files:AllowLoopbackForTests are for tests and are refused in the Production environment.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();
}
