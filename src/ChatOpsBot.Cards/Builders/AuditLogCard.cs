using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>The newest audit-trail entries (admins only; the command layer enforces that).</summary>
public static class AuditLogCard
{
    public static AdaptiveCard Build(IReadOnlyList<AuditLogRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return CardLimits.Fit(limits => Build(rows, limits));
    }

    private static AdaptiveCard Build(IReadOnlyList<AuditLogRow> rows, CardLimits limits)
    {
        int shown = Math.Min(rows.Count, limits.TableRows * 2);
        var body = new List<AdaptiveElement>
        {
            CardParts.Heading("Audit log"),
            CardParts.Subtle(rows.Count == 0 ? "No entries yet." : $"Newest first: {shown} of {CardParts.Count(rows.Count)} requested entries."),
        };
        if (shown > 0)
        {
            body.Add(CardParts.Table(
                [("Time (UTC)", 2), ("Who", 2), ("Command", 3), ("Outcome", 1)],
                rows.Take(shown).Select(r => (IReadOnlyList<string>)
                [
                    r.Timestamp.ToUniversalTime().ToString("MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                    CardText.Escape(r.ActorName ?? r.ActorId, 60) + $" ({CardText.Escape(r.Channel, 20)})",
                    CardText.Escape(string.IsNullOrEmpty(r.Arguments) ? r.Command : $"{r.Command} {r.Arguments}", limits.TextChars),
                    $"{CardText.Escape(r.Outcome, 20)}, {CardParts.Duration(r.Duration)}",
                ])));
            body.AddRange(CardParts.More(rows.Count, shown, "entries"));
            body.Add(CardParts.Subtle($"Correlation id of the newest: {CardText.Escape(rows[0].CorrelationId, 80)}"));
        }

        return CardParts.Card(CardText.Plain($"Audit log: {rows.Count} entries", 100), body);
    }
}
