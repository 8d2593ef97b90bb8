namespace ChatOpsBot.Integrations.Mimecast;

/// <summary>What went wrong with a Mimecast call, so callers can say the right thing without parsing messages.</summary>
public enum MimecastErrorKind
{
    /// <summary><c>Mimecast:ClientId</c> is empty: nothing was sent.</summary>
    NotConfigured,

    /// <summary>The token endpoint refused the client id and secret.</summary>
    InvalidCredentials,

    /// <summary>HTTP 401 on an API call, after one token refresh if the token had expired.</summary>
    Unauthorized,

    /// <summary>HTTP 403: the API application's role lacks the permission the call needs.</summary>
    Forbidden,

    /// <summary>HTTP 429 still after the retries, or a reset time longer than this client waits.</summary>
    RateLimited,

    /// <summary>HTTP 5xx still after the retries.</summary>
    ServerError,

    /// <summary>Another unexpected HTTP status (400, 404, 405, 409, ...).</summary>
    UnexpectedStatus,

    /// <summary>HTTP 200 whose <c>fail</c> list is not empty: Mimecast did not do what was asked.</summary>
    Failure,

    /// <summary>The body was not the JSON envelope Mimecast documents, or was too large.</summary>
    MalformedResponse,

    /// <summary>Mimecast could not be reached or did not answer in time.</summary>
    Unavailable,

    /// <summary>The call worked but what it needed does not exist (e.g. no Blocked Senders group).</summary>
    NotFound,
}

/// <summary>
/// A failed Mimecast call. The message is one line, bounded, safe to show in chat and logs: it never holds the client
/// secret or a token, and text from Mimecast in it has been made printable.
/// </summary>
public sealed class MimecastApiException : Exception
{
    public MimecastApiException()
        : this(MimecastErrorKind.Unavailable, "Mimecast call failed.")
    {
    }

    public MimecastApiException(string message)
        : this(MimecastErrorKind.Unavailable, message)
    {
    }

    public MimecastApiException(string message, Exception innerException)
        : this(MimecastErrorKind.Unavailable, message, innerException: innerException)
    {
    }

    public MimecastApiException(
        MimecastErrorKind kind,
        string message,
        string? path = null,
        int? statusCode = null,
        string? mimecastCode = null,
        string? requestId = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Path = path;
        StatusCode = statusCode;
        MimecastCode = mimecastCode;
        RequestId = requestId;
    }

    public MimecastErrorKind Kind { get; }

    /// <summary>The API path called, e.g. <c>/api/ttp/url/get-logs</c>.</summary>
    public string? Path { get; }

    public int? StatusCode { get; }

    /// <summary>Mimecast's error code (<c>err_validation_invalid_email_address</c>, <c>token_expired</c>, ...), when it sent a plain one.</summary>
    public string? MimecastCode { get; }

    /// <summary>Mimecast's <c>x-request-id</c>, for a support case.</summary>
    public string? RequestId { get; }
}
