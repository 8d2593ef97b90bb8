using ChatOpsBot.Cards;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Parsing;

namespace ChatOpsBot.Commands.Pipeline;

/// <summary>How the first words of a message resolved.</summary>
public abstract record CommandResolution
{
    private CommandResolution()
    {
    }

    /// <summary>A command, named by the first <paramref name="WordsUsed"/> words.</summary>
    public sealed record Found(IChatCommand Command, int WordsUsed) : CommandResolution;

    /// <summary>
    /// A group named without a valid subcommand ("vip", "vip lst"): its usage, maybe with a suggestion.
    /// <paramref name="AnyVisible"/> is false when the caller may run none of its subcommands.
    /// </summary>
    public sealed record Group(string Name, CommandHelp Help, string? Problem, string? DidYouMean, bool AnyVisible) : CommandResolution;

    /// <summary>
    /// No command by that name. <paramref name="DidYouMean"/> is the closest name the caller may use (a command or a
    /// group with its subcommand), and <paramref name="Help"/> its usage.
    /// </summary>
    public sealed record Unknown(string Word, string? DidYouMean, CommandHelp? Help) : CommandResolution;
}

/// <summary>
/// Every command by name, with the forgiving lookups chat needs: case-insensitive, aliases (the CLI's names, British
/// spelling), two-word groups (<c>vip check</c>) and a closest-match suggestion for typos.
/// </summary>
public sealed class CommandCatalog
{
    private static readonly Dictionary<string, string> s_aliases = new(StringComparer.Ordinal)
    {
        ["?"] = "help",
        ["commands"] = "help",
        ["analyse"] = "analyze",
        ["analyze-email"] = "analyze",
        ["audit-config"] = "audit",
        ["analyze-logs"] = "metrics",
        ["vip-check"] = "vip check",
        ["auditlog"] = "audit-log",
        ["who"] = "whoami",
        ["header"] = "headers",
    };

    private readonly Dictionary<string, IChatCommand> _byName = new(StringComparer.Ordinal);

    public CommandCatalog(IEnumerable<IChatCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        foreach (IChatCommand command in commands)
        {
            if (!string.Equals(command.Name, command.Name.ToLowerInvariant(), StringComparison.Ordinal) || command.Name.Split(' ').Length > 2)
            {
                throw new InvalidOperationException($"Command name '{command.Name}' must be lower case, one or two words.");
            }

            if (!_byName.TryAdd(command.Name, command))
            {
                throw new InvalidOperationException($"Two commands are named '{command.Name}'.");
            }
        }

        All = [.. _byName.Values.OrderBy(c => c.Name, StringComparer.Ordinal)];
    }

    public IReadOnlyList<IChatCommand> All { get; }

    /// <summary>The commands <paramref name="role"/> may run, in name order.</summary>
    public IReadOnlyList<IChatCommand> VisibleTo(Role role) => [.. All.Where(c => role >= c.RequiredRole)];

    /// <summary>A command by its exact name or alias (card action verbs use this).</summary>
    public IChatCommand? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string normalized = CommandText.NormalizeName(name.Trim());
        normalized = string.Join(' ', normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (s_aliases.TryGetValue(normalized, out string? target))
        {
            normalized = target;
        }

        return _byName.GetValueOrDefault(normalized);
    }

    /// <summary>Resolves the first words of a typed message; suggestions consider only what <paramref name="role"/> may run.</summary>
    public CommandResolution Resolve(IReadOnlyList<string> words, Role role)
    {
        ArgumentNullException.ThrowIfNull(words);
        string first = CommandText.NormalizeName(words[0]);
        if (s_aliases.TryGetValue(first, out string? alias))
        {
            return new CommandResolution.Found(_byName[alias], 1);
        }

        if (_byName.TryGetValue(first, out IChatCommand? single))
        {
            return new CommandResolution.Found(single, 1);
        }

        IReadOnlyList<IChatCommand> visible = VisibleTo(role);
        if (IsGroup(first))
        {
            return ResolveInGroup(first, words, visible);
        }

        string? closest = ClosestWord.Among(first, visible.Select(c => c.Name.Split(' ')[0]).Distinct(StringComparer.Ordinal));
        if (closest is null)
        {
            return new CommandResolution.Unknown(words[0], null, null);
        }

        if (!IsGroup(closest))
        {
            return new CommandResolution.Unknown(words[0], closest, _byName[closest].Help);
        }

        return ResolveInGroup(closest, words, visible) switch
        {
            CommandResolution.Found found => new CommandResolution.Unknown(words[0], found.Command.Name, found.Command.Help),
            CommandResolution.Group { DidYouMean: { } sub } => new CommandResolution.Unknown(words[0], sub, _byName[sub].Help),
            _ => new CommandResolution.Unknown(words[0], closest, GroupHelp(closest, visible)),
        };
    }

    /// <summary>The usage of a whole group, listing the subcommands <paramref name="visible"/> holds.</summary>
    public static CommandHelp GroupHelp(string group, IEnumerable<IChatCommand> visible)
    {
        IChatCommand[] members = [.. visible.Where(c => c.Name.StartsWith(group + " ", StringComparison.Ordinal))];
        return new CommandHelp(
            group,
            string.Join(" | ", members.Select(c => c.Help.Usage)),
            $"{group} has these subcommands: {string.Join(", ", members.Select(c => c.Name[(group.Length + 1)..]))}.",
            [.. members.SelectMany(c => c.Help.Examples).Take(4)]);
    }

    private CommandResolution ResolveInGroup(string group, IReadOnlyList<string> words, IReadOnlyList<IChatCommand> visible)
    {
        if (words.Count >= 2)
        {
            string sub = CommandText.NormalizeName(words[1]);
            if (_byName.TryGetValue($"{group} {sub}", out IChatCommand? exact))
            {
                return new CommandResolution.Found(exact, 2);
            }

            IEnumerable<string> subs = visible
                .Where(c => c.Name.StartsWith(group + " ", StringComparison.Ordinal))
                .Select(c => c.Name[(group.Length + 1)..]);
            string? closest = ClosestWord.Among(sub, subs);
            return new CommandResolution.Group(
                group,
                GroupHelp(group, visible),
                $"'{words[1]}' is not a {group} subcommand.",
                closest is null ? null : $"{group} {closest}",
                AnyVisibleIn(group, visible));
        }

        return new CommandResolution.Group(group, GroupHelp(group, visible), $"{group} needs a subcommand.", null, AnyVisibleIn(group, visible));
    }

    private static bool AnyVisibleIn(string group, IReadOnlyList<IChatCommand> visible) =>
        visible.Any(c => c.Name.StartsWith(group + " ", StringComparison.Ordinal));

    private bool IsGroup(string word) => _byName.Keys.Any(n => n.StartsWith(word + " ", StringComparison.Ordinal));
}
