using ChatOpsBot.BotFramework;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Teams.Hosting;

/// <summary>
/// In anonymous local mode, Kestrel listens on the loopback equivalents of the configured addresses
/// (<see cref="LoopbackBinding"/>). Endpoints set in code take precedence over <c>Urls</c> and <c>HTTP_PORTS</c>, so
/// nothing else is bound. With an app id this does nothing.
/// </summary>
internal sealed class AnonymousModeKestrelSetup(IConfiguration configuration, IOptions<BotFrameworkOptions> botOptions) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!botOptions.Value.IsAnonymous)
        {
            return;
        }

        foreach (LoopbackEndpoint endpoint in LoopbackBinding.For(configuration).Endpoints)
        {
            Action<ListenOptions> configure = listen =>
            {
                if (endpoint.IsHttps)
                {
                    listen.UseHttps();
                }
            };

            if (endpoint.Address is null)
            {
                options.ListenLocalhost(endpoint.Port, configure);
            }
            else
            {
                options.Listen(endpoint.Address, endpoint.Port, configure);
            }
        }
    }
}

/// <summary>Refuses to start anonymous local mode with addresses that cannot be limited to loopback.</summary>
internal sealed class AnonymousModeValidator(IConfiguration configuration) : IValidateOptions<BotFrameworkOptions>
{
    public ValidateOptionsResult Validate(string? name, BotFrameworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsAnonymous)
        {
            return ValidateOptionsResult.Success;
        }

        IReadOnlyList<string> problems = LoopbackBinding.For(configuration).Problems;
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>
/// Says loudly at start-up that the bot runs without authentication, and after the server started, checks that it
/// listens on loopback addresses only; anything else stops the start (a last line of defence behind
/// <see cref="AnonymousModeKestrelSetup"/>, for a server configured in ways it does not know).
/// </summary>
internal sealed partial class AnonymousModeGuard(
    IOptions<BotFrameworkOptions> botOptions,
    IConfiguration configuration,
    ILogger<AnonymousModeGuard> logger,
    IServer? server = null) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (botOptions.Value.IsAnonymous)
        {
            LoopbackBinding.Plan plan = LoopbackBinding.For(configuration);
            string listening = string.Join(", ", plan.Endpoints.Select(e => e.Url));
            string rebound = string.Join(", ", plan.Rebound.Select(e => $"{e.Configured} -> {e.Url}"));
            LogAnonymousMode(logger, listening, rebound.Length == 0 ? "none" : rebound);
        }

        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!botOptions.Value.IsAnonymous || server?.Features.Get<IServerAddressesFeature>() is not { } addresses)
        {
            return Task.CompletedTask;
        }

        string[] exposed = [.. addresses.Addresses.Where(a => !IsLoopbackAddress(a))];
        if (exposed.Length > 0)
        {
            throw new InvalidOperationException(
                $"Anonymous local mode (MicrosoftAppId empty) must listen on loopback only, but the server also listens on {string.Join(", ", exposed)}. "
                + "Remove that listener or configure MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId.");
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool IsLoopbackAddress(string address) =>
        LoopbackBinding.TryParse(address, out _, out string host, out _, out _) && LoopbackBinding.IsLoopbackHost(host);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "ANONYMOUS LOCAL MODE: MicrosoftAppId is empty, so POST /api/messages accepts Bot Framework activities WITHOUT authentication, "
        + "replies go out without a token, and loopback service URLs (a local emulator such as Microsoft 365 Agents Playground on http://localhost:PORT) are trusted. "
        + "This is for local testing only, so the bot listens on loopback only: {Listening} (rebound from non-loopback addresses: {Rebound}). "
        + "To connect Microsoft Teams, set MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId (environment variables or user-secrets) "
        + "and Bot:TrustedServiceUrls; see the README, section Teams.")]
    private static partial void LogAnonymousMode(ILogger logger, string listening, string rebound);
}
