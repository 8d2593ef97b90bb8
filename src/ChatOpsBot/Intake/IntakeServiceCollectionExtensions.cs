using ChatOpsBot.Intake;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class IntakeServiceCollectionExtensions
{
    /// <summary>
    /// Mail intake: the report mailbox (<c>ReportMailbox</c>, Microsoft Graph under <c>ReportMailbox:Graph</c>; its
    /// Quartz job is scheduled by <c>AddChatOpsScheduling</c>) and the mail-flow webhook (<c>Intake</c>), both validated
    /// on start and both off unless configured. Needs <c>AddChatOpsAlerts</c> (the outbox) and <c>AddChatOpsCommands</c>
    /// (the reputation enrichment of the analysis).
    /// </summary>
    public static IHostApplicationBuilder AddChatOpsIntake(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddIntakeServices(builder.Configuration);
        return builder;
    }

    internal static IServiceCollection AddIntakeServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReportMailboxOptions>().Bind(configuration.GetSection(ReportMailboxOptions.SectionName)).ValidateOnStart();
        services.AddOptions<IntakeOptions>().Bind(configuration.GetSection(IntakeOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReportMailboxOptions>, ReportMailboxOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntakeOptions>, IntakeOptionsValidator>());
        services.AddGraphMailClient(configuration.GetSection(ReportMailboxOptions.GraphSectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MailReportIntake>();
        services.TryAddSingleton<TeamsReporterChat>();
        services.TryAddSingleton<ReporterReplies>();
        services.TryAddSingleton<ReportMailboxPoller>();
        services.TryAddSingleton<AlertDeliveryNudge>();
        services.TryAddSingleton<IntakeGate>();
        return services;
    }
}
