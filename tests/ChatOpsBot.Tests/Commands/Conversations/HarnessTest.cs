using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Commands.Conversations;

/// <summary>A fresh command layer per test.</summary>
public abstract class HarnessTest : IAsyncLifetime
{
    private CommandHarness? _harness;

    internal CommandHarness Bot => _harness ?? throw new InvalidOperationException("not started");

    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    /// <summary>Services added after the command layer (fakes of what extra commands need, the commands themselves).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync() => _harness = await CommandHarness.StartAsync(Configure, ConfigureServices);

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    internal Task SeedVipAsync(string name = "Jane Doe", string email = "jane.doe@corp.test") =>
        Bot.Vips.AddAsync(new StoredVip(name, email, "seed", CommandHarness.Start), CancellationToken.None);
}
