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
        return CardLimits.Fit(limits => Build(result, days, limits));
    }

    private static AdaptiveCard Build(TtpMetricsResult result, int? days, CardLimits limits)
    {
        long threats = result.UrlThreatsBlocked + result.AttachmentThreatsBlocked + result.ImpersonationDetected + result.InternalThreats;
        string period = days is { } d ? $"last {d} day{(d == 1 ? string.Empty : "s")}" : "whole export";
        string rate = result.TotalEmails == 0 ? "-" : (threats / (double)result.TotalEmails).ToString("P1", CultureInfo.InvariantCulture);
        var body = new List<AdaptiveElement>
        {
            CardParts.Banner(
                threats == 0 ? AdaptiveContainerStyle.Good : AdaptiveContainerStyle.Emphasis,
                $"TTP metrics · {period}",
                AdaptiveTextColor.Default,
                $"**{CardParts.Count(threats)}** threats in **{CardParts.Count(result.TotalEmails)}** emails ({rate})"),
            CardParts.Facts(
                ("URL threats blocked", CardParts.Count(result.UrlThreatsBlocked)),
                ("Attachment threats blocked", CardParts.Count(result.AttachmentThreatsBlocked)),
                ("Impersonation detected", CardParts.Count(result.ImpersonationDetected)),
                ("Internal threats", CardParts.Count(result.InternalThreats))),
        };

        List<KeyValuePair<string, DailyStats>> daily = [.. result.DailyStats.OrderBy(p => p.Key, StringComparer.Ordinal)];
        if (daily.Count > 0)
        {
            body.Add(CardParts.Section("Threats per day"));
            body.Add(TrendChart(daily, limits));
        }

        if (result.TopThreatTypes.Count > 0)
        {
            body.Add(CardParts.Section("Top threat types"));
            body.Add(CardParts.Facts(result.TopThreatTypes.Take(limits.ListItems).Select(t => (CardText.Escape(t.Key, 60), (string?)CardParts.Count(t.Value)))));
            body.AddRange(CardParts.More(result.TopThreatTypes.Count, Math.Min(result.TopThreatTypes.Count, limits.ListItems), "threat types"));
        }

        if (result.TopTargetedUsers.Count > 0)
        {
            body.Add(CardParts.Section("Most targeted users"));
            body.Add(CardParts.Facts(result.TopTargetedUsers.Take(limits.ListItems).Select(u => (CardText.Escape(u.User, 80), (string?)CardParts.Count(u.ThreatCount)))));
            body.AddRange(CardParts.More(result.TopTargetedUsers.Count, Math.Min(result.TopTargetedUsers.Count, limits.ListItems), "users"));
        }

        if (result.AttackTechniques.Count > 0)
        {
            body.Add(CardParts.Section("MITRE ATT&CK techniques"));
            body.Add(CardParts.Facts(result.AttackTechniques.Take(limits.ListItems).Select(t =>
                ($"{CardText.Escape(t.ThreatId, 20)} {CardText.Escape(t.ThreatName, 60)}", (string?)CardParts.Count(t.Count)))));
            body.AddRange(CardParts.More(result.AttackTechniques.Count, Math.Min(result.AttackTechniques.Count, limits.ListItems), "techniques"));
        }

        return CardParts.Card(
            CardText.Plain($"TTP metrics ({period}): {threats} threats in {result.TotalEmails} emails", 200),
            body);
    }

    // The chart shows the newest ChartPoints days; the fallback table the newest TableRows, so it stays readable.
    private static AdaptiveVerticalBarChart TrendChart(List<KeyValuePair<string, DailyStats>> daily, CardLimits limits)
    {
        List<KeyValuePair<string, DailyStats>> chartDays = daily.TakeLast(limits.ChartPoints).ToList();
        List<KeyValuePair<string, DailyStats>> tableDays = daily.TakeLast(limits.TableRows).ToList();
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
