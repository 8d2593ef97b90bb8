namespace ChatOpsBot.Cli.Infrastructure;

/// <summary>Bad input named by the file it came from; the CLI prints it as one line and exits 2.</summary>
internal sealed class CliInputException(string source, string problem)
    : Exception($"{source}: {problem}")
{
    public string InputName { get; } = source;

    public string Problem { get; } = problem;
}
