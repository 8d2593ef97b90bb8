namespace Microsoft.Extensions.DependencyInjection;

public static class IntegrationsComposition
{
    /// <summary>
    /// The outside services the commands use: Mimecast API 2.0 (<c>Mimecast</c>) and VirusTotal (<c>VirusTotal</c>),
    /// both validated on start. Either may be left unconfigured (empty client id or key): the commands then say so. The
    /// reputation cache is the database's when <c>AddChatOpsStorage</c> registered one (it does), so answers survive a
    /// restart; otherwise an in-memory one.
    /// </summary>
    public static IHostApplicationBuilder AddChatOpsIntegrations(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMimecastClient(builder.Configuration);
        builder.Services.AddVirusTotalClient(builder.Configuration);
        return builder;
    }
}
