using System.Globalization;
using System.Text.RegularExpressions;
using ChatOpsBot.BotFramework.Connector;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.BotFramework;

/// <summary>How the bot's Entra app is registered: which tenant issues its outbound tokens.</summary>
public enum BotAppType
{
    /// <summary>Legacy: tokens from the <c>botframework.com</c> tenant. No new multi-tenant bots since 2025-07-31.</summary>
    MultiTenant,

    /// <summary>Tokens from the app's own tenant, <see cref="BotFrameworkOptions.MicrosoftAppTenantId"/>.</summary>
    SingleTenant,
}

/// <summary>
/// The bot's identity and trust settings, from BotBuilder's root keys (<c>MicrosoftAppId</c>, <c>MicrosoftAppPassword</c>,
/// <c>MicrosoftAppTenantId</c>, <c>MicrosoftAppType</c>) and the <c>Bot</c> section. An empty app id is anonymous
/// local mode: no inbound token required, no outbound token sent. A class rather than a record so that
/// <see cref="object.ToString"/> never prints the secret.
/// </summary>
public sealed class BotFrameworkOptions
{
    public const string SectionName = "Bot";
    public const string DefaultOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string DefaultAuthorityHost = "https://login.microsoftonline.com";
    public const string MultiTenantAuthorityTenant = "botframework.com";
    public const string DefaultOAuthScope = "https://api.botframework.com/.default";

    public string MicrosoftAppId { get; set; } = string.Empty;

    public string MicrosoftAppPassword { get; set; } = string.Empty;

    public string MicrosoftAppTenantId { get; set; } = string.Empty;

    /// <summary>As configured: <c>SingleTenant</c>, <c>MultiTenant</c> or empty (BotBuilder's default, multi-tenant). See <see cref="AppType"/>.</summary>
    public string MicrosoftAppType { get; set; } = string.Empty;

    /// <summary><c>Bot:OpenIdMetadataUrl</c>: the channel's OpenID metadata for inbound tokens.</summary>
    public string OpenIdMetadataUrl { get; set; } = DefaultOpenIdMetadataUrl;

    /// <summary>
    /// <c>Bot:TrustedServiceUrls</c>: the only service URLs the bot calls (and sends its token to). Each entry matches
    /// URLs with the same scheme, host (case-insensitive) and port whose path starts with the entry's path.
    /// </summary>
    public IList<string> TrustedServiceUrls { get; set; } = [];

    /// <summary><c>Bot:AllowInsecureServiceUrls</c>: permits <c>http</c> URLs in the settings above. For tests and local fakes only.</summary>
    public bool AllowInsecureServiceUrls { get; set; }

    /// <summary><c>Bot:AuthorityHost</c>: the Entra login host (a sovereign cloud's, or a test fake's).</summary>
    public string AuthorityHost { get; set; } = DefaultAuthorityHost;

    /// <summary><c>Bot:OAuthScope</c>: the scope of outbound tokens.</summary>
    public string OAuthScope { get; set; } = DefaultOAuthScope;

    public bool IsAnonymous => string.IsNullOrWhiteSpace(MicrosoftAppId);

    /// <summary>The parsed <see cref="MicrosoftAppType"/>; the validator rejects values this cannot parse.</summary>
    public BotAppType AppType => TryParseAppType(MicrosoftAppType, out BotAppType type) ? type : BotAppType.SingleTenant;

    /// <summary>The tenant whose token endpoint issues outbound tokens.</summary>
    public string TokenTenant => AppType == BotAppType.SingleTenant ? MicrosoftAppTenantId.Trim() : MultiTenantAuthorityTenant;

    /// <summary>Reads the options from BotBuilder's root keys and the <c>Bot</c> section.</summary>
    public static void Bind(IConfiguration configuration, BotFrameworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        options.MicrosoftAppId = (configuration["MicrosoftAppId"] ?? string.Empty).Trim();
        options.MicrosoftAppPassword = configuration["MicrosoftAppPassword"] ?? string.Empty;
        options.MicrosoftAppTenantId = (configuration["MicrosoftAppTenantId"] ?? string.Empty).Trim();
        options.MicrosoftAppType = (configuration["MicrosoftAppType"] ?? string.Empty).Trim();

        IConfigurationSection bot = configuration.GetSection(SectionName);
        options.OpenIdMetadataUrl = NonEmptyOr(bot["OpenIdMetadataUrl"], DefaultOpenIdMetadataUrl);
        options.AuthorityHost = NonEmptyOr(bot["AuthorityHost"], DefaultAuthorityHost);
        options.OAuthScope = NonEmptyOr(bot["OAuthScope"], DefaultOAuthScope);
        options.AllowInsecureServiceUrls = bool.TryParse(bot["AllowInsecureServiceUrls"], out bool insecure) && insecure;
        options.TrustedServiceUrls = ReadList(bot.GetSection("TrustedServiceUrls"));
    }

