using ChatOpsBot.Integrations.Tests.Fakes;

namespace ChatOpsBot.Tests.Commands.Support;

/// <summary>Settings that point the bot's Mimecast and VirusTotal clients at the loopback fakes.</summary>
internal static class FakeIntegrations
{
    public static void UseMimecast(this Dictionary<string, string?> settings, FakeMimecastServer fake)
    {
        settings["Mimecast:BaseUrl"] = fake.BaseUrl.ToString();
        settings["Mimecast:ClientId"] = FakeMimecastServer.ClientId;
        settings["Mimecast:ClientSecret"] = FakeMimecastServer.ClientSecret;
        settings["Mimecast:AllowHttpOnLoopbackForTesting"] = "true";
        // The harness's clock is manual: a retry delay would wait for a clock nobody moves.
        settings["Mimecast:MaxRetries"] = "0";
    }

    public static void UseVirusTotal(this Dictionary<string, string?> settings, FakeVirusTotalServer fake)
    {
        settings["VirusTotal:BaseUrl"] = fake.BaseUrl.ToString();
        settings["VirusTotal:ApiKey"] = FakeVirusTotalServer.ApiKey;
        settings["VirusTotal:AllowHttpOnLoopbackForTesting"] = "true";
        settings["VirusTotal:RequestsPerMinute"] = "1000";
        settings["VirusTotal:AnalysisDeadline"] = "00:00:10";
        settings["VirusTotal:RequestTimeout"] = "00:00:30";
    }
}
