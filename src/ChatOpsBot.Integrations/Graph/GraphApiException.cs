namespace ChatOpsBot.Integrations.Graph;

/// <summary>What went wrong with a Graph call, so callers decide without parsing messages.</summary>
public enum GraphErrorKind
{
    /// <summary>No client id configured: nothing was sent.</summary>
    NotConfigured,

    /// <summary>No token (bad credentials, tenant or authority), or HTTP 401.</summary>
    Unauthorized,

    /// <summary>HTTP 403: the app lacks the permission (Mail.ReadWrite, Mail.Send) or an application access policy excludes the mailbox.</summary>
    Forbidden,

    /// <summary>HTTP 404: no such mailbox, folder or message.</summary>
    NotFound,

    /// <summary>HTTP 429 or 503 after the retries, or a <c>Retry-After</c> longer than this client waits. Nothing is lost: try later.</summary>
    Throttled,

    /// <summary>Another HTTP 5xx.</summary>
    ServerError,

    /// <summary>Another unexpected HTTP status.</summary>
    UnexpectedStatus,

    /// <summary>A body that is not what Graph documents, a link to another host, or a response over the size limit.</summary>
    MalformedResponse,

    /// <summary>Graph could not be reached or did not answer in time.</summary>
    Unavailable,
}

/// <summary>
/// A failed Graph call. The message is one bounded line, safe for logs and cards: never a token or the client secret,
/// and Graph's own error text is made printable and cut.
/// </summary>
public sealed class GraphApiException : Exception
{
    public GraphApiException()
        : this(GraphErrorKind.Unavailable, "Microsoft Graph call failed.")
    {
    }

    public GraphApiException(string message)
        : this(GraphErrorKind.Unavailable, message)
    {
    }

    public GraphApiException(string message, Exception innerException)
        : this(GraphErrorKind.Unavailable, message, innerException)
    {
    }

    public GraphApiException(GraphErrorKind kind, string message, Exception? innerException = null, int? statusCode = null, string? errorCode = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    public GraphErrorKind Kind { get; }

    public int? StatusCode { get; }

    /// <summary>Graph's <c>error.code</c> (e.g. <c>ErrorItemNotFound</c>) when it was a plain token.</summary>
    public string? ErrorCode { get; }

    /// <summary>Worth trying again later: throttled, a server error, or Graph unreachable.</summary>
    public bool IsTransient => Kind is GraphErrorKind.Throttled or GraphErrorKind.ServerError or GraphErrorKind.Unavailable;
}
