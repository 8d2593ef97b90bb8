using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsBot.Integrations.Http;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Integrations.Mimecast;

/// <summary>The Mimecast API 2.0 client (a typed <see cref="HttpClient"/>; see <see cref="IMimecastClient"/>).</summary>
internal sealed partial class MimecastClient(
    HttpClient http,
    MimecastTokenProvider tokens,
    MimecastResilience resilience,
    ILogger<MimecastClient> logger) : IMimecastClient
{
    public const string HttpClientName = "ChatOpsBot.Mimecast";

    /// <summary>decode-url takes 1 to 25 URLs per call.</summary>
    public const int DecodeBatchSize = 25;

    public const int MaxDecodeUrls = 1000;
    public const int MaxUrlChars = 8192;
    public const int MaxAddressChars = 320;
    public const int MaxCommentChars = 200;

    /// <summary>Group notes are at most 100 characters (Mimecast's add-group-member).</summary>
    public const int MaxGroupNotesChars = 100;

    private const string ManagedUrlExists = "err_managed_url_exists_code";
    private const string GroupMemberExists = "err_folder_group_member_already_exists";

    private MimecastOptions Options => resilience.Options;

    public bool IsConfigured => Options.IsConfigured;

    public Task<MimecastLogResult<MimecastClickLog>> GetUrlLogsAsync(MimecastUrlLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        JsonObject filters = Period(query.From, query.To, query.OldestFirst);
        filters["route"] = Lower(query.Route);
        filters["scanResult"] = Lower(query.ScanResult);
        return ReadPagesAsync(MimecastEndpoint.UrlLogs, filters, "clickLogs", MimecastRecordReader.ClickLog, cancellationToken);
    }

    public Task<MimecastLogResult<MimecastAttachmentLog>> GetAttachmentLogsAsync(
        MimecastAttachmentLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        JsonObject filters = Period(query.From, query.To, query.OldestFirst);
        filters["route"] = Lower(query.Route);
        filters["result"] = Lower(query.Result);
        return ReadPagesAsync(MimecastEndpoint.AttachmentLogs, filters, "attachmentLogs", MimecastRecordReader.AttachmentLog, cancellationToken);
    }

    public Task<MimecastLogResult<MimecastImpersonationLog>> GetImpersonationLogsAsync(
        MimecastImpersonationLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        JsonObject filters = Period(query.From, query.To, query.OldestFirst);
        if (query.TaggedMalicious is bool tagged)
        {
            filters["taggedMalicious"] = tagged;
        }

        return ReadPagesAsync(
            MimecastEndpoint.ImpersonationLogs, filters, "impersonationLogs", MimecastRecordReader.ImpersonationLog, cancellationToken);
    }

    public async Task<IReadOnlyList<MimecastDecodedUrl>> DecodeUrlsAsync(IReadOnlyList<string> rewrittenUrls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rewrittenUrls);
        if (rewrittenUrls.Count == 0 || rewrittenUrls.Count > MaxDecodeUrls)
        {
            throw new ArgumentException($"Give between 1 and {MaxDecodeUrls} URLs to decode.", nameof(rewrittenUrls));
        }

        foreach (string url in rewrittenUrls)
        {
            RequireText(url, MaxUrlChars, "URL to decode", nameof(rewrittenUrls));
        }

        EnsureConfigured();
        var decoded = new Dictionary<string, MimecastDecodedUrl>(StringComparer.Ordinal);
        foreach (string[] batch in rewrittenUrls.Distinct(StringComparer.Ordinal).Chunk(DecodeBatchSize))
        {
            var items = new JsonArray();
            foreach (string url in batch)
            {
                items.Add(new JsonObject { ["url"] = url });
            }

            using MimecastEnvelope envelope = await PostAsync(MimecastEndpoint.DecodeUrl, new JsonObject { ["data"] = items }, cancellationToken)
                .ConfigureAwait(false);
            foreach (MimecastDecodedUrl result in MatchDecoded(batch, envelope))
            {
                decoded[result.RewrittenUrl] = result;
            }
        }

        return rewrittenUrls.Select(url => decoded[url]).ToList();
    }

    public async Task<MimecastBlockUrlResult> BlockUrlAsync(
        string url, MimecastUrlMatchType matchType, string? comment, CancellationToken cancellationToken)
    {
        RequireText(url, MaxUrlChars, "URL to block", nameof(url));
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The URL to block must be an absolute http or https URL.", nameof(url));
        }

        if (url.Contains('#', StringComparison.Ordinal))
        {
            throw new ArgumentException("Mimecast does not accept a #fragment in a managed URL; remove it.", nameof(url));
        }

        EnsureConfigured();
        var item = new JsonObject
        {
            ["action"] = "block",
            ["url"] = url,
            ["matchType"] = Lower(matchType),
            ["comment"] = comment is null ? "" : RemoteText.OneLine(comment, MaxCommentChars),
            ["disableRewrite"] = false,
            ["disableUserAwareness"] = false,
            ["disableLogClick"] = false,
        };
        using MimecastEnvelope envelope = await PostAsync(MimecastEndpoint.CreateManagedUrl, Single(item), cancellationToken).ConfigureAwait(false);
        if (envelope.Failures.Count > 0 && envelope.Failures.All(f => f.Code == ManagedUrlExists))
        {
            return new MimecastBlockUrlResult(MimecastWriteOutcome.AlreadyExists, null, envelope.Failures[0].Message is string m
                ? RemoteText.OneLine(m, RemoteText.MaxMessageChars)
                : null);
        }

        ThrowIfFailed(MimecastEndpoint.CreateManagedUrl, envelope);
        MimecastManagedUrl entry = MimecastRecordReader.ManagedUrl(FirstDataItem(MimecastEndpoint.CreateManagedUrl, envelope))
            ?? throw Malformed(MimecastEndpoint.CreateManagedUrl, "the created managed URL has no id");
        return new MimecastBlockUrlResult(MimecastWriteOutcome.Created, entry, null);
    }

    public async Task<MimecastManagedSender> PermitOrBlockSenderAsync(
        MimecastSenderAction action, string sender, string recipient, CancellationToken cancellationToken)
    {
        RequireAddress(sender, nameof(sender));
        RequireAddress(recipient, nameof(recipient));
        EnsureConfigured();
        var item = new JsonObject { ["action"] = Lower(action), ["sender"] = sender, ["to"] = recipient };
        using MimecastEnvelope envelope = await PostAsync(MimecastEndpoint.PermitOrBlockSender, Single(item), cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(MimecastEndpoint.PermitOrBlockSender, envelope);
        return MimecastRecordReader.ManagedSender(FirstDataItem(MimecastEndpoint.PermitOrBlockSender, envelope))
            ?? throw Malformed(MimecastEndpoint.PermitOrBlockSender, "the managed sender entry has no id");
    }

    public async Task<IReadOnlyList<MimecastProfileGroup>> FindProfileGroupsAsync(string query, CancellationToken cancellationToken)
    {
        RequireText(query, MaxAddressChars, "group name", nameof(query));
        MimecastLogResult<MimecastProfileGroup> groups = await ReadPagesAsync(
            MimecastEndpoint.FindGroups,
            new JsonObject { ["query"] = query, ["source"] = "cloud" },
            "folders",
            MimecastRecordReader.ProfileGroup,
            cancellationToken).ConfigureAwait(false);
        return groups.Records;
    }

    public async Task<MimecastGroupMembershipResult> AddToBlockedSendersGroupAsync(
        string senderAddressOrDomain, string? notes, CancellationToken cancellationToken)
    {
        RequireText(senderAddressOrDomain, MaxAddressChars, "sender address or domain", nameof(senderAddressOrDomain));
        if (senderAddressOrDomain.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException("A sender address or domain has no spaces or control characters.", nameof(senderAddressOrDomain));
        }

        EnsureConfigured();
        string groupName = Options.BlockedSendersGroup;
        IReadOnlyList<MimecastProfileGroup> candidates = await FindProfileGroupsAsync(groupName, cancellationToken).ConfigureAwait(false);
        List<MimecastProfileGroup> exact = candidates
            .Where(g => string.Equals(g.Description.Trim(), groupName.Trim(), StringComparison.OrdinalIgnoreCase))
            .ToList();
        string shownName = RemoteText.OneLine(groupName, MaxCommentChars);
        if (exact.Count == 0)
        {
            throw new MimecastApiException(
                MimecastErrorKind.NotFound,
                $"Mimecast has no cloud profile group named '{shownName}'; create it (and a blocked-senders policy for it), "
                + "or set Mimecast:BlockedSendersGroup to the group's name.",
                MimecastEndpoint.FindGroups.Display);
        }

        if (exact.Count > 1)
        {
            throw new MimecastApiException(
                MimecastErrorKind.Failure,
                $"{exact.Count} cloud profile groups are named '{shownName}'; rename them so exactly one matches.",
                MimecastEndpoint.FindGroups.Display);
        }

        MimecastProfileGroup group = exact[0];
        var item = new JsonObject { ["id"] = group.Id };
        item[senderAddressOrDomain.Contains('@', StringComparison.Ordinal) ? "emailAddress" : "domain"] = senderAddressOrDomain;
        if (!string.IsNullOrWhiteSpace(notes))
        {
            item["notes"] = RemoteText.OneLine(notes, MaxGroupNotesChars - 3);
        }

        using MimecastEnvelope envelope = await PostAsync(MimecastEndpoint.AddGroupMember, Single(item), cancellationToken).ConfigureAwait(false);
        if (envelope.Failures.Count > 0 && envelope.Failures.All(f => f.Code == GroupMemberExists))
        {
            return new MimecastGroupMembershipResult(MimecastWriteOutcome.AlreadyExists, group, null);
        }

        ThrowIfFailed(MimecastEndpoint.AddGroupMember, envelope);
        MimecastGroupMember member = MimecastRecordReader.GroupMember(FirstDataItem(MimecastEndpoint.AddGroupMember, envelope));
        return new MimecastGroupMembershipResult(MimecastWriteOutcome.Created, group, member);
    }

    /// <summary>Every page of a paginated route: follows <c>meta.pagination.next</c>, re-sending the filters with the
    /// page token; stops on a page without records even if <c>next</c> is present (Mimecast's last page can carry
    /// one), on a repeated token, or at <c>Mimecast:MaxPages</c>.</summary>
    private async Task<MimecastLogResult<T>> ReadPagesAsync<T>(
        MimecastEndpoint endpoint,
        JsonObject filters,
        string collection,
        Func<JsonElement, T?> read,
        CancellationToken cancellationToken)
        where T : class
    {
        EnsureConfigured();
        var records = new List<T>();
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        string? pageToken = null;
        int pages = 0;
        int skipped = 0;
        bool truncated = false;
        while (true)
        {
            var pagination = new JsonObject { ["pageSize"] = Options.PageSize };
            if (pageToken is not null)
            {
                pagination["pageToken"] = pageToken;
            }

            var body = new JsonObject
            {
                ["meta"] = new JsonObject { ["pagination"] = pagination },
                ["data"] = new JsonArray(filters.DeepClone()),
            };
            using MimecastEnvelope envelope = await PostAsync(endpoint, body, cancellationToken).ConfigureAwait(false);
            ThrowIfFailed(endpoint, envelope);
            pages++;

            int onPage = 0;
            foreach (JsonElement container in envelope.Data.EnumerateArray())
            {
                if (new JsonFields(container).Array(collection) is not JsonElement items)
                {
                    continue;
                }

                foreach (JsonElement item in items.EnumerateArray())
                {
                    onPage++;
                    if (read(item) is T record)
                    {
                        records.Add(record);
                    }
                    else
                    {
                        skipped++;
                    }
                }
            }

            if (onPage == 0 || envelope.Next is null)
            {
                break;
            }

            if (!seenTokens.Add(envelope.Next))
            {
                truncated = true;
                LogRepeatedPageToken(logger, endpoint.Display, pages);
                break;
            }

            if (pages >= Options.MaxPages)
            {
                truncated = true;
                LogPageCapReached(logger, endpoint.Display, pages, records.Count);
                break;
            }

            pageToken = envelope.Next;
        }

        if (skipped > 0)
        {
            LogSkippedRecords(logger, endpoint.Display, skipped);
        }

        return new MimecastLogResult<T>(records, pages, truncated, skipped);
    }

    /// <summary>POSTs <paramref name="body"/> with the access token; on a 401 that says the token expired (or failed
    /// verification), drops the token and tries once more with a new one.</summary>
    private async Task<MimecastEnvelope> PostAsync(MimecastEndpoint endpoint, JsonObject body, CancellationToken cancellationToken)
    {
        EnsureConfigured();
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(body);
        bool renewed = false;
        while (true)
        {
            string token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            MimecastHttpResult result = await resilience.SendAsync(
                http,
                () =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, endpoint.RelativePath) { Content = new ByteArrayContent(payload) };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    return request;
                },
                endpoint,
                cancellationToken).ConfigureAwait(false);

            if (result.Status == HttpStatusCode.Unauthorized && !renewed
                && FirstFailureCode(result.Body) is "token_expired" or "token_verification_failed")
            {
                LogTokenRenewed(logger, endpoint.Display, result.RequestId);
                tokens.Invalidate(token);
                renewed = true;
                continue;
            }

            return Interpret(endpoint, result);
        }
    }

    private MimecastEnvelope Interpret(MimecastEndpoint endpoint, MimecastHttpResult result)
    {
        int status = (int)result.Status;
        string where = endpoint.Display;
        string suffix = result.RequestId is null ? "" : $" (request id {result.RequestId})";
        IReadOnlyList<MimecastFailure> failures = status is >= 200 and < 300 ? [] : MimecastEnvelope.FailuresOf(result.Body);
        string? code = RemoteText.Token(failures.Count > 0 ? failures[0].Code : null, RemoteText.MaxCodeChars);
        string detail = failures.Count > 0 ? $": {MimecastEnvelope.Describe(failures)}" : "";

        MimecastApiException Error(MimecastErrorKind kind, string message)
        {
            LogCallFailed(logger, where, kind, status, code, result.RequestId);
            return new MimecastApiException(kind, message + suffix, where, status, code, result.RequestId);
        }

        switch (result.Status)
        {
            case HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted:
                if (result.Body is null)
                {
                    throw Error(MimecastErrorKind.MalformedResponse, $"Mimecast's answer to {where} is larger than {Options.MaxResponseBytes} bytes");
                }

                return MimecastEnvelope.TryParse(result.Body)
                    ?? throw Error(MimecastErrorKind.MalformedResponse, $"Mimecast's answer to {where} is not the JSON envelope it documents");
            case HttpStatusCode.Unauthorized:
                throw Error(
                    MimecastErrorKind.Unauthorized,
                    $"Mimecast rejected the access token for {where} (HTTP 401{(code is null ? "" : " " + code)}): check that the API 2.0 "
                    + "application is enabled and Mimecast:ClientId and Mimecast:ClientSecret are its current credentials");
            case HttpStatusCode.Forbidden:
                throw Error(
                    MimecastErrorKind.Forbidden,
                    $"Mimecast refused {where} (HTTP 403): the API application lacks the role permission '{endpoint.Permission}'; "
                    + "grant it to the application's role in the Mimecast administration console");
            case HttpStatusCode.TooManyRequests:
                string wait = result.RateLimitReset is TimeSpan reset ? $"; Mimecast asks to wait {reset.TotalSeconds:0.#} s" : "";
                throw Error(MimecastErrorKind.RateLimited, $"Mimecast's rate limit for {where} is exhausted (HTTP 429){wait}; try again later");
            case >= HttpStatusCode.InternalServerError:
                throw Error(
                    MimecastErrorKind.ServerError,
                    $"Mimecast failed on {where} (HTTP {status}) after {Options.MaxRetries} retries{detail}");
            default:
                throw Error(MimecastErrorKind.UnexpectedStatus, $"Mimecast answered {where} with HTTP {status}{detail}");
        }
    }

    private void ThrowIfFailed(MimecastEndpoint endpoint, MimecastEnvelope envelope)
    {
        if (envelope.Failures.Count == 0)
        {
            return;
        }

        string? code = RemoteText.Token(envelope.Failures[0].Code, RemoteText.MaxCodeChars);
        LogCallFailed(logger, endpoint.Display, MimecastErrorKind.Failure, 200, code, null);
        throw new MimecastApiException(
            MimecastErrorKind.Failure,
            $"Mimecast refused {endpoint.Display}: {MimecastEnvelope.Describe(envelope.Failures)}",
            endpoint.Display,
            200,
            code);
    }

    /// <summary>decode-url answers successes in <c>data</c> (the decoded URL only) and failures in <c>fail</c> keyed
    /// by the URL sent; successes are therefore matched, in order, to the URLs that did not fail. Anything that
    /// cannot be matched that way is an error rather than a guess.</summary>
    private IEnumerable<MimecastDecodedUrl> MatchDecoded(string[] batch, MimecastEnvelope envelope)
    {
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (MimecastFailure failure in envelope.Failures)
        {
            if (failure.Key?.String("url") is not string url || !batch.Contains(url, StringComparer.Ordinal))
            {
                ThrowIfFailed(MimecastEndpoint.DecodeUrl, envelope);
            }
            else
            {
                failed.TryAdd(url, failure.Describe());
            }
        }

        List<JsonElement> answers = envelope.Data.EnumerateArray().ToList();
        List<string> expected = batch.Where(url => !failed.ContainsKey(url)).ToList();
        if (answers.Count != expected.Count)
        {
            throw Malformed(MimecastEndpoint.DecodeUrl, $"it decoded {answers.Count} URLs where {expected.Count} were expected");
        }

        for (int i = 0; i < expected.Count; i++)
        {
            var answer = new JsonFields(answers[i]);
            string? decoded = answer.String("url");
            yield return answer.Bool("success") == false || string.IsNullOrEmpty(decoded)
                ? new MimecastDecodedUrl(expected[i], null, "Mimecast could not decode this URL")
                : new MimecastDecodedUrl(expected[i], decoded, null);
        }

        foreach ((string url, string reason) in failed)
        {
            yield return new MimecastDecodedUrl(url, null, reason);
        }
    }

    private JsonElement FirstDataItem(MimecastEndpoint endpoint, MimecastEnvelope envelope)
    {
        foreach (JsonElement item in envelope.Data.EnumerateArray())
        {
            return item;
        }

        throw Malformed(endpoint, "the answer has no data item");
    }

    private MimecastApiException Malformed(MimecastEndpoint endpoint, string what)
    {
        LogCallFailed(logger, endpoint.Display, MimecastErrorKind.MalformedResponse, 200, null, null);
        return new MimecastApiException(
            MimecastErrorKind.MalformedResponse, $"Mimecast's answer to {endpoint.Display} is unusable: {what}.", endpoint.Display, 200);
    }

    private void EnsureConfigured()
    {
        if (!IsConfigured)
        {
            throw new MimecastApiException(
                MimecastErrorKind.NotConfigured,
                "Mimecast is not configured: set Mimecast:ClientId and Mimecast:ClientSecret (API 2.0 application keys).");
        }
    }

    private static JsonObject Period(DateTimeOffset from, DateTimeOffset to, bool oldestFirst)
    {
        if (from >= to)
        {
            throw new ArgumentException("The period's start must be before its end.", nameof(from));
        }

        return new JsonObject
        {
            ["oldestFirst"] = oldestFirst,
            ["from"] = MimecastDates.Format(from),
            ["to"] = MimecastDates.Format(to),
        };
    }

    private static string? FirstFailureCode(byte[]? body)
    {
        IReadOnlyList<MimecastFailure> failures = MimecastEnvelope.FailuresOf(body);
        return failures.Count > 0 ? failures[0].Code : null;
    }

    private static JsonObject Single(JsonObject item) => new() { ["data"] = new JsonArray(item) };

