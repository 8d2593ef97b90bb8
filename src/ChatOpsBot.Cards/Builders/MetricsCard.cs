using System.Globalization;
using ChatOpsBot.Analysis.TtpMetrics;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>
/// TTP metrics: totals, top threat types, top targeted users, ATT&amp;CK techniques and the daily trend as a Teams
/// <c>Chart.VerticalBar</c> whose fallback (hosts without charts: Teams mobile, Outlook, other renderers) is a table.
/// </summary>
public static class MetricsCard
{
    /// <param name="days">The period the logs cover, for the heading; null when the whole export was analysed.</param>
    public static AdaptiveCard Build(TtpMetricsResult result, int? days)
    {
        ArgumentNullException.ThrowIfNull(result);
        return CardLimits.Fit(limits => Build(result, days, live: null, limits));
    }

    /// <summary>
    /// Metrics of the live TTP logs read from the Mimecast API: the same card, headed "live from Mimecast", with the
    /// records read per log kind and <paramref name="notes"/> (our own sentences: truncated walks, skipped records),
    /// which say when the numbers are not the whole period.
    /// </summary>
    public static AdaptiveCard BuildLive(TtpMetricsResult result, int days, IReadOnlyList<string> notes)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(notes);
        return CardLimits.Fit(limits => Build(result, days, notes, limits));
    }

    private static AdaptiveCard Build(TtpMetricsResult result, int? days, IReadOnlyList<string>? live, CardLimits limits)
    {
        long threats = result.UrlThreatsBlocked + result.AttachmentThreatsBlocked + result.ImpersonationDetected + result.InternalThreats;
        string period = (days is { } d ? $"last {d} day{(d == 1 ? string.Empty : "s")}" : "whole export") + (live is null ? string.Empty : " · live from Mimecast");
        string rate = result.TotalEmails == 0 ? "-" : (threats / (double)result.TotalEmails).ToString("P1", CultureInfo.InvariantCulture);
        var body = new List<AdaptiveElement>
        {
            CardParts.Banner(
                threats == 0 ? AdaptiveContainerStyle.Good : AdaptiveContainerStyle.Emphasis,
                $"TTP metrics · {period}",
                AdaptiveTextColor.Default,
                $"**{CardParts.Count(threats)}** threats in **{CardParts.Count(result.TotalEmails)}** emails ({rate})"),
            CardParts.Tiles(
                (CardParts.Count(result.UrlThreatsBlocked), "URL threats blocked", AdaptiveTextColor.Default),
                (CardParts.Count(result.AttachmentThreatsBlocked), "Attachment threats blocked", AdaptiveTextColor.Default),
                (CardParts.Count(result.ImpersonationDetected), "Impersonations detected", AdaptiveTextColor.Default),
                (CardParts.Count(result.InternalThreats), "Internal threats", AdaptiveTextColor.Default)),
        };

        if (live is not null)
        {
            RecordSourceCounts read = result.RecordSources;
            body.AddRange(CardParts.Facts(
                ("URL click logs", CardParts.Count(read.UrlClickLogs)),
                ("Attachment logs", CardParts.Count(read.AttachmentLogs)),
                ("Impersonation logs", CardParts.Count(read.ImpersonationLogs))));
            foreach (string note in live.Take(limits.ListItems))
            {
                body.Add(CardParts.Labelled("NOTE", AdaptiveTextColor.Warning, [CardParts.Text(CardText.Escape(note, limits.LongTextChars))]));
            }
        }

        List<KeyValuePair<string, DailyStats>> daily = [.. result.DailyStats.OrderBy(p => p.Key, StringComparer.Ordinal)];
        if (daily.Count > 0)
        {
            body.Add(CardParts.Section("Threats per day"));
            body.Add(TrendChart(daily, limits));
        }

        if (result.TopThreatTypes.Count > 0)
        {
            body.Add(CardParts.Section("Top threat types"));
            body.AddRange(CardParts.Facts(result.TopThreatTypes.Take(limits.ListItems).Select(t => (CardText.Escape(t.Key, 60), (string?)CardParts.Count(t.Value)))));
            body.AddRange(CardParts.More(result.TopThreatTypes.Count, Math.Min(result.TopThreatTypes.Count, limits.ListItems), "threat types"));
        }

        if (result.TopTargetedUsers.Count > 0)
        {
            body.Add(CardParts.Section("Most targeted users"));
            body.Add(CardParts.Table(
                [("User", 4), ("Threats", 1)],
                result.TopTargetedUsers.Take(limits.ListItems).Select(u => (IReadOnlyList<string>)[CardText.Escape(u.User, 80), CardParts.Count(u.ThreatCount)])));
            body.AddRange(CardParts.More(result.TopTargetedUsers.Count, Math.Min(result.TopTargetedUsers.Count, limits.ListItems), "users"));
        }

        if (result.AttackTechniques.Count > 0)
        {
            body.Add(CardParts.Section("MITRE ATT&CK techniques"));
            body.Add(CardParts.Table(
                [("Technique", 4), ("Threats", 1)],
                result.AttackTechniques.Take(limits.ListItems).Select(t => (IReadOnlyList<string>)
                    [$"{CardText.Escape(t.ThreatId, 20)} {CardText.Escape(t.ThreatName, 60)}", CardParts.Count(t.Count)])));
            body.AddRange(CardParts.More(result.AttackTechniques.Count, Math.Min(result.AttackTechniques.Count, limits.ListItems), "techniques"));
        }

        return CardParts.Card(
            CardText.Plain($"TTP metrics ({period}): {threats} threats in {result.TotalEmails} emails", 200),
            body);
    }

    // The chart shows the newest ChartPoints days; the fallback table the newest FallbackDays, so it stays readable.
    private static AdaptiveVerticalBarChart TrendChart(List<KeyValuePair<string, DailyStats>> daily, CardLimits limits)
    {
        List<KeyValuePair<string, DailyStats>> chartDays = daily.TakeLast(limits.ChartPoints).ToList();
        List<KeyValuePair<string, DailyStats>> tableDays = daily.TakeLast(limits.FallbackDays).ToList();
        var fallback = new AdaptiveContainer
        {
            Items =
            [
                CardParts.Table(
                    [("Day", 2), ("Emails", 1), ("Threats", 1)],
                    tableDays.Select(p => (IReadOnlyList<string>)[CardText.Escape(p.Key, 30), CardParts.Count(p.Value.Total), CardParts.Count(p.Value.Threats)])),
                .. CardParts.More(daily.Count, tableDays.Count, "earlier days"),
            ],
        };
        return new AdaptiveVerticalBarChart
        {
            Title = chartDays.Count == daily.Count ? "Threats per day" : $"Threats per day (newest {chartDays.Count})",
            XAxisTitle = "Day",
            YAxisTitle = "Threats",
            Color = "attention",
            Data = [.. chartDays.Select(p => new AdaptiveBarChartValue(CardText.Plain(ShortDay(p.Key), 30), p.Value.Threats))],
            Fallback = AdaptiveFallback.With(fallback),
        };
    }

    // "2026-05-01" → "05-01": bar labels are narrow.
    private static string ShortDay(string day) =>
        day.Length == 10 && day[4] == '-' && day[7] == '-' ? day[5..] : day;
}
