namespace ChatOpsBot.Integrations.Mimecast;

/// <summary>A Mimecast route and the role permission it needs (from Mimecast's documentation, quoted in the advice
/// a 403 gives).</summary>
internal sealed record MimecastEndpoint(string RelativePath, string Permission)
{
    public static readonly MimecastEndpoint Token = new("oauth/token", "");
    public static readonly MimecastEndpoint UrlLogs = new("api/ttp/url/get-logs", "Monitoring | URL Protection | Read");
    public static readonly MimecastEndpoint AttachmentLogs = new("api/ttp/attachment/get-logs", "Monitoring | Attachment Protection | Read");
    public static readonly MimecastEndpoint ImpersonationLogs = new("api/ttp/impersonation/get-logs", "Monitoring | Impersonation Protection | Read");
    public static readonly MimecastEndpoint DecodeUrl = new("api/ttp/url/decode-url", "Account | Dashboard | Read");
    public static readonly MimecastEndpoint CreateManagedUrl =
        new("api/ttp/url/create-managed-url", "Services | Targeted Threat Protection - URL Protect | Edit");
    public static readonly MimecastEndpoint PermitOrBlockSender =
        new("api/managedsender/permit-or-block-sender", "Gateway | Managed Senders | Edit");
    public static readonly MimecastEndpoint FindGroups = new("api/directory/find-groups", "Directories | Groups | Edit");
    public static readonly MimecastEndpoint AddGroupMember = new("api/directory/add-group-member", "Directories | Groups | Edit");

    public string Display => "/" + RelativePath;
}
