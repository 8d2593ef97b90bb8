using System.Text.RegularExpressions;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Tests;

/// <summary>
/// The Dockerfile cannot be built here (no Docker engine), so these checks keep it in step with the repository by
/// inspection: a project missing from its restore layer would break the image build only on a real engine.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string s_dockerfile = File.ReadAllText(RepositoryFolder.PathTo("Dockerfile"));

    public static TheoryData<string> ProjectFiles()
    {
        var data = new TheoryData<string>();
        foreach (string folder in new[] { "src", "tests" })
        {
            foreach (string project in Directory.EnumerateFiles(RepositoryFolder.PathTo(folder), "*.csproj", SearchOption.AllDirectories))
            {
                data.Add(Path.GetRelativePath(RepositoryFolder.Root, project).Replace('\\', '/'));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProjectFiles))]
    public void RestoreLayerCopiesEveryProject(string project)
    {
        string folder = project[..(project.LastIndexOf('/') + 1)];

        s_dockerfile.ShouldContain($"COPY {project} {folder}\n");
    }

    [Fact]
    public void RuntimeStageRunsAsNonRootAndChecksHealth()
    {
        string runtime = s_dockerfile[s_dockerfile.LastIndexOf("FROM ", StringComparison.Ordinal)..];

        runtime.ShouldStartWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0");
        UserLine().Match(runtime).Groups[1].Value.ShouldNotBe("root");
        runtime.ShouldContain("EXPOSE 3978");
        runtime.ShouldContain("HEALTHCHECK");
        runtime.ShouldContain("/healthz");
    }

    [Fact]
    public void ImageBuildRunsTheTests()
    {
        s_dockerfile.ShouldContain("RUN dotnet test ChatOpsBot.sln");
        s_dockerfile.ShouldContain("COPY --from=test");
    }

    [GeneratedRegex(@"^USER\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex UserLine();
}
