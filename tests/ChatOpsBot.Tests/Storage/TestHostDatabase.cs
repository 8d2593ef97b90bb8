using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace ChatOpsBot.Tests.Storage;

/// <summary>
/// Hosts built from <c>Program</c> in this test assembly (WebApplicationFactory) would otherwise create their
/// database under the project's content root, i.e. inside the repository. Before any test runs, this points
/// <c>ConnectionStrings:ChatOps</c> (as an environment variable, which the host reads) at a temporary folder that is
/// deleted when the test process exits, and switches the alert scheduler off (<c>Scheduling:Enabled</c>). Tests that
/// need their own database or the scheduler override the settings.
/// </summary>
internal static class TestHostDatabase
{
    /// <summary>xunit collection of the host tests that clear SQLite's process-wide pool and overwrite database files.</summary>
    public const string BreaksDatabasesCollection = "Program hosts that break their database";

    public static string Folder { get; } = TestDatabase.NewFolder();

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "A test assembly: the setting must be in place before any test class builds a host.")]
    internal static void PointHostsAtATemporaryDatabase()
    {
        // The Program-built hosts here test storage, commands and health, several of them by breaking the database;
        // a scheduler polling that database would only add noise. Tests of the scheduler enable it explicitly on a
        // database of their own.
        if (Environment.GetEnvironmentVariable("Scheduling__Enabled") is null)
        {
            Environment.SetEnvironmentVariable("Scheduling__Enabled", "false");
        }

        if (Environment.GetEnvironmentVariable("ConnectionStrings__ChatOps") is not null)
        {
            return;
        }

        Environment.SetEnvironmentVariable("ConnectionStrings__ChatOps", $"Data Source={Path.Combine(Folder, "chatops.db")}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            SqliteConnection.ClearAllPools();
            TestDatabase.DeleteFolder(Folder);
        };
    }
}
