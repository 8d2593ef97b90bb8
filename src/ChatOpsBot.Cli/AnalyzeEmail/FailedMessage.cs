namespace ChatOpsBot.Cli.AnalyzeEmail;

/// <summary>The NDJSON line for a message that could not be analysed in directory mode.</summary>
internal sealed record FailedMessage(string File, string Error);
