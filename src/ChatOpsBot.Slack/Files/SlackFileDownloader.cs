using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ChatOpsBot.Slack.Inbound;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Slack.Files;

public enum SlackFileDownloadFailure
{
    /// <summary>The file object has no download URL (a Slack Connect file before <c>files.info</c>, a deleted file).</summary>
    NoDownloadUrl,

    /// <summary>Not https, or not on <see cref="SlackOptions.FileHosts"/>: the bot token goes nowhere else.</summary>
    DisallowedUrl,

    TooLarge,

    /// <summary>Slack answered its HTML sign-in page: the token lacks <c>files:read</c> (or the app was not reinstalled after adding it).</summary>
    MissingFilesReadScope,

    TooManyRedirects,

    HttpError,

    Unreachable,
}

public sealed class SlackFileDownloadException : Exception
{
    public SlackFileDownloadException()
    {
    }

    public SlackFileDownloadException(string message)
        : base(message)
    {
    }

    public SlackFileDownloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SlackFileDownloadException(SlackFileDownloadFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public SlackFileDownloadFailure Failure { get; }
}

/// <summary>A downloaded Slack file; <see cref="Name"/> is the sender's and for display only.</summary>
public sealed record SlackDownloadedFile(string FileId, string? Name, string? ContentType, byte[] Content);

/// <summary>
/// Downloads files shared with the bot from <c>url_private_download</c> with the bot token (teams-and-slack.md B6.5):
/// only https URLs on <see cref="SlackOptions.FileHosts"/> (the token goes nowhere else, and every redirect is checked
/// the same way before the token is sent again), never more than <see cref="SlackOptions.MaxFileBytes"/>, and Slack's
/// HTML sign-in page, which it answers with HTTP 200 when the token lacks <c>files:read</c>, is recognised and reported
/// as a missing scope instead of being analysed as the file.
/// </summary>
public sealed partial class SlackFileDownloader
{
    public const int MaxRedirects = 3;

    private const int SniffBytes = 4096;

    private readonly HttpClient _httpClient;
    private readonly SlackOptions _options;
    private readonly ILogger<SlackFileDownloader> _logger;

    public SlackFileDownloader(HttpClient httpClient, IOptions<SlackOptions> options, ILogger<SlackFileDownloader> logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _httpClient = httpClient;
        _options = options.Value;
        _logger = logger;
    }

    public async Task<SlackDownloadedFile> DownloadAsync(SlackFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (string.IsNullOrWhiteSpace(_options.BotToken))
        {
            throw new InvalidOperationException("Slack is not configured (Slack:BotToken is empty).");
        }

        string fileId = SlackLogText.Safe(file.Id, 64);
        string? url = file.UrlPrivateDownload ?? file.UrlPrivate;
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
        {
            throw Fail(SlackFileDownloadFailure.NoDownloadUrl, $"Slack file {fileId} has no download URL.");
        }

        if (file.Size is long size && size > _options.MaxFileBytes)
        {
            throw Fail(SlackFileDownloadFailure.TooLarge, $"Slack file {fileId} is {size} bytes; the limit is {_options.MaxFileBytes}.");
        }

        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            for (int hop = 0; ; hop++)
            {
                CheckUrl(uri, fileId);
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.BotToken);
                using HttpResponseMessage response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if ((int)response.StatusCode is >= 300 and <= 399 && response.Headers.Location is { } location)
                {
                    if (hop >= MaxRedirects)
                    {
                        throw Fail(SlackFileDownloadFailure.TooManyRedirects, $"Slack file {fileId}: more than {MaxRedirects} redirects.");
                    }

                    uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw Fail(SlackFileDownloadFailure.HttpError, $"Slack file {fileId}: the file host answered {(int)response.StatusCode}.");
                }

                byte[] content = await ReadCappedAsync(response.Content, fileId, timeout.Token).ConfigureAwait(false);
                string? mediaType = response.Content.Headers.ContentType?.MediaType;
                if (IsSignInPage(file, mediaType, content))
                {
                    throw Fail(
                        SlackFileDownloadFailure.MissingFilesReadScope,
                        $"Slack answered its sign-in page instead of file {fileId}: the bot token lacks the files:read scope (add it under OAuth & Permissions and reinstall the app).");
                }

                LogDownloaded(_logger, content.Length, fileId);
                return new SlackDownloadedFile(file.Id, file.Name, mediaType ?? file.MimeType, content);
            }
        }
        catch (HttpRequestException ex)
        {
            throw Fail(SlackFileDownloadFailure.Unreachable, $"Slack file {fileId} could not be downloaded: {ex.HttpRequestError}.", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail(SlackFileDownloadFailure.Unreachable, $"Slack file {fileId}: the download timed out.", ex);
        }
    }

