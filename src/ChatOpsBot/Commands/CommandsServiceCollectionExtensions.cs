using ChatOpsBot.Commands;
using ChatOpsBot.Commands.Analyze;
using ChatOpsBot.Commands.Audit;
using ChatOpsBot.Commands.Auditing;
using ChatOpsBot.Commands.AuditLog;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Block;
using ChatOpsBot.Commands.Confirmation;
using ChatOpsBot.Commands.Decode;
using ChatOpsBot.Commands.Headers;
using ChatOpsBot.Commands.Help;
using ChatOpsBot.Commands.Metrics;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Commands.Vip;
using ChatOpsBot.Commands.WhoAmI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class CommandsServiceCollectionExtensions
{
    /// <summary>
    /// The command layer: <see cref="IChatCommandGateway"/> (the entry point the channel glue calls), the commands,
    /// role grants (<c>Security</c>) and limits (<c>Commands</c>) validated on start, and the background workers.
    /// Needs <see cref="ChatOpsBot.Storage.IAuditLog"/>, <see cref="ChatOpsBot.Storage.IVipStore"/> and the integrations
    /// (<c>AddChatOpsIntegrations</c>: Mimecast, VirusTotal) registered.
    /// </summary>
    public static IHostApplicationBuilder AddChatOpsCommands(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;

        services.AddOptions<CommandOptions>().BindConfiguration(CommandOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CommandOptions>, CommandOptionsValidator>();
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RoleResolver>();
        // The storage layer registers the database's store (shared by every instance); this one only serves a command
        // layer composed without storage.
        services.TryAddSingleton<IPendingConfirmationStore, InMemoryPendingConfirmationStore>();
        services.AddSingleton<PendingConfirmations>();
        services.AddSingleton<AuditWriter>();
        services.AddSingleton<CommandCatalog>();
        services.AddSingleton<CommandDispatcher>();
        services.AddSingleton<CommandQueue>();
        services.AddSingleton<IChatCommandGateway>(provider => provider.GetRequiredService<CommandQueue>());
        services.AddHostedService<CommandWorkers>();

        services.AddSingleton<IChatCommand, HelpCommand>();
        services.AddSingleton<IChatCommand, WhoAmICommand>();
        services.AddSingleton<ReputationEnrichment>();
        services.AddSingleton<IChatCommand, AnalyzeCommand>();
        services.AddSingleton<IChatCommand, HeadersCommand>();
        services.AddSingleton<IChatCommand, AuditCommand>();
        services.AddSingleton<IChatCommand, MetricsCommand>();
        services.AddSingleton<IChatCommand, VipCheckCommand>();
        services.AddSingleton<IChatCommand, VipListCommand>();
        services.AddSingleton<IChatCommand, VipAddCommand>();
        services.AddSingleton<IChatCommand, VipRemoveCommand>();
        services.AddSingleton<IChatCommand, AuditLogCommand>();
        services.AddSingleton<IChatCommand, DecodeCommand>();
        services.AddSingleton<IChatCommand, BlockSenderCommand>();
        services.AddSingleton<IChatCommand, BlockUrlCommand>();
        return builder;
    }
}
