using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>
/// How much of a result a card shows. Builders try <see cref="Normal"/> first and fall back to smaller limits until
/// the card fits <see cref="CardJson.MaxCardBytes"/>; <see cref="Minimal"/> is small enough by construction.
/// </summary>
internal sealed record CardLimits(int ListItems, int TextChars, int LongTextChars, int RawHeaderChars, int TableRows, int ChartPoints)
{
    public static CardLimits Normal { get; } = new(ListItems: 10, TextChars: 200, LongTextChars: 600, RawHeaderChars: 6000, TableRows: 10, ChartPoints: 60);

    public static CardLimits Compact { get; } = new(ListItems: 5, TextChars: 120, LongTextChars: 300, RawHeaderChars: 1500, TableRows: 6, ChartPoints: 31);

    public static CardLimits Minimal { get; } = new(ListItems: 3, TextChars: 60, LongTextChars: 120, RawHeaderChars: 0, TableRows: 3, ChartPoints: 14);

    private static readonly CardLimits[] s_levels = [Normal, Compact, Minimal];

    /// <summary>The first card <paramref name="build"/> makes that fits the byte budget, trying ever smaller limits.</summary>
    public static AdaptiveCard Fit(Func<CardLimits, AdaptiveCard> build)
    {
        AdaptiveCard card = null!;
        foreach (CardLimits limits in s_levels)
        {
            card = build(limits);
            if (CardJson.Utf8ByteCount(card) <= CardJson.MaxCardBytes)
            {
                return card;
            }
        }

        // Unreachable for our builders (tests prove Minimal fits with hostile input); a card the host would reject is
        // worse than a short notice.
        return NoticeCard.Build("Result too large", "The result is too large to show as a card; use the CLI for the full report.", NoticeStyle.Warning);
    }
}
