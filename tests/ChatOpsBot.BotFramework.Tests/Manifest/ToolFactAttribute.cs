namespace ChatOpsBot.BotFramework.Tests.Manifest;

/// <summary>Finds programs on PATH; a test that shells out is skipped (reported, not silently passed) where they are missing.</summary>
internal static class ToolsOnPath
{
    /// <summary>Each requirement is a program name, or alternatives separated by '|'.</summary>
    public static string? SkipReason(string[] requirements)
    {
        string[] path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (string requirement in requirements)
        {
            string[] alternatives = requirement.Split('|');
            if (!alternatives.Any(tool => path.Any(dir => File.Exists(Path.Combine(dir, tool)))))
            {
                return $"needs {requirement.Replace("|", " or ", StringComparison.Ordinal)} on PATH";
            }
        }

        return null;
    }
}

internal sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] requirements)
    {
        Skip = ToolsOnPath.SkipReason(requirements)!;
    }
}

internal sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] requirements)
    {
        Skip = ToolsOnPath.SkipReason(requirements)!;
    }
}