    internal static bool TryParseAppType(string? value, out BotAppType type)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            type = BotAppType.MultiTenant;
            return true;
        }

        // Enum.TryParse would also take "1" or "SingleTenant, MultiTenant".
        switch (value.Trim().ToUpperInvariant())
        {
            case "SINGLETENANT":
                type = BotAppType.SingleTenant;
                return true;
            case "MULTITENANT":
                type = BotAppType.MultiTenant;
                return true;
            default:
                type = BotAppType.SingleTenant;
                return false;
        }
    }

    private static string NonEmptyOr(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();

    // An environment variable gives one string (Bot__TrustedServiceUrls="https://a/ https://b/"); a JSON file gives an array.
    private static List<string> ReadList(IConfigurationSection section)
    {
        List<string> values = [];
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            values.AddRange(section.Value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        foreach (IConfigurationSection child in section.GetChildren().OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue))
        {
            if (!string.IsNullOrWhiteSpace(child.Value))
            {
                values.Add(child.Value.Trim());
            }
        }

        return values;
    }
}

/// <summary>Fails start-up on settings that would leave the bot unable to authenticate, or trusting more than it should.</summary>
public sealed partial class BotFrameworkOptionsValidator : IValidateOptions<BotFrameworkOptions>
{
    public ValidateOptionsResult Validate(string? name, BotFrameworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];

        if (!BotFrameworkOptions.TryParseAppType(options.MicrosoftAppType, out BotAppType appType))
        {
            failures.Add($"MicrosoftAppType must be SingleTenant or MultiTenant (managed identities are not supported), not '{Shorten(options.MicrosoftAppType)}'.");
        }

        if (!string.IsNullOrEmpty(options.MicrosoftAppTenantId) && !IsTenant(options.MicrosoftAppTenantId))
        {
            failures.Add("MicrosoftAppTenantId must be a tenant GUID or a verified domain name such as contoso.onmicrosoft.com.");
        }

        if (!options.IsAnonymous)
        {
            if (!Guid.TryParseExact(options.MicrosoftAppId, "D", out _))
            {
                failures.Add("MicrosoftAppId must be the Entra application (client) id, a GUID such as 00000000-0000-0000-0000-000000000000.");
            }

            if (string.IsNullOrEmpty(options.MicrosoftAppPassword))
            {
                failures.Add("MicrosoftAppPassword (the client secret) is required when MicrosoftAppId is set.");
            }

            if (appType == BotAppType.SingleTenant && string.IsNullOrEmpty(options.MicrosoftAppTenantId))
            {
                failures.Add("MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant.");
            }

            if (options.TrustedServiceUrls.Count == 0)
            {
                failures.Add("Bot:TrustedServiceUrls must list the service URLs the bot may call, e.g. https://smba.trafficmanager.net/.");
            }
        }

        CheckUrl("Bot:OpenIdMetadataUrl", options.OpenIdMetadataUrl, options.AllowInsecureServiceUrls, failures);
        if (CheckUrl("Bot:AuthorityHost", options.AuthorityHost, options.AllowInsecureServiceUrls, failures)
            && Uri.TryCreate(options.AuthorityHost, UriKind.Absolute, out Uri? authority)
            && (authority.Scheme != Uri.UriSchemeHttps || authority.AbsolutePath != "/"))
        {
            failures.Add("Bot:AuthorityHost must be an https origin without a path, e.g. https://login.microsoftonline.com (MSAL requires https).");
        }

        if (string.IsNullOrWhiteSpace(options.OAuthScope))
        {
            failures.Add("Bot:OAuthScope must not be empty.");
        }

        for (int i = 0; i < options.TrustedServiceUrls.Count; i++)
        {
            string? entry = options.TrustedServiceUrls[i];
            if (!TrustedServiceUrlList.TryParseEntry(entry, options.AllowInsecureServiceUrls, out _, out string? problem))
            {
                failures.Add($"Bot:TrustedServiceUrls:{i} {problem}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool CheckUrl(string key, string value, bool allowInsecure, List<string> failures)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)
            || (uri.Scheme != Uri.UriSchemeHttps && !(allowInsecure && uri.Scheme == Uri.UriSchemeHttp))
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            failures.Add($"{key} must be an absolute https URL (http only with Bot:AllowInsecureServiceUrls for tests), not '{Shorten(value)}'.");
            return false;
        }

        return true;
    }

    private static bool IsTenant(string value) => Guid.TryParseExact(value, "D", out _) || DomainName().IsMatch(value);

    private static string Shorten(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 80), "…");

    [GeneratedRegex("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DomainName();
}
