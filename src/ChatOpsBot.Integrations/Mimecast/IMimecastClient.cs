namespace ChatOpsBot.Integrations.Mimecast;

/// <summary>
/// Mimecast API 2.0, as the bot's commands, the URL monitor and the threat feed use it. Every method throws
/// <see cref="MimecastApiException"/> (one printable line, with a <see cref="MimecastErrorKind"/>) when Mimecast
/// could not do what was asked; <see cref="ArgumentException"/> for arguments it will not send; and
/// <see cref="OperationCanceledException"/> only when the caller cancelled.
/// </summary>
public interface IMimecastClient
{
    /// <summary>False when <c>Mimecast:ClientId</c> is empty; every call then throws kind NotConfigured without sending.</summary>
    bool IsConfigured { get; }

    /// <summary>TTP URL Protect click logs of the period, every page.</summary>
    Task<MimecastLogResult<MimecastClickLog>> GetUrlLogsAsync(MimecastUrlLogQuery query, CancellationToken cancellationToken);

    /// <summary>TTP Attachment Protect logs of the period, every page.</summary>
    Task<MimecastLogResult<MimecastAttachmentLog>> GetAttachmentLogsAsync(MimecastAttachmentLogQuery query, CancellationToken cancellationToken);

    /// <summary>TTP Impersonation Protect logs of the period, every page.</summary>
    Task<MimecastLogResult<MimecastImpersonationLog>> GetImpersonationLogsAsync(
        MimecastImpersonationLogQuery query, CancellationToken cancellationToken);

    /// <summary>The original URLs behind Mimecast-rewritten ones, in the order given (sent in batches of 25). A URL
    /// Mimecast could not decode has <see cref="MimecastDecodedUrl.Error"/> set; the others still decode.</summary>
    Task<IReadOnlyList<MimecastDecodedUrl>> DecodeUrlsAsync(IReadOnlyList<string> rewrittenUrls, CancellationToken cancellationToken);

    /// <summary>Blocks a URL in URL Protect (a managed URL with action "block").</summary>
    Task<MimecastBlockUrlResult> BlockUrlAsync(
        string url, MimecastUrlMatchType matchType, string? comment, CancellationToken cancellationToken);

    /// <summary>Permits or blocks mail from <paramref name="sender"/> to <paramref name="recipient"/> (Managed Senders;
    /// Mimecast's entries are per recipient).</summary>
    Task<MimecastManagedSender> PermitOrBlockSenderAsync(
        MimecastSenderAction action, string sender, string recipient, CancellationToken cancellationToken);

    /// <summary>Cloud profile groups whose name contains <paramref name="query"/>.</summary>
    Task<IReadOnlyList<MimecastProfileGroup>> FindProfileGroupsAsync(string query, CancellationToken cancellationToken);

    /// <summary>Adds an address or a domain to the profile group named by <c>Mimecast:BlockedSendersGroup</c> (the
    /// tenant-wide block, when a blocked-senders policy targets that group). Kind NotFound when no cloud group has
    /// exactly that name; Failure when several do.</summary>
    Task<MimecastGroupMembershipResult> AddToBlockedSendersGroupAsync(
        string senderAddressOrDomain, string? notes, CancellationToken cancellationToken);
}
