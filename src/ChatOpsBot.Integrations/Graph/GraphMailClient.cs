using System.Net;
using ChatOpsBot.Integrations.Http;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.Messages.Item.Move;
using Microsoft.Graph.Users.Item.SendMail;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;

namespace ChatOpsBot.Integrations.Graph;

/// <summary>One message of a mailbox folder, as listed (no body). Every string is the sender's and hostile.</summary>
public sealed record GraphMailMessage(
    string Id,
    string? InternetMessageId,
    string? Subject,
    string? FromAddress,
    string? FromName,
    DateTimeOffset? ReceivedAt);

/// <summary>One page of a folder listing; <see cref="NextLink"/> is Graph's <c>@odata.nextLink</c>, null on the last page.</summary>
public sealed record GraphMessagePage(IReadOnlyList<GraphMailMessage> Messages, string? NextLink);

/// <summary>A plain-text mail sent from the mailbox (never HTML: what goes in it is not markup).</summary>
public sealed record GraphOutgoingMail(string ToAddress, string Subject, string PlainTextBody);

/// <summary>The mailbox operations the report mailbox needs, app-only. Message ids are immutable ids
/// (<c>Prefer: IdType="ImmutableId"</c>), so an id stays the same when the message is moved.</summary>
public interface IGraphMailClient
{
    bool IsConfigured { get; }

    /// <summary>
    /// The oldest messages of <paramref name="folder"/> (an id or a well-known name such as <c>inbox</c>) first, a
    /// page at a time; <paramref name="nextLink"/> continues a listing. <paramref name="unreadOnly"/> filters on
    /// <c>isRead eq false</c>.
    /// </summary>
    Task<GraphMessagePage> ListMessagesAsync(string mailbox, string folder, bool unreadOnly, int pageSize, string? nextLink, CancellationToken cancellationToken);

    /// <summary>The message's full MIME (<c>/messages/{id}/$value</c>), streamed and refused beyond
    /// <paramref name="maxBytes"/>: null when it is larger (nothing more than the limit is read).</summary>
    Task<byte[]?> GetMimeAsync(string mailbox, string messageId, long maxBytes, CancellationToken cancellationToken);

    Task MarkReadAsync(string mailbox, string messageId, CancellationToken cancellationToken);

    /// <summary>Moves the message; returns its id in the destination (the same, with immutable ids).</summary>
    Task<string?> MoveAsync(string mailbox, string messageId, string destinationFolderId, CancellationToken cancellationToken);

    /// <summary>The id of the top-level folder with this display name, or null.</summary>
    Task<string?> FindFolderIdAsync(string mailbox, string displayName, CancellationToken cancellationToken);

    /// <summary><c>/users/{mailbox}/sendMail</c>, not saved to Sent Items, with <c>X-Auto-Response-Suppress: All</c>.</summary>
    Task SendMailAsync(string mailbox, GraphOutgoingMail mail, CancellationToken cancellationToken);

    /// <summary>
    /// The Entra object id of the user whose user principal name or primary SMTP address is <paramref name="address"/>
    /// (<c>/users/{address}</c>, then <c>/users?$filter=mail eq '{address}'</c>), or null when no single user has it.
    /// Needs the <c>User.ReadBasic.All</c> application permission.
    /// </summary>
    Task<string?> FindUserIdAsync(string address, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="IGraphMailClient"/> on the Microsoft Graph SDK (5.x, Kiota), over a typed <see cref="HttpClient"/> whose
/// pipeline is <see cref="GraphThrottlingHandler"/> and the response size limit. Every failure becomes a
/// <see cref="GraphApiException"/> with a kind and a safe one-line message.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable",
    Justification = "The GraphServiceClient only wraps the factory's HttpClient, whose handlers IHttpClientFactory owns and recycles; disposing the typed client per use is not how factory clients are used.")]
public sealed class GraphMailClient : IGraphMailClient
{
    public const string HttpClientName = "ChatOpsBot.Graph";
    public const string TokenHttpClientName = "ChatOpsBot.Graph.Token";

    /// <summary>Immutable ids survive a move to another folder, so the id recorded as processed stays the message's id.</summary>
    internal const string PreferImmutableIds = "IdType=\"ImmutableId\"";

    private static readonly string[] s_listFields = ["id", "internetMessageId", "subject", "from", "receivedDateTime", "isRead"];

    private readonly HttpClient _http;
    private readonly GraphOptions _options;
    private readonly GraphServiceClient _graph;
    private readonly Uri _baseUrl;

    public GraphMailClient(HttpClient http, IAccessTokenProvider tokens, IOptions<GraphOptions> options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
        _baseUrl = new Uri(_options.BaseUrl.TrimEnd('/'), UriKind.Absolute);
        _graph = new GraphServiceClient(http, new BaseBearerTokenAuthenticationProvider(tokens), _baseUrl.ToString());
    }

    public bool IsConfigured => _options.IsConfigured;

