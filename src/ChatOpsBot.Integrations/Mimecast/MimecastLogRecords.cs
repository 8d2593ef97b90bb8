namespace ChatOpsBot.Integrations.Mimecast;

/// <summary>
/// One TTP URL Protect click log (<c>data[0].clickLogs[]</c> of <c>/api/ttp/url/get-logs</c>). Field names and values
/// are Mimecast's; only <c>date</c>, <c>url</c> and <c>userEmailAddress</c> are required (a record without them is
/// counted in <see cref="MimecastLogResult{T}.SkippedRecords"/>). Click logs carry no <c>reason</c> field (SIEM
/// url-protect events do).
/// </summary>
public sealed record MimecastClickLog(
    DateTimeOffset Date,
    string Url,
    string UserEmailAddress,
    string? FromUserEmailAddress,
    string? Subject,
    string? Action,
    string? Actions,
    string? ScanResult,
    string? Category,
    string? TtpDefinition,
    string? CreationMethod,
    string? Route,
    string? AdminOverride,
    string? UserOverride,
    string? UserAwarenessAction,
    string? SendingIp,
    string? MessageId,
    IReadOnlyList<string> EmailPartsDescription,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> TagMap)
{
    /// <summary>A user clicked and Mimecast let the click through (<c>creationMethod</c> "User Click", <c>action</c>
    /// "allow"). <c>scanResult</c> "clean" alone would also count delivery-time "Entry Scan" rows.</summary>
    public bool IsAllowedUserClick =>
        string.Equals(CreationMethod, "User Click", StringComparison.OrdinalIgnoreCase)
        && string.Equals(Action, "allow", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One TTP Attachment Protect log (<c>data[0].attachmentLogs[]</c> of <c>/api/ttp/attachment/get-logs</c>);
/// <c>date</c> is required.</summary>
public sealed record MimecastAttachmentLog(
    DateTimeOffset Date,
    string? SenderAddress,
    string? RecipientAddress,
    string? FileName,
    string? FileType,
    string? FileHash,
    string? Result,
    string? ActionTriggered,
    string? Details,
    string? Route,
    string? MessageId,
    string? Subject,
    string? Definition);

/// <summary>One TTP Impersonation Protect log (<c>data[0].impersonationLogs[]</c> of
/// <c>/api/ttp/impersonation/get-logs</c>); its time is <c>eventTime</c>, which is required.</summary>
public sealed record MimecastImpersonationLog(
    DateTimeOffset EventTime,
    string? Id,
    string? SenderAddress,
    string? RecipientAddress,
    string? Subject,
    string? Definition,
    int? Hits,
    IReadOnlyList<string> Identifiers,
    string? Action,
    bool? TaggedExternal,
    bool? TaggedMalicious,
    string? SenderIpAddress,
    string? MessageId,
    IReadOnlyList<MimecastImpersonationResult> ImpersonationResults);

/// <summary>One entry of an impersonation log's <c>impersonationResults</c>; any field may be missing.</summary>
public sealed record MimecastImpersonationResult(
    string? ImpersonationDomainSource,
    string? SimilarDomain,
    string? StringSimilarToDomain,
    string? CheckerResult);

/// <summary>
/// Every record of a log query, collected across pages. <see cref="Truncated"/> is true when the page cap
/// (<c>Mimecast:MaxPages</c>) stopped the walk while Mimecast still offered a next page, or Mimecast repeated a page
/// token: the records are then not the whole period, and a caller must say so.
/// </summary>
public sealed record MimecastLogResult<T>(IReadOnlyList<T> Records, int PagesRead, bool Truncated, int SkippedRecords);

public enum MimecastRoute
{
    All,
    Inbound,
    Outbound,
    Internal,
}

/// <summary><c>scanResult</c> filter of the URL logs (Mimecast documents clean, malicious and all).</summary>
public enum MimecastUrlScanResult
{
    All,
    Clean,
    Malicious,
}

/// <summary><c>result</c> filter of the attachment logs.</summary>
public enum MimecastAttachmentResult
{
    All,
    Safe,
    Malicious,
    Timeout,
    Error,
    Unsafe,
}

/// <summary>A URL log query: <paramref name="From"/> inclusive, <paramref name="To"/> exclusive as Mimecast reads them.</summary>
public sealed record MimecastUrlLogQuery(
    DateTimeOffset From,
    DateTimeOffset To,
    MimecastRoute Route = MimecastRoute.All,
    MimecastUrlScanResult ScanResult = MimecastUrlScanResult.All,
    bool OldestFirst = false);

public sealed record MimecastAttachmentLogQuery(
    DateTimeOffset From,
    DateTimeOffset To,
    MimecastRoute Route = MimecastRoute.All,
    MimecastAttachmentResult Result = MimecastAttachmentResult.All,
    bool OldestFirst = false);

/// <summary>An impersonation log query; <paramref name="TaggedMalicious"/> null means no filter.</summary>
public sealed record MimecastImpersonationLogQuery(
    DateTimeOffset From,
    DateTimeOffset To,
    bool? TaggedMalicious = null,
    bool OldestFirst = false);
