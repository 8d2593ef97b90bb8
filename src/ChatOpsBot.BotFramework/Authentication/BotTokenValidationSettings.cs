namespace ChatOpsBot.BotFramework.Authentication;

/// <summary>What inbound token validation needs to know about the bot's registration.</summary>
/// <param name="AppId">The bot's Microsoft App ID: the audience every token must carry.</param>
public sealed record BotTokenValidationSettings(string AppId)
{
    public static readonly Uri DefaultBotFrameworkMetadataUrl = new("https://login.botframework.com/v1/.well-known/openidconfiguration");

    /// <summary>The Bot Framework channel metadata (issuer <c>https://api.botframework.com</c>, keys with endorsements).</summary>
    public Uri BotFrameworkMetadataUrl { get; init; } = DefaultBotFrameworkMetadataUrl;

    /// <summary>
    /// For a SingleTenant bot, its tenant: tokens issued by that tenant's Entra ID (v1 <c>https://sts.windows.net/{tid}/</c>
    /// or v2 <c>https://login.microsoftonline.com/{tid}/v2.0</c>) are then accepted too, as Azure Bot Service moves channels
    /// to Entra-issued tokens. Null: only Bot Framework tokens.
    /// </summary>
    public string? EntraTenantId { get; init; }

    /// <summary>The Entra metadata for <see cref="EntraTenantId"/>; by default the tenant's v2.0 document.</summary>
    public Uri? EntraMetadataUrl { get; init; }

    internal Uri ResolvedEntraMetadataUrl =>
        EntraMetadataUrl ?? new Uri($"https://login.microsoftonline.com/{Uri.EscapeDataString(EntraTenantId ?? "")}/v2.0/.well-known/openid-configuration");
}
