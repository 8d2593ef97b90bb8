using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Cli.Tests.AuditConfig;

/// <summary>
/// A fact that runs the seed program itself: needs <c>../shared</c> (as <see cref="SharedFolderFactAttribute"/>)
/// and a <c>python3</c> on PATH, and is skipped without python rather than failed.
/// </summary>
internal sealed class SeedPythonFactAttribute : FactAttribute
{
    public SeedPythonFactAttribute()
    {
        Skip = SharedFolder.SkipReason ?? (Python3 is null ? "python3 is not on PATH, so the seed program cannot run" : null)!;
    }

    public static string? Python3 { get; } = FindOnPath("python3");

    private static string? FindOnPath(string program)
    {
        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        string[] names = OperatingSystem.IsWindows() ? [program + ".exe", "python.exe"] : [program];
        return directories.SelectMany(d => names.Select(n => Path.Combine(d, n))).FirstOrDefault(File.Exists);
    }
}
