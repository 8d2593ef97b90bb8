using ChatOpsBot.Slack;
using ChatOpsBot.Slack.Hosting;
using ChatOpsBot.Slack.Inbound;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// Slack: <see cref="SlackOptions"/> from <c>Slack</c> validated on start, the <see cref="SlackAdapter"/> that
    /// verifies and parses inbound requests, and an in-memory <see cref="ISlackDeliveryDeduplicator"/> unless the host
    /// registered one. The host provides <see cref="ISlackInboundHandler"/>.
    /// </summary>
    public static IServiceCollection AddSlack(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SlackOptions>().Bind(configuration.GetSection(SlackOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISlackDeliveryDeduplicator, InMemorySlackDeliveryDeduplicator>();
        services.TryAddSingleton<SlackAdapter>();
        return services;
    }
}
