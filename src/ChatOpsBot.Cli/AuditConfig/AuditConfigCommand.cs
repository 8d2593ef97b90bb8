using System.CommandLine;
using ChatOpsBot.Cli.Infrastructure;

namespace ChatOpsBot.Cli.AuditConfig;

// SCAFFOLD: replaced by the audit-config implementation.
internal static class AuditConfigCommand
{
    public static Command Create(CliCommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);
        var command = new Command("audit-config", "Audit a Mimecast TTP policy configuration.");
        return command;
    }
}
