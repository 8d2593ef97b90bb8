using System.Net;

namespace ChatOpsBot.BotFramework.Connector;

/// <summary>
/// A Connector call that did not succeed: the HTTP status and Bot Framework error code when the Connector answered
/// (<c>BotNotInConversationRoster</c>, <c>ConversationBlockedByUser</c>, <c>Throttled</c>, …). The message holds the
/// Connector's own text, shortened and made printable; it never holds the bot's token.
/// </summary>
public class ConnectorException : Exception
{
    public ConnectorException()
    {
    }

    public ConnectorException(string message)
        : base(message)
    {
    }

    public ConnectorException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ConnectorException(
        string message,
        HttpStatusCode? statusCode,
        string? errorCode,
        string? correlationId = null,
        TimeSpan? retryAfter = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        CorrelationId = correlationId;
        RetryAfter = retryAfter;
    }

    /// <summary>The Connector's HTTP status; null when no answer came (refused, unreachable, timed out).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The Bot Framework error code from the error body (<c>error.code</c>), when there was one.</summary>
    public string? ErrorCode { get; }

    /// <summary>The Connector's correlation id (<c>MS-CV</c> or <c>X-Correlating-OperationId</c>), for support requests.</summary>
    public string? CorrelationId { get; }

    /// <summary>How long the Connector asked the bot to wait (on 429 or 503), when it said.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>
/// A call to a service URL that is not on <c>Bot:TrustedServiceUrls</c>, refused before any request was made (so the
/// bot's token cannot leak to it).
/// </summary>
public sealed class UntrustedServiceUrlException : ConnectorException
{
    public UntrustedServiceUrlException()
    {
    }

    public UntrustedServiceUrlException(string message)
        : base(message)
    {
    }

    public UntrustedServiceUrlException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
