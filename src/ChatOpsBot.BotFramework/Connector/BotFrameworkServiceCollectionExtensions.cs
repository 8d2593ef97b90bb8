using ChatOpsBot.BotFramework;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static partial class BotFrameworkServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="BotFrameworkOptions"/> from <paramref name="configuration"/> (root keys and the <c>Bot</c>
    /// section) and validates them on start. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddBotFrameworkOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(BotFrameworkOptionsMarker)))
        {
            return services;
        }

        services.AddSingleton<BotFrameworkOptionsMarker>();
        services.AddOptions<BotFrameworkOptions>()
            .Configure(options => BotFrameworkOptions.Bind(configuration, options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BotFrameworkOptions>, BotFrameworkOptionsValidator>());
        return services;
    }

    private sealed class BotFrameworkOptionsMarker;
}
