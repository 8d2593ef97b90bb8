namespace ChatOpsBot.Analysis.Common;

/// <summary>
/// Input that cannot be analysed: wrong JSON shape, wrong types, malformed records.
/// The message is one sentence a user can act on, never a stack trace or a secret.
/// </summary>
public sealed class InvalidInputException : Exception
{
    public InvalidInputException()
    {
    }

    public InvalidInputException(string message)
        : base(message)
    {
    }

    public InvalidInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
