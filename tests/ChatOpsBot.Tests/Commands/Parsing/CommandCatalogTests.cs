using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Tests.Commands.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Commands.Parsing;

public sealed class CommandCatalogTests
{
    private static readonly CommandCatalog s_catalog = BuildCatalog();

    private static CommandCatalog BuildCatalog()
    {
        using Microsoft.Extensions.Hosting.IHost host = CommandHarness.Build(null, out _, out _, out _, out _, out _);
        return host.Services.GetRequiredService<CommandCatalog>();
    }

    [Theory]
    [InlineData("metrcs", "metrics")]
    [InlineData("hedaers", "headers")]
    [InlineData("auditt", "audit")]
    [InlineData("whoamii", "whoami")]
    [InlineData("audit-lgo", "audit-log")]
    public void TyposSuggestTheClosestCommand(string typed, string expected)
    {
        CommandResolution resolution = s_catalog.Resolve([typed], Role.Admin);

        resolution.ShouldBeOfType<CommandResolution.Unknown>().DidYouMean.ShouldBe(expected);
    }

    [Theory]
    [InlineData("vip", "lsit", "vip list")]
    [InlineData("vip", "chekc", "vip check")]
    [InlineData("vpi", "check", "vip check")]
    [InlineData("vpi", "lsit", "vip list")]
    public void TyposInSubcommandsSuggestTheWholeName(string group, string sub, string expected)
    {
        CommandResolution resolution = s_catalog.Resolve([group, sub, "x"], Role.Admin);

        string? suggestion = resolution switch
        {
            CommandResolution.Unknown unknown => unknown.DidYouMean,
            CommandResolution.Group g => g.DidYouMean,
            _ => null,
        };
        suggestion.ShouldBe(expected);
    }

    [Fact]
    public void SuggestionsOnlyNameCommandsTheCallerMayRun()
    {
        s_catalog.Resolve(["auditt"], Role.Reader).ShouldBeOfType<CommandResolution.Unknown>().DidYouMean.ShouldBeNull();
        s_catalog.Resolve(["hepl"], Role.Reader).ShouldBeOfType<CommandResolution.Unknown>().DidYouMean.ShouldBe("help");
    }

    [Fact]
    public void AWordFarFromEveryCommandSuggestsNothing() =>
        s_catalog.Resolve(["deploy"], Role.Admin).ShouldBeOfType<CommandResolution.Unknown>().DidYouMean.ShouldBeNull();

    [Theory]
    [InlineData("analyse", "analyze")]
    [InlineData("audit-config", "audit")]
    [InlineData("analyze-logs", "metrics")]
    [InlineData("vip-check", "vip check")]
    [InlineData("?", "help")]
    public void AliasesResolveToTheirCommand(string typed, string command) =>
        s_catalog.Resolve([typed], Role.Admin).ShouldBeOfType<CommandResolution.Found>().Command.Name.ShouldBe(command);

    [Fact]
    public void AGroupWithoutSubcommandListsItsSubcommands()
    {
        CommandResolution.Group group = s_catalog.Resolve(["vip"], Role.Admin).ShouldBeOfType<CommandResolution.Group>();

        group.Help.Usage.ShouldContain("vip check");
        group.Help.Usage.ShouldContain("vip remove");
    }
}
