using System.CommandLine;

namespace ChatOpsBot.Cli.Infrastructure;

/// <summary>Options every command understands.</summary>
/// <param name="Json">
/// <c>--json</c>; recursive so both the seed's form (<c>chatops --json analyze-logs ...</c>)
/// and the natural one (<c>chatops analyze-logs ... --json</c>) work.
/// </param>
internal sealed record CliCommonOptions(Option<bool> Json);
