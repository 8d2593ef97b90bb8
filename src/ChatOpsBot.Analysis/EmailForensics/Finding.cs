using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>
/// One observation about a message that contributes to its verdict.
/// <paramref name="Code"/> is stable (for tests, suppression and cards); <paramref name="Reason"/> is a short sentence
/// for analysts and may quote message content, so renderers must escape it.
/// </summary>
public sealed record Finding(string Code, FindingSeverity Severity, string Reason);
