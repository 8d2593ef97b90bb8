using System.CommandLine;
using ChatOpsBot.Cli.Infrastructure;

namespace ChatOpsBot.Cli.VipCheck;

// SCAFFOLD: replaced by the vip-check implementation.
internal static class VipCheckCommand
{
    public static Command Create(CliCommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);
        var command = new Command("vip-check", "Check a sender against the VIP list for impersonation.");
        return command;
    }
}
