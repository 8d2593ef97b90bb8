using System.Net;
using ChatOpsBot.BotFramework.Connector;
using ChatOpsBot.BotFramework.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.BotFramework.Files;

/// <summary>A file a user sent the bot, as downloaded. <see cref="FileName"/> is the user's name for it: display only.</summary>
public sealed record TeamsFileDownload(string? FileName, string? FileType, string? UniqueId, string? ContentType, byte[] Content);

/// <summary>
/// Downloads files users send the bot in personal chat (<c>application/vnd.microsoft.teams.file.download.info</c>)
/// from their pre-authenticated <c>downloadUrl</c>: https only, allowed hosts only, public addresses only (checked at
/// connect time), every redirect checked the same way, no bot token, and never more than
/// <see cref="TeamsFileDownloadOptions.MaxFileBytes"/>.
/// </summary>
public sealed partial class TeamsFileDownloader
{
    private const int MaxFileNameLength = 255;

    private readonly HttpClient _httpClient;
    private readonly TeamsFileDownloadOptions _options;
    private readonly IReadOnlyList<string> _allowedHosts;
    private readonly ILogger<TeamsFileDownloader> _logger;

    public TeamsFileDownloader(HttpClient httpClient, IOptions<TeamsFileDownloadOptions> options, ILogger<TeamsFileDownloader> logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _httpClient = httpClient;
        _options = options.Value;
        _allowedHosts = _options.EffectiveAllowedHosts;
        _logger = logger;
    }

    /// <summary>Downloads the file behind a Teams file attachment.</summary>
    public Task<TeamsFileDownload> DownloadAsync(Attachment attachment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        FileDownloadInfo info = FileDownloadInfo.FromAttachment(attachment)
            ?? throw new TeamsFileDownloadException(
                TeamsFileDownloadFailure.NotAFileAttachment,
                $"The attachment is not a Teams file download ({LogText.Safe(attachment.ContentType, 100)}).");
        return DownloadAsync(info, attachment.Name, cancellationToken);
    }

