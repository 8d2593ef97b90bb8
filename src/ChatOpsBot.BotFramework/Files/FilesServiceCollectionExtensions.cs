using ChatOpsBot.BotFramework.Files;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static partial class BotFrameworkServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="TeamsFileDownloader"/> as a typed HTTP client of its own (no bot token, no redirects, no proxy, the
    /// connect-time address check) with <see cref="TeamsFileDownloadOptions"/> from <c>Bot:Files</c>, validated on start.
    /// </summary>
    public static IServiceCollection AddTeamsFileDownloads(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TeamsFileDownloadOptions>()
            .Bind(configuration.GetSection(TeamsFileDownloadOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeamsFileDownloadOptions>, TeamsFileDownloadOptionsValidator>());
        services.TryAddSingleton<IHostAddressResolver, DnsHostAddressResolver>();
        services.AddHttpClient<TeamsFileDownloader>((provider, client) =>
                client.Timeout = provider.GetRequiredService<IOptions<TeamsFileDownloadOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(provider => SafeConnectHandler.Create(
                provider.GetRequiredService<IOptions<TeamsFileDownloadOptions>>().Value,
                provider.GetRequiredService<IHostAddressResolver>()))
            // The factory's logging would write the full URL, and the query of a download URL is a credential.
            .RemoveAllLoggers();
        return services;
    }
}
