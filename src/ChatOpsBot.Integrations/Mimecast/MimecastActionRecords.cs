namespace ChatOpsBot.Integrations.Mimecast;

/// <summary>The answer for one rewritten URL given to <c>/api/ttp/url/decode-url</c>: the original URL, or why not.</summary>
public sealed record MimecastDecodedUrl(string RewrittenUrl, string? DecodedUrl, string? Error)
{
    public bool Success => DecodedUrl is not null;
}

public enum MimecastUrlMatchType
{
    /// <summary>This URL only.</summary>
    Explicit,

    /// <summary>Any URL on the same domain.</summary>
    Domain,
}

/// <summary>A managed URL entry as Mimecast returns it from <c>/api/ttp/url/create-managed-url</c>.</summary>
public sealed record MimecastManagedUrl(
    string Id,
    string? Scheme,
    string? Domain,
    int? Port,
    string? Path,
    string? QueryString,
    string? MatchType,
    string? Action,
    string? Comment,
    bool? DisableUserAwareness,
    bool? DisableRewrite,
    bool? DisableLogClick);

public enum MimecastWriteOutcome
{
    Created,

    /// <summary>Mimecast already had it (<c>err_managed_url_exists_code</c>, <c>err_folder_group_member_already_exists</c>).
    /// For a managed URL this does not say the existing entry blocks: Mimecast reports any entry for the URL.</summary>
    AlreadyExists,
}

/// <summary>Result of blocking a URL. <see cref="Entry"/> is null when the URL was already managed.</summary>
public sealed record MimecastBlockUrlResult(MimecastWriteOutcome Outcome, MimecastManagedUrl? Entry, string? MimecastMessage);

public enum MimecastSenderAction
{
    /// <summary>Bypass spam checks for this sender and recipient.</summary>
    Permit,

    /// <summary>Reject mail from this sender to this recipient.</summary>
    Block,
}

/// <summary>A managed-sender entry from <c>/api/managedsender/permit-or-block-sender</c> (<c>type</c> is "Block" or "Permit").</summary>
public sealed record MimecastManagedSender(string Id, string Sender, string To, string? Type);

/// <summary>A profile group (folder) from <c>/api/directory/find-groups</c>.</summary>
public sealed record MimecastProfileGroup(
    string Id,
    string Description,
    string? Source,
    string? ParentId,
    int? UserCount,
    int? FolderCount);

/// <summary>A group member from <c>/api/directory/add-group-member</c>: an address or a domain.</summary>
public sealed record MimecastGroupMember(string? Id, string? FolderId, string? EmailAddress, string? Domain, bool? Internal);

/// <summary>Result of adding a sender to the Blocked Senders group; <see cref="Member"/> is null when it was already there.</summary>
public sealed record MimecastGroupMembershipResult(
    MimecastWriteOutcome Outcome,
    MimecastProfileGroup Group,
    MimecastGroupMember? Member);
