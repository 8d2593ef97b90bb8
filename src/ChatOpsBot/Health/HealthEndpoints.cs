using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace ChatOpsBot.Health;

public static class HealthEndpoints
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    /// <summary>
    /// <c>/healthz</c> answers whether the process serves requests (for restarts);
    /// <c>/readyz</c> whether its dependencies (database, scheduler) are usable (for load balancers).
    /// Both return only a status word: check details could reveal topology to an unauthenticated caller.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return endpoints;
    }
}