    /// <summary>
    /// Slack's sign-in page: HTML where the file is not HTML (an .eml, a .json), or, for a file that is HTML itself
    /// (an email forward's rendering), HTML that carries Slack's sign-in form.
    /// </summary>
    internal static bool IsSignInPage(SlackFile file, string? mediaType, ReadOnlySpan<byte> content)
    {
        ReadOnlySpan<byte> head = content[..Math.Min(content.Length, SniffBytes)];
        bool html = string.Equals(mediaType, "text/html", StringComparison.OrdinalIgnoreCase) || LooksLikeHtml(head);
        if (!html)
        {
            return false;
        }

        bool fileIsHtml = string.Equals(file.MimeType, "text/html", StringComparison.OrdinalIgnoreCase)
            || string.Equals(file.FileType, "html", StringComparison.OrdinalIgnoreCase)
            || file.IsEmailForward;
        if (!fileIsHtml)
        {
            return true;
        }

        string text = Encoding.UTF8.GetString(head).ToLowerInvariant();
        return text.Contains("signin_form", StringComparison.Ordinal)
            || text.Contains("<title>slack</title>", StringComparison.Ordinal)
            || (text.Contains("sign in", StringComparison.Ordinal) && text.Contains("slack", StringComparison.Ordinal) && text.Contains("<form", StringComparison.Ordinal));
    }

    private static bool LooksLikeHtml(ReadOnlySpan<byte> head)
    {
        string start = Encoding.ASCII.GetString(head[..Math.Min(head.Length, 256)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n').ToLowerInvariant();
        return start.StartsWith("<!doctype html", StringComparison.Ordinal) || start.StartsWith("<html", StringComparison.Ordinal);
    }

    private void CheckUrl(Uri uri, string fileId)
    {
        bool scheme = uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && _options.AllowHttpOnLoopbackForTesting);
        string? host = SlackLogText.WireHost(uri);
        bool allowed = host is not null && _options.EffectiveFileHosts.Any(h => host == h || host.EndsWith("." + h, StringComparison.Ordinal));
        if (!scheme || !allowed || !string.IsNullOrEmpty(uri.UserInfo))
        {
            string origin = SlackLogText.Safe(uri.GetLeftPart(UriPartial.Authority), 100);
            throw Fail(SlackFileDownloadFailure.DisallowedUrl, $"Slack file {fileId}: refused to send the bot token to {origin} (not https on Slack:FileHosts).");
        }
    }

    private async Task<byte[]> ReadCappedAsync(HttpContent content, string fileId, CancellationToken cancellationToken)
    {
        long cap = _options.MaxFileBytes;
        if (content.Headers.ContentLength > cap)
        {
            throw Fail(SlackFileDownloadFailure.TooLarge, $"Slack file {fileId} is {content.Headers.ContentLength} bytes; the limit is {cap}.");
        }

        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var collected = new MemoryStream((int)Math.Min(content.Headers.ContentLength ?? 64 * 1024, cap));
            byte[] buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (collected.Length + read > cap)
                {
                    throw Fail(SlackFileDownloadFailure.TooLarge, $"Slack file {fileId} is larger than the limit of {cap} bytes.");
                }

                collected.Write(buffer, 0, read);
            }

            return collected.ToArray();
        }
    }

    private SlackFileDownloadException Fail(SlackFileDownloadFailure failure, string message, Exception? inner = null)
    {
        LogFailed(_logger, failure, message);
        return new SlackFileDownloadException(failure, message, inner);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Downloaded {Bytes} bytes of Slack file {FileId}")]
    private static partial void LogDownloaded(ILogger logger, int bytes, string fileId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack file download failed ({Failure}): {Reason}")]
    private static partial void LogFailed(ILogger logger, SlackFileDownloadFailure failure, string reason);
}
