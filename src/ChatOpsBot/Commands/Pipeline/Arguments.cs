using System.Globalization;

namespace ChatOpsBot.Commands.Pipeline;

/// <summary>Shared argument readers, so every command words its problems the same way.</summary>
internal static class Arguments
{
    private static readonly Dictionary<string, string> s_empty = [];

    public static IReadOnlyDictionary<string, string> Empty => s_empty;

    /// <summary>A command that takes no words: anything extra is a problem rather than silently ignored.</summary>
    public static ArgumentBinding None(CommandInput input, string commandName)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Words.Count == 0 ? ArgumentBinding.Ok(Empty) : ArgumentBinding.Fail($"{commandName} takes no arguments.");
    }

    /// <summary>
    /// An optional whole number in [<paramref name="min"/>, <paramref name="max"/>], typed as the only word or given as
    /// the card argument <paramref name="name"/>.
    /// </summary>
    public static ArgumentBinding OptionalInteger(CommandInput input, string commandName, string name, int min, int max)
    {
        ArgumentNullException.ThrowIfNull(input);
        string? value = input.IsCardAction ? input.CardArgs!.GetValueOrDefault(name) : input.Words.Count > 0 ? input.Words[0] : null;
        if (!input.IsCardAction && input.Words.Count > 1)
        {
            return ArgumentBinding.Fail($"{commandName} takes at most one argument, {name}.");
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return ArgumentBinding.Ok(Empty);
        }

        if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < min || number > max)
        {
            return ArgumentBinding.Fail($"{name} must be a whole number from {min} to {max}.");
        }

        return ArgumentBinding.Ok(new Dictionary<string, string> { [name] = number.ToString(CultureInfo.InvariantCulture) });
    }

    /// <summary>
    /// A command that takes exactly one value, typed as the only word or given as the card argument
    /// <paramref name="name"/>: more than one word fails with <paramref name="tooManyProblem"/>, none with
    /// <paramref name="missingProblem"/>, and the value itself is checked by <paramref name="bind"/>.
    /// </summary>
    public static ArgumentBinding Single(CommandInput input, string name, string tooManyProblem, string missingProblem, Func<string, ArgumentBinding> bind)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(bind);
        if (!input.IsCardAction && input.Words.Count > 1)
        {
            return ArgumentBinding.Fail(tooManyProblem);
        }

        string? value = input.IsCardAction ? Card(input, name) : input.Words.Count == 1 ? input.Words[0] : null;
        return value is null ? ArgumentBinding.Fail(missingProblem) : bind(value);
    }

    public static int? Integer(IReadOnlyDictionary<string, string> arguments, string name) =>
        arguments.TryGetValue(name, out string? value) ? int.Parse(value, CultureInfo.InvariantCulture) : null;

    /// <summary>The card argument <paramref name="name"/>, trimmed; null when missing or blank.</summary>
    public static string? Card(CommandInput input, string name) =>
        input.CardArgs?.GetValueOrDefault(name)?.Trim() is { Length: > 0 } value ? value : null;
}
