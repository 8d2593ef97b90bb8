namespace ChatOpsBot.Cli.Tests.AuditConfig;

/// <summary>What one CLI run printed and returned.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs <c>chatops</c> in-process with captured output, and holds the config files a test writes.</summary>
internal sealed class AuditConfigCli : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("chatops-audit-").FullName;
    private int _fileCount;

    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exitCode = await ChatOpsCli.RunAsync(args, stdout, stderr);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    public string WriteConfig(string content)
    {
        string path = Path.Combine(_directory, $"config-{Interlocked.Increment(ref _fileCount)}.json");
        File.WriteAllText(path, content);
        return path;
    }

    public string Subdirectory(string name) => Directory.CreateDirectory(Path.Combine(_directory, name)).FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
