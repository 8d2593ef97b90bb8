using ChatOpsBot.Commands;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Support;
using ChatOpsBot.Tests.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Commands;

/// <summary>The command layer as <c>Program</c> composes it, over the real SQLite stores.</summary>
public sealed class CommandsHostTests : IDisposable
{
    private readonly string _root = TestDatabase.NewFolder();

    public void Dispose()
    {
        TestDatabase.ReleaseFile(Path.Combine(_root, "chatops.db"));
        TestDatabase.DeleteFolder(_root);
    }

    [Fact]
    public async Task ACommandRunsThroughTheHostsGatewayAndLandsInTheAuditLog()
    {
        using WebApplicationFactory<Program> factory = Factory(("Security:Responders:0", "U0RESPONDER"));
        IChatCommandGateway gateway = factory.Services.GetRequiredService<IChatCommandGateway>();
        var replies = new RecordingResponder();

        SubmitResult result = await gateway.SubmitAsync(
            Requests.Message("vip add \"Jane Doe\" jane.doe@corp.test", "U0RESPONDER") with { Channel = ChatChannels.Slack }, replies, CancellationToken.None);

        result.ShouldBe(SubmitResult.Accepted);
        await replies.WaitUntilAsync(r => r.Any(x => x.Kind == ReplyKind.Sent));
        replies.Cards[^1].Text.ShouldContain("VIP added");
        StoredVip vip = (await factory.Services.GetRequiredService<IVipStore>().ListAsync(CancellationToken.None)).ShouldHaveSingleItem();
        vip.AddedBy.ShouldBe("U0RESPONDER");
        AuditEntry entry = await WaitForAuditAsync(factory.Services.GetRequiredService<IAuditLog>());
        entry.Command.ShouldBe("vip add");
        entry.Channel.ShouldBe("slack");
        entry.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public void TheHostWiresMimecastAndVirusTotalWithTheDatabaseAsReputationCache()
    {
        using WebApplicationFactory<Program> factory = Factory();

        factory.Services.GetRequiredService<ChatOpsBot.Integrations.IReputationCache>().ShouldBeOfType<ChatOpsBot.Storage.Stores.ReputationCache>();
        factory.Services.GetRequiredService<ChatOpsBot.Integrations.Mimecast.IMimecastClient>().IsConfigured.ShouldBeFalse();
        factory.Services.GetRequiredService<ChatOpsBot.Integrations.VirusTotal.IReputationService>().IsConfigured.ShouldBeFalse();
    }

    private static async Task<AuditEntry> WaitForAuditAsync(IAuditLog auditLog)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            IReadOnlyList<AuditEntry> latest = await auditLog.LatestAsync(1, timeout.Token);
            if (latest.Count > 0)
            {
                return latest[0];
            }

            // The entry is appended just after the reply; this polls the real database for it.
            await Task.Delay(10, timeout.Token);
        }
    }

    private WebApplicationFactory<Program> Factory(params (string Key, string Value)[] settings)
    {
        string database = $"Data Source={Path.Combine(_root, "chatops.db")}";
#pragma warning disable CA2000 // The derived factory owns and disposes the base one.
        return new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:ChatOps", database);
            foreach ((string key, string value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
#pragma warning restore CA2000
    }
}
