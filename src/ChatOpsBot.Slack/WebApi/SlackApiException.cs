using System.Net;

namespace ChatOpsBot.Slack.WebApi;

/// <summary>
/// A Slack Web API call that did not succeed: <c>ok: false</c> with Slack's error code (<c>not_in_channel</c>,
/// <c>missing_scope</c>, <c>msg_blocks_too_long</c>…), a 429 that outlasted the retries, another HTTP status, or an
/// answer that was not Slack's JSON. Never carries the token or a request body.
/// </summary>
public sealed class SlackApiException : Exception
{
    public const string RateLimited = "ratelimited";
    public const string MissingScope = "missing_scope";

    /// <summary>No connection to Slack could be made (name resolution, connect, TLS): nothing was sent.</summary>
    public const string Unreachable = "unreachable";

    /// <summary>The connection broke after the request went out: Slack may have acted on it.</summary>
    public const string ConnectionLost = "connection_lost";

    /// <summary><see cref="SlackOptions.RequestTimeout"/> passed: Slack may have acted on the request.</summary>
    public const string Timeout = "timeout";

    /// <summary>Slack's answer was not the JSON the method returns: Slack may have acted on the request.</summary>
    public const string InvalidResponse = "invalid_response";

    public SlackApiException()
    {
        Method = string.Empty;
        Error = string.Empty;
    }

    public SlackApiException(string message)
        : base(message)
    {
        Method = string.Empty;
        Error = string.Empty;
    }

    public SlackApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Method = string.Empty;
        Error = string.Empty;
    }

    public SlackApiException(string method, string error, HttpStatusCode? statusCode = null, TimeSpan? retryAfter = null, string? neededScope = null, Exception? innerException = null)
        : base(Describe(method, error, statusCode, retryAfter, neededScope), innerException)
    {
        Method = method;
        Error = error;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
        NeededScope = neededScope;
    }

    /// <summary>The Web API method (<c>chat.postMessage</c>) or <c>response_url</c>.</summary>
    public string Method { get; }

    /// <summary>
    /// Slack's error code, or <c>http_NNN</c>, <see cref="InvalidResponse"/>, <see cref="Timeout"/>,
    /// <see cref="Unreachable"/>, <see cref="ConnectionLost"/>.
    /// </summary>
    public string Error { get; }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>Slack's <c>Retry-After</c> when it rate-limited the call.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The scope Slack says is missing (<c>needed</c> of a <c>missing_scope</c> error).</summary>
    public string? NeededScope { get; }

    private static string Describe(string method, string error, HttpStatusCode? statusCode, TimeSpan? retryAfter, string? neededScope)
    {
        string text = $"Slack {method} failed: {error}";
        if (neededScope is not null)
        {
            text += $" (the app needs the {neededScope} scope; add it and reinstall the app)";
        }

        if (retryAfter is { } wait)
        {
            text += $" (retry after {wait.TotalSeconds:0} s)";
        }

        if (statusCode is { } status && status != HttpStatusCode.OK && !error.StartsWith("http_", StringComparison.Ordinal))
        {
            text += $" (HTTP {(int)status})";
        }

        return text;
    }
}
