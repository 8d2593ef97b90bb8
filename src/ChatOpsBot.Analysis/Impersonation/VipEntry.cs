namespace ChatOpsBot.Analysis.Impersonation;

/// <summary>A protected person: the name attackers put in the display name, and the domain their real mail comes from.</summary>
/// <param name="Name">As configured, e.g. "Jane Doe" or "Doe, Jane".</param>
/// <param name="Domain">The VIP's mail domain, e.g. "corp.com"; empty when only the name is protected.</param>
public sealed record VipEntry(string Name, string Domain = "");
