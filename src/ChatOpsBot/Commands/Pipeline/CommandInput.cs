namespace ChatOpsBot.Commands.Pipeline;

/// <summary>What a command's arguments are read from.</summary>
/// <param name="Words">Typed words after the command name (quotes removed); empty for a card action.</param>
/// <param name="RawArguments">The typed text after the command name, verbatim with its line breaks; empty for a card action.</param>
/// <param name="CardArgs">A card action's data without its verb; null for typed text.</param>
/// <param name="Files">Files sent with the message.</param>
/// <param name="BareFile">True when files came without any text: the user forwarded something to be analysed.</param>
public sealed record CommandInput(
    IReadOnlyList<string> Words,
    string RawArguments,
    IReadOnlyDictionary<string, string>? CardArgs,
    IReadOnlyList<InboundFile> Files,
    bool BareFile = false)
{
    public bool IsCardAction => CardArgs is not null;
}

/// <summary>
/// The result of reading a command's arguments: named values, or the problem to show with the usage card.
/// </summary>
public sealed record ArgumentBinding
{
    private static readonly IReadOnlyDictionary<string, string> s_none = new Dictionary<string, string>();

    private ArgumentBinding(IReadOnlyDictionary<string, string> values, IReadOnlySet<string> contentKeys, string? problem)
    {
        Values = values;
        ContentKeys = contentKeys;
        Problem = problem;
    }

    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>Arguments that are content (a pasted header block), audited as size and hash, never verbatim.</summary>
    public IReadOnlySet<string> ContentKeys { get; }

    public string? Problem { get; }

    public static ArgumentBinding None { get; } = new(s_none, new HashSet<string>(), null);

    public static ArgumentBinding Ok(IReadOnlyDictionary<string, string> values, params string[] contentKeys) =>
        new(values, new HashSet<string>(contentKeys, StringComparer.Ordinal), null);

    public static ArgumentBinding Fail(string problem) => new(s_none, new HashSet<string>(), problem);
}

/// <summary>Input the caller can fix (too large, unreadable, not the expected kind); its message is shown to them as is.</summary>
public sealed class CommandInputException : Exception
{
    public CommandInputException()
    {
    }

    public CommandInputException(string message)
        : base(message)
    {
    }

    public CommandInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
