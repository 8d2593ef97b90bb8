using System.Text;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.TtpMetrics;

namespace ChatOpsBot.Analysis.Tests.TtpMetrics;

/// <summary>Runs the analyzer over test text.</summary>
internal static class TtpLogs
{
    public static TtpMetricsResult Analyze(string json, TtpLogLimits? limits = null) =>
        TtpLogAnalyzer.Analyze(new MemoryStream(Encoding.UTF8.GetBytes(json)), limits);

    public static TtpMetricsResult Analyze(byte[] utf8, TtpLogLimits? limits = null) =>
        TtpLogAnalyzer.Analyze(new MemoryStream(utf8), limits);

    /// <summary>The message of the <see cref="InvalidInputException"/> the analyzer must throw.</summary>
    public static string Error(string json, TtpLogLimits? limits = null) =>
        Should.Throw<InvalidInputException>(() => Analyze(json, limits)).Message;

    public static string Error(byte[] utf8, TtpLogLimits? limits = null) =>
        Should.Throw<InvalidInputException>(() => Analyze(utf8, limits)).Message;

    public static string Entry(string? date = null, string? category = null, string? recipient = null)
    {
        var fields = new List<string>();
        if (date is not null)
        {
            fields.Add($"\"date\": \"{date}\"");
        }

        if (category is not null)
        {
            fields.Add($"\"category\": \"{category}\"");
        }

        if (recipient is not null)
        {
            fields.Add($"\"recipient\": \"{recipient}\"");
        }

        return "{" + string.Join(", ", fields) + "}";
    }

    public static string Array(params string[] entries) => "[" + string.Join(",\n", entries) + "]";

    public static List<(string User, long Count)> Users(TtpMetricsResult metrics) =>
        metrics.TopTargetedUsers.Select(u => (u.User, u.ThreatCount)).ToList();

    public static List<(string Type, long Count)> ThreatTypes(TtpMetricsResult metrics) =>
        metrics.TopThreatTypes.Select(t => (t.Key, t.Value)).ToList();

    public static List<(string Date, long Total, long Threats)> Days(TtpMetricsResult metrics) =>
        metrics.DailyStats.Select(d => (d.Key, d.Value.Total, d.Value.Threats)).ToList();
}
