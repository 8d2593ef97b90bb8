using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatOpsBot.Tests.Storage;

/// <summary>
/// A generic host with only <c>AddChatOpsStorage</c>, rooted in a temporary folder: exercises the real wiring
/// (options, start-up migration, seeding, health check) without the web server.
/// </summary>
internal static class StorageHost
{
    public static IHost Build(string contentRoot, IReadOnlyDictionary<string, string?> settings, TimeProvider? timeProvider = null)
    {
        Directory.CreateDirectory(contentRoot);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = contentRoot,
            EnvironmentName = "Testing",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Services.AddLogging();
        builder.AddChatOpsStorage();
        return builder.Build();
    }
}
