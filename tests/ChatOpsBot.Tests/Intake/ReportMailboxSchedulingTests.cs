using ChatOpsBot.Alerts;
using ChatOpsBot.Intake;
using ChatOpsBot.Tests.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace ChatOpsBot.Tests.Intake;

/// <summary>The real host with the scheduler on: the report mailbox job is stored with its identity and schedule.</summary>
[Collection(TestHostDatabase.BreaksDatabasesCollection)]
public sealed class ReportMailboxSchedulingTests : IDisposable
{
    private readonly string _root = TestDatabase.NewFolder();

    public void Dispose() => TestDatabase.ReleaseAndDeleteFolder(_root);

    [Fact]
    public async Task TheJobIsScheduledWithItsIdentityTheConfiguredCronAndNoConcurrency()
    {
#pragma warning disable CA2000 // The derived factory owns and disposes the base one.
        using WebApplicationFactory<Program> factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:ChatOps", $"Data Source={Path.Combine(_root, "chatops.db")}");
            builder.UseSetting("Scheduling:Enabled", "true");
            builder.UseSetting("ReportMailbox:Schedule", "0 0/5 * * * ?");
        });
#pragma warning restore CA2000
        using HttpClient client = factory.CreateClient();
        IScheduler scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        IJobDetail? job = await scheduler.GetJobDetail(ReportMailboxJob.Key);
        ITrigger? trigger = await scheduler.GetTrigger(new TriggerKey(ReportMailboxJob.Name + "-trigger", JobNames.Group));

        job.ShouldNotBeNull().ConcurrentExecutionDisallowed.ShouldBeTrue();
        trigger.ShouldBeAssignableTo<ICronTrigger>().ShouldNotBeNull().CronExpressionString.ShouldBe("0 0/5 * * * ?");
    }
}
