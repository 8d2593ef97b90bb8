using System.Net;

namespace ChatOpsBot.BotFramework.Files;

/// <summary>Why a Teams file was not downloaded.</summary>
public enum TeamsFileDownloadFailure
{
    /// <summary>The attachment is not a <c>file.download.info</c> attachment, or has no usable download URL.</summary>
    NotAFileAttachment,

    /// <summary>The URL (or a redirect) is not https, not on the allowed hosts, or carries credentials.</summary>
    DisallowedUrl,

    /// <summary>The host resolved to a loopback, private, link-local or otherwise non-public address.</summary>
    DisallowedAddress,

    /// <summary>The file is larger than <see cref="TeamsFileDownloadOptions.MaxFileBytes"/>.</summary>
    TooLarge,

    TooManyRedirects,

    /// <summary>The file host answered with an error status.</summary>
    HttpError,

    /// <summary>The host could not be resolved or reached, or did not answer in time.</summary>
    Unreachable,
}

/// <summary>
/// A Teams file that was not downloaded. The message names the host, never the full download URL (its query is a
/// credential).
/// </summary>
public sealed class TeamsFileDownloadException : Exception
{
    public TeamsFileDownloadException()
    {
    }

    public TeamsFileDownloadException(string message)
        : base(message)
    {
    }

    public TeamsFileDownloadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public TeamsFileDownloadException(TeamsFileDownloadFailure failure, string message, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        StatusCode = statusCode;
    }

    public TeamsFileDownloadFailure Failure { get; }

    public HttpStatusCode? StatusCode { get; }
}
