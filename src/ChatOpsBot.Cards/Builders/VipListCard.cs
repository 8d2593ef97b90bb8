using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>The VIP list impersonation checks protect.</summary>
public static class VipListCard
{
    public static AdaptiveCard Build(IReadOnlyList<VipRow> vips)
    {
        ArgumentNullException.ThrowIfNull(vips);
        return CardLimits.Fit(limits => Build(vips, limits));
    }

    private static AdaptiveCard Build(IReadOnlyList<VipRow> vips, CardLimits limits)
    {
        int shown = Math.Min(vips.Count, limits.TableRows * 3);
        var body = new List<AdaptiveElement>
        {
            CardParts.Heading($"VIP list ({CardParts.Count(vips.Count)})"),
            CardParts.Subtle("Display names on this list are checked for impersonation in mail from other domains."),
        };
        if (shown == 0)
        {
            body.Add(CardParts.Text("The list is empty. Add someone with: vip add \"Display Name\" address"));
        }
        else
        {
            body.Add(CardParts.Table(
                [("Name", 3), ("Address", 4), ("Added", 3)],
                vips.Take(shown).Select(v => (IReadOnlyList<string>)
                [
                    CardText.Escape(v.DisplayName, limits.TextChars),
                    CardText.Escape(v.Email, limits.TextChars),
                    v.AddedBy is null && v.AddedAt is null
                        ? "configuration"
                        : $"{CardText.Escape(v.AddedBy, 60)} {(v.AddedAt is { } at ? at.ToUniversalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : string.Empty)}".Trim(),
                ])));
            body.AddRange(CardParts.More(vips.Count, shown, "VIPs"));
        }

        return CardParts.Card(CardText.Plain($"VIP list: {vips.Count} people", 100), body);
    }
}
