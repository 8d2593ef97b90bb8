using ChatOpsBot.Health;

namespace Microsoft.Extensions.DependencyInjection;

public static class ServiceDefaults
{
    /// <summary>Cross-cutting services every deployment needs: health checks, clock, problem details.</summary>
    public static IHostApplicationBuilder AddChatOpsServiceDefaults(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks()
            .AddCheck<SelfHealthCheck>("self", tags: [HealthEndpoints.LiveTag, HealthEndpoints.ReadyTag]);
        return builder;
    }
}