#pragma warning disable CA1308 // Mimecast's enumerations are lower-case words on the wire.
    private static string Lower<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
#pragma warning restore CA1308

    private static void RequireText(string? value, int maxChars, string what, string parameter)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"The {what} is empty.", parameter);
        }

        if (value.Length > maxChars)
        {
            throw new ArgumentException($"The {what} is longer than {maxChars} characters.", parameter);
        }
    }

    private static void RequireAddress(string? value, string parameter)
    {
        RequireText(value, MaxAddressChars, "email address", parameter);
        int at = value!.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException("That is not an email address (local@domain, no spaces).", parameter);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mimecast {Path} failed: {Kind}, HTTP {Status}, code {Code} (request id {RequestId})")]
    private static partial void LogCallFailed(ILogger logger, string path, MimecastErrorKind kind, int status, string? code, string? requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mimecast {Path}: stopped at the page cap of {Pages} pages with {Records} records; more were offered")]
    private static partial void LogPageCapReached(ILogger logger, string path, int pages, int records);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mimecast {Path}: page {Pages} repeated an earlier page token; stopped there")]
    private static partial void LogRepeatedPageToken(ILogger logger, string path, int pages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mimecast {Path}: skipped {Count} records without their required fields")]
    private static partial void LogSkippedRecords(ILogger logger, string path, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mimecast {Path}: access token refused as expired; renewing it once (request id {RequestId})")]
    private static partial void LogTokenRenewed(ILogger logger, string path, string? requestId);
}
