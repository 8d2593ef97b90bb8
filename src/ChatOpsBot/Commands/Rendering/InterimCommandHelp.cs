// REVIEW: stands in for ChatOpsBot.Cards.Builders.CommandHelp until feat/cards commits its builders; delete this file
// when that type arrives (the duplicate definition then fails the build, so it cannot be forgotten).
namespace ChatOpsBot.Cards.Builders;

public sealed record CommandHelp(string Name, string Usage, string Summary, IReadOnlyList<string> Examples);
