using System.Text.Json;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.Impersonation;
using ChatOpsBot.Analysis.PolicyAudit;
using ChatOpsBot.Analysis.TtpMetrics;

namespace ChatOpsBot.Cards.Tests.Support;

/// <summary>The real analyses run on the small inputs under <c>Inputs/</c>.</summary>
internal static class TestInputs
{
    public static readonly DateTimeOffset Now = new(2026, 5, 12, 8, 32, 5, TimeSpan.Zero);

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Inputs", name));

    public static EmailReport Email(string name) => EmailAnalyzer.Analyze(Bytes(name));

    public static EmailReport Email(byte[] bytes) => EmailAnalyzer.Analyze(bytes);

    public static PolicyAuditResult Audit(string json = "") =>
        TtpPolicyAuditor.Audit(new MemoryStream(json.Length == 0 ? Bytes("ttp-config.json") : System.Text.Encoding.UTF8.GetBytes(json)));

    public static TtpMetricsResult Metrics(byte[]? json = null) => TtpLogAnalyzer.Analyze(new MemoryStream(json ?? Bytes("ttp-logs.json")));

    public static IReadOnlyList<VipEntry> Vips()
    {
        using JsonDocument document = JsonDocument.Parse(Bytes("vips.json"));
        return ImpersonationInput.ParseVipList(document.RootElement);
    }

    public static ImpersonationCheckResult Impersonation()
    {
        using JsonDocument document = JsonDocument.Parse(Bytes("impersonation-email.json"));
        return VipImpersonationChecker.Check(ImpersonationInput.ParseEmail(document.RootElement), Vips());
    }

    public static IReadOnlyList<CommandHelp> Commands { get; } =
    [
        new("help", "help [command]", "List the commands you can use, or explain one.", ["help", "help vip"]),
        new("analyze", "analyze (attach an .eml)", "Forensic verdict on an attached message.", ["analyze"]),
        new("vip check", "vip check \"<display name>\" <address>", "Check a sender against the VIP list.", ["vip check \"Jordan Avery\" jordan.avery@c0ntoso.example"]),
        new("whoami", "whoami", "Show your id and roles.", ["whoami"]),
    ];
}