    public async Task<TeamsFileDownload> DownloadAsync(FileDownloadInfo info, string? fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (string.IsNullOrWhiteSpace(info.DownloadUrl) || !Uri.TryCreate(info.DownloadUrl, UriKind.Absolute, out Uri? uri))
        {
            throw new TeamsFileDownloadException(TeamsFileDownloadFailure.NotAFileAttachment, "The file attachment has no absolute downloadUrl.");
        }

        // HttpClient.Timeout stops at the headers; this bounds the whole download, redirects and body included.
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            for (int hop = 0; ; hop++)
            {
                CheckUrl(uri);
                using HttpRequestMessage request = new(HttpMethod.Get, uri);
                using HttpResponseMessage response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);

                if ((int)response.StatusCode is >= 300 and <= 399 && response.Headers.Location is { } location)
                {
                    if (hop >= _options.MaxRedirects)
                    {
                        throw Fail(TeamsFileDownloadFailure.TooManyRedirects, $"More than {_options.MaxRedirects} redirects from {Origin(info.DownloadUrl)}.");
                    }

                    uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw Fail(TeamsFileDownloadFailure.HttpError, $"{Origin(uri)} answered {(int)response.StatusCode}.", response.StatusCode);
                }

                byte[] content = await ReadCappedAsync(response.Content, uri, timeout.Token).ConfigureAwait(false);
                string origin = Origin(uri);
                string uniqueId = LogText.Safe(info.UniqueId, 64);
                LogDownloaded(_logger, content.Length, origin, uniqueId);
                return new TeamsFileDownload(SafeFileName(fileName), info.FileType, info.UniqueId, response.Content.Headers.ContentType?.MediaType, content);
            }
        }
        catch (HttpRequestException exception) when (exception.InnerException is TeamsFileDownloadException refused)
        {
            // Thrown by the connect callback, wrapped by HttpClient.
            LogRefused(_logger, refused.Failure, refused.Message);
            throw new TeamsFileDownloadException(refused.Failure, refused.Message, innerException: exception);
        }
        catch (HttpRequestException exception)
        {
            throw Fail(TeamsFileDownloadFailure.Unreachable, $"Could not download from {Origin(uri)}: {exception.HttpRequestError}.", inner: exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail(TeamsFileDownloadFailure.Unreachable, $"Download from {Origin(uri)} timed out after {_options.Timeout.TotalSeconds:0.#} s.", inner: exception);
        }
    }

    private void CheckUrl(Uri uri)
    {
        bool schemeAllowed = uri.Scheme == Uri.UriSchemeHttps || (_options.AllowHttpForTests && uri.Scheme == Uri.UriSchemeHttp);
        if (!schemeAllowed)
        {
            throw Fail(TeamsFileDownloadFailure.DisallowedUrl, $"Refused {Origin(uri)}: only https downloads are allowed.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw Fail(TeamsFileDownloadFailure.DisallowedUrl, $"Refused {Origin(uri)}: URLs with credentials are not allowed.");
        }

        if (!UriHost.TryGetIdnHost(uri, out string idnHost))
        {
            throw Fail(TeamsFileDownloadFailure.DisallowedUrl, $"Refused {Origin(uri)}: the host name is not a valid IDN.");
        }

        string host = idnHost.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        if (!IsAllowedHost(host))
        {
            throw Fail(TeamsFileDownloadFailure.DisallowedUrl, $"Refused {Origin(uri)}: {LogText.Safe(host, 100)} is not on Bot:Files:AllowedHosts.");
        }

        if (IPAddress.TryParse(host, out IPAddress? literal))
        {
            AddressScope scope = NetworkAddressPolicy.Classify(literal);
            if (scope == AddressScope.NonPublic || (scope == AddressScope.Loopback && !_options.AllowLoopbackForTests))
            {
                throw Fail(TeamsFileDownloadFailure.DisallowedAddress, $"Refused {Origin(uri)}: {literal} is not a public address.");
            }
        }
    }

    private bool IsAllowedHost(string host)
    {
        bool isAddress = IPAddress.TryParse(host, out IPAddress? address);
        foreach (string allowed in _allowedHosts)
        {
            if (isAddress)
            {
                // IP literals only match themselves, compared as addresses (::ffff:7f00:1 is not 127.0.0.1's entry).
                if (IPAddress.TryParse(allowed.Trim('[', ']'), out IPAddress? allowedAddress) && allowedAddress.Equals(address))
                {
                    return true;
                }
            }
            else if (host == allowed || host.EndsWith("." + allowed, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<byte[]> ReadCappedAsync(HttpContent content, Uri uri, CancellationToken cancellationToken)
    {
        long cap = _options.MaxFileBytes;
        if (content.Headers.ContentLength > cap)
        {
            throw Fail(TeamsFileDownloadFailure.TooLarge, $"The file at {Origin(uri)} is {content.Headers.ContentLength} bytes; the limit is {cap}.");
        }

        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using MemoryStream collected = new((int)Math.Min(content.Headers.ContentLength ?? 64 * 1024, cap));
            byte[] buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (collected.Length + read > cap)
                {
                    throw Fail(TeamsFileDownloadFailure.TooLarge, $"The file at {Origin(uri)} is larger than the limit of {cap} bytes.");
                }

                collected.Write(buffer, 0, read);
            }

            return collected.ToArray();
        }
    }

    private TeamsFileDownloadException Fail(TeamsFileDownloadFailure failure, string message, HttpStatusCode? status = null, Exception? inner = null)
    {
        LogRefused(_logger, failure, message);
        return new TeamsFileDownloadException(failure, message, status, inner);
    }

    // Only scheme://host:port: the path names the user's files and the query (tempauth=…) is a credential.
    private static string Origin(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) ? Origin(uri) : "(invalid URL)";

    private static string Origin(Uri uri) => LogText.Safe(uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped), 120);

    private static string? SafeFileName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        string lastSegment = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        string safe = LogText.Safe(lastSegment, MaxFileNameLength).Trim();
        return safe.Length == 0 || safe is "." or ".." ? null : safe;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Downloaded a {Bytes}-byte Teams file from {Origin} (unique id {UniqueId})")]
    private static partial void LogDownloaded(ILogger logger, int bytes, string origin, string uniqueId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams file download failed ({Failure}): {Reason}")]
    private static partial void LogRefused(ILogger logger, TeamsFileDownloadFailure failure, string reason);
}
