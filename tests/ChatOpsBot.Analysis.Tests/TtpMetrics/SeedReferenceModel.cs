using System.Text;

namespace ChatOpsBot.Analysis.Tests.TtpMetrics;

/// <summary>A seed export entry as the seed sees it; null means the key is absent.</summary>
/// <param name="RecipientIsJsonNull">The recipient is present as JSON <c>null</c> (falsy: not counted).</param>
internal sealed record SeedEntry(string? Date, string? Category, string? Recipient, bool RecipientIsJsonNull = false);

/// <summary>
/// The seed's <c>analyze_ttp_logs</c> written out the obvious way, as an independent reference: Python dicts as
/// insertion-ordered lists, <c>Counter.most_common(n)</c> as a stable sort by count, descending, then the first n.
/// </summary>
internal static class SeedReferenceModel
{
    public static Result Analyze(IEnumerable<SeedEntry> entries)
    {
        long total = 0;
        long url = 0;
        long attachment = 0;
        long impersonation = 0;
        long internalThreats = 0;
        var threatTypes = new List<(string Key, long Count)>();
        var users = new List<(string Key, long Count)>();
        var daily = new List<(string Date, long Total, long Threats)>();

        foreach (SeedEntry entry in entries)
        {
            total++;
            string date = entry.Date ?? "unknown";
            int day = daily.FindIndex(d => d.Date == date);
            if (day < 0)
            {
                daily.Add((date, 0, 0));
                day = daily.Count - 1;
            }

            daily[day] = daily[day] with { Total = daily[day].Total + 1 };
            string category = PythonLower(entry.Category ?? string.Empty);
            string? threatType = category switch
            {
                "url_threat" or "url_blocked" => "URL Threat",
                "attachment_threat" or "attachment_blocked" => "Attachment Threat",
                "impersonation" or "impersonation_detected" => "Impersonation",
                "internal_threat" => "Internal Threat",
                _ => null,
            };
            switch (threatType)
            {
                case "URL Threat":
                    url++;
                    break;
                case "Attachment Threat":
                    attachment++;
                    break;
                case "Impersonation":
                    impersonation++;
                    break;
                case "Internal Threat":
                    internalThreats++;
                    break;
                default:
                    break;
            }

            if (threatType is not null)
            {
                daily[day] = daily[day] with { Threats = daily[day].Threats + 1 };
                Increment(threatTypes, threatType);
            }

            if (!string.IsNullOrEmpty(entry.Recipient) && category != "clean")
            {
                Increment(users, entry.Recipient);
            }
        }

        return new Result(total, url, attachment, impersonation, internalThreats, MostCommon(threatTypes, 10), MostCommon(users, 10), daily);
    }

    /// <summary>Python's <c>str.lower()</c> for the characters the tests use: .NET lowers U+0130 to "i", Python to "i\u0307".</summary>
    public static string PythonLower(string text)
    {
        var lower = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            lower.Append(c == '\u0130' ? "i\u0307" : char.ToLowerInvariant(c).ToString());
        }

        return lower.ToString();
    }

    private static void Increment(List<(string Key, long Count)> counter, string key)
    {
        int index = counter.FindIndex(c => c.Key == key);
        if (index < 0)
        {
            counter.Add((key, 1));
        }
        else
        {
            counter[index] = (key, counter[index].Count + 1);
        }
    }

    private static List<(string Key, long Count)> MostCommon(List<(string Key, long Count)> counter, int n) =>
        counter.OrderByDescending(c => c.Count).Take(n).ToList();

    internal sealed record Result(
        long TotalEmails,
        long UrlThreatsBlocked,
        long AttachmentThreatsBlocked,
        long ImpersonationDetected,
        long InternalThreats,
        List<(string Key, long Count)> TopThreatTypes,
        List<(string Key, long Count)> TopTargetedUsers,
        List<(string Date, long Total, long Threats)> DailyStats);
}