    public Task<GraphMessagePage> ListMessagesAsync(string mailbox, string folder, bool unreadOnly, int pageSize, string? nextLink, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return CallAsync(async () =>
        {
            Microsoft.Graph.Users.Item.MailFolders.Item.Messages.MessagesRequestBuilder messages = _graph.Users[mailbox].MailFolders[folder].Messages;
            MessageCollectionResponse? page;
            if (nextLink is null)
            {
                page = await messages.GetAsync(
                    request =>
                    {
                        request.Headers.Add("Prefer", PreferImmutableIds);
                        request.QueryParameters.Select = s_listFields;
                        request.QueryParameters.Top = Math.Clamp(pageSize, 1, 1000);
                        request.QueryParameters.Orderby = ["receivedDateTime asc"];
                        // Graph refuses $orderby with a $filter unless the ordered property comes first in the filter.
                        request.QueryParameters.Filter = unreadOnly
                            ? "receivedDateTime ge 1900-01-01T00:00:00Z and isRead eq false"
                            : null;
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            else
            {
                page = await messages.WithUrl(SameServiceLink(nextLink))
                    .GetAsync(request => request.Headers.Add("Prefer", PreferImmutableIds), cancellationToken).ConfigureAwait(false);
            }

            if (page is null)
            {
                throw new GraphApiException(GraphErrorKind.MalformedResponse, "Microsoft Graph returned an empty message list response.");
            }

            List<GraphMailMessage> list = [];
            foreach (Message message in page.Value ?? [])
            {
                if (string.IsNullOrEmpty(message.Id))
                {
                    throw new GraphApiException(GraphErrorKind.MalformedResponse, "Microsoft Graph listed a message without an id.");
                }

                list.Add(new GraphMailMessage(
                    message.Id,
                    message.InternetMessageId,
                    message.Subject,
                    message.From?.EmailAddress?.Address,
                    message.From?.EmailAddress?.Name,
                    message.ReceivedDateTime));
            }

            return new GraphMessagePage(list, string.IsNullOrEmpty(page.OdataNextLink) ? null : page.OdataNextLink);
        });
    }

    public Task<byte[]?> GetMimeAsync(string mailbox, string messageId, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        return CallAsync(async () =>
        {
            // The SDK builds and authenticates the request; it is sent here so the body streams (headers first) and is
            // cut at the limit instead of being buffered whole.
            RequestInformation information = _graph.Users[mailbox].Messages[messageId].Content.ToGetRequestInformation(
                request => request.Headers.Add("Prefer", PreferImmutableIds));
            using HttpRequestMessage request = await _graph.RequestAdapter
                .ConvertToNativeRequestAsync<HttpRequestMessage>(information, cancellationToken).ConfigureAwait(false)
                ?? throw new GraphApiException(GraphErrorKind.UnexpectedStatus, "The Graph SDK built no request for $value.");
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                byte[]? error = await BoundedContent.ReadAsync(response.Content, 64 * 1024, cancellationToken).ConfigureAwait(false);
                throw FromStatus((int)response.StatusCode, GraphErrorBody.Code(error), GraphErrorBody.Message(error));
            }

            return await BoundedContent.ReadAsync(response.Content, maxBytes, cancellationToken).ConfigureAwait(false);
        });
    }

    public Task MarkReadAsync(string mailbox, string messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        return CallAsync(async () =>
        {
            await _graph.Users[mailbox].Messages[messageId].PatchAsync(
                new Message { IsRead = true },
                request => request.Headers.Add("Prefer", PreferImmutableIds),
                cancellationToken).ConfigureAwait(false);
            return true;
        });
    }

    public Task<string?> MoveAsync(string mailbox, string messageId, string destinationFolderId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationFolderId);
        return CallAsync(async () =>
        {
            Message? moved = await _graph.Users[mailbox].Messages[messageId].Move.PostAsync(
                new MovePostRequestBody { DestinationId = destinationFolderId },
                request => request.Headers.Add("Prefer", PreferImmutableIds),
                cancellationToken).ConfigureAwait(false);
            return moved?.Id;
        });
    }

    public Task<string?> FindFolderIdAsync(string mailbox, string displayName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        return CallAsync(async () =>
        {
            MailFolderCollectionResponse? folders = await _graph.Users[mailbox].MailFolders.GetAsync(
                request =>
                {
                    // An OData string literal doubles its single quotes.
                    request.QueryParameters.Filter = $"displayName eq '{displayName.Replace("'", "''", StringComparison.Ordinal)}'";
                    request.QueryParameters.Select = ["id", "displayName"];
                },
                cancellationToken).ConfigureAwait(false);
            return folders?.Value?.FirstOrDefault(f => string.Equals(f.DisplayName, displayName, StringComparison.OrdinalIgnoreCase))?.Id;
        });
    }

    public Task SendMailAsync(string mailbox, GraphOutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        ArgumentNullException.ThrowIfNull(mail);
        return CallAsync(async () =>
        {
            await _graph.Users[mailbox].SendMail.PostAsync(
                new SendMailPostRequestBody
                {
                    Message = new Message
                    {
                        Subject = mail.Subject,
                        Body = new ItemBody { ContentType = BodyType.Text, Content = mail.PlainTextBody },
                        ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = mail.ToAddress } }],
                        // Exchange sends no out-of-office or other automatic answer to this mail (no reply loops).
                        InternetMessageHeaders = [new InternetMessageHeader { Name = "X-Auto-Response-Suppress", Value = "All" }],
                    },
                    SaveToSentItems = false,
                },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        });
    }

    public Task<string?> FindUserIdAsync(string address, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        return CallAsync(async () =>
        {
            try
            {
                User? user = await _graph.Users[address].GetAsync(request => request.QueryParameters.Select = ["id"], cancellationToken).ConfigureAwait(false);
                if (!string.IsNullOrEmpty(user?.Id))
                {
                    return user.Id;
                }
            }
            catch (ODataError error) when (error.ResponseStatusCode == (int)HttpStatusCode.NotFound)
            {
                // Not a user principal name: an address can still be a user's primary SMTP address.
            }

            UserCollectionResponse? users = await _graph.Users.GetAsync(
                request =>
                {
                    request.QueryParameters.Filter = $"mail eq '{address.Replace("'", "''", StringComparison.Ordinal)}'";
                    request.QueryParameters.Select = ["id"];
                    request.QueryParameters.Top = 2;
                },
                cancellationToken).ConfigureAwait(false);
            return users?.Value is [{ Id: { Length: > 0 } id }] ? id : null;
        });
    }

    /// <summary>A continuation link from a Graph answer is followed only when it points at the configured service
    /// (scheme, host, port and version path); anything else is refused before a request is made.</summary>
    private string SameServiceLink(string link)
    {
        if (!Uri.TryCreate(link, UriKind.Absolute, out Uri? uri)
            || uri.Scheme != _baseUrl.Scheme
            || !string.Equals(uri.Host, _baseUrl.Host, StringComparison.OrdinalIgnoreCase)
            || uri.Port != _baseUrl.Port
            || !uri.AbsolutePath.StartsWith(_baseUrl.AbsolutePath.TrimEnd('/') + "/", StringComparison.Ordinal)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new GraphApiException(GraphErrorKind.MalformedResponse, "Microsoft Graph returned a @odata.nextLink outside the configured Graph base URL; it was not followed.");
        }

        return uri.AbsoluteUri;
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        if (!_options.IsConfigured)
        {
            throw new GraphApiException(GraphErrorKind.NotConfigured, "Microsoft Graph is not configured (ReportMailbox:Graph:ClientId is empty).");
        }

        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ODataError error)
        {
            throw FromStatus(error.ResponseStatusCode, error.Error?.Code, error.Error?.Message, error);
        }
        catch (ApiException error)
        {
            throw FromStatus(error.ResponseStatusCode, null, null, error);
        }
        catch (HttpRequestException error) when (error.InnerException is ResponseTooLargeException)
        {
            throw new GraphApiException(GraphErrorKind.MalformedResponse, "Microsoft Graph sent a response larger than ReportMailbox:Graph:MaxResponseBytes.", error);
        }
        catch (ResponseTooLargeException error)
        {
            throw new GraphApiException(GraphErrorKind.MalformedResponse, "Microsoft Graph sent a response larger than ReportMailbox:Graph:MaxResponseBytes.", error);
        }
        catch (HttpRequestException error)
        {
            throw new GraphApiException(GraphErrorKind.Unavailable, $"Microsoft Graph could not be reached ({error.HttpRequestError}).", error);
        }
        catch (TaskCanceledException error) when (error.InnerException is TimeoutException)
        {
            throw new GraphApiException(GraphErrorKind.Unavailable, "Microsoft Graph did not answer within ReportMailbox:Graph:RequestTimeout.", error);
        }
        catch (System.Text.Json.JsonException error)
        {
            throw new GraphApiException(GraphErrorKind.MalformedResponse, "Microsoft Graph sent a body that is not valid JSON.", error);
        }
    }

    private static GraphApiException FromStatus(int status, string? code, string? message, Exception? inner = null)
    {
        GraphErrorKind kind = status switch
        {
            (int)HttpStatusCode.Unauthorized => GraphErrorKind.Unauthorized,
            (int)HttpStatusCode.Forbidden => GraphErrorKind.Forbidden,
            (int)HttpStatusCode.NotFound => GraphErrorKind.NotFound,
            (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.ServiceUnavailable => GraphErrorKind.Throttled,
            >= 500 => GraphErrorKind.ServerError,
            _ => GraphErrorKind.UnexpectedStatus,
        };
        string? safeCode = RemoteText.Token(code, RemoteText.MaxCodeChars);
        string detail = (safeCode is null ? "" : " " + safeCode)
            + (string.IsNullOrWhiteSpace(message) ? "" : ": " + RemoteText.OneLine(message, RemoteText.MaxMessageChars).TrimEnd('.'));
        string hint = kind switch
        {
            GraphErrorKind.Forbidden => " (the app needs Mail.ReadWrite and Mail.Send application permissions, and an application access policy that includes the mailbox)",
            GraphErrorKind.Throttled => " (throttled; the work is left for the next run)",
            _ => "",
        };
        return new GraphApiException(kind, $"Microsoft Graph answered HTTP {status}{detail}{hint}.", inner, status, safeCode);
    }
}
