using System.Collections;

namespace ChatOpsBot.Alerts;

/// <summary>
/// The seed monitor's environment variables, honoured as aliases of our keys so a deployment of seed 001 keeps its
/// settings: <c>CLIENT_ID</c>, <c>CLIENT_SECRET</c> (Mimecast API 2.0), <c>SMTP_SERVER</c>, <c>SMTP_USER</c> (also the
/// From address, as in the seed), <c>SMTP_PW</c>, <c>EMAIL_RECIPIENTS</c> (space separated). Our own key wins when both
/// are set; an alias only fills a key that is missing or empty.
/// </summary>
internal static class SeedEnvironmentAliases
{
    public const int MaxRecipients = 200;

    public static readonly IReadOnlyList<(string Variable, string Key)> Scalars =
    [
        ("CLIENT_ID", "Mimecast:ClientId"),
        ("CLIENT_SECRET", "Mimecast:ClientSecret"),
        ("SMTP_SERVER", "Smtp:Host"),
        ("SMTP_USER", "Smtp:Username"),
        ("SMTP_PW", "Smtp:Password"),
    ];

    public const string RecipientsVariable = "EMAIL_RECIPIENTS";
    public const string RecipientsKey = "Smtp:Recipients";

    /// <summary>The configuration values the aliases contribute, given what configuration already says.</summary>
    public static Dictionary<string, string?> Resolve(IConfiguration configuration, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach ((string variable, string key) in Scalars)
        {
            if (environment[variable] is string value && !string.IsNullOrWhiteSpace(value) && string.IsNullOrEmpty(configuration[key]))
            {
                values[key] = value.Trim();
            }
        }

        if (environment[RecipientsVariable] is string recipients && !string.IsNullOrWhiteSpace(recipients)
            && !configuration.GetSection(RecipientsKey).GetChildren().Any())
        {
            string[] addresses = recipients.Split([' ', '\t', ',', ';'], StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < addresses.Length && i < MaxRecipients + 1; i++)
            {
                // One over the limit is passed on so that validation refuses the list instead of silently cutting it.
                values[$"{RecipientsKey}:{i}"] = addresses[i];
            }
        }

        return values;
    }
}
