using System.Globalization;
using ChatOpsBot.Analysis.Impersonation;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>VIP impersonation verdict: the action first, then the sender and every indicator with its evidence.</summary>
public static class ImpersonationCard
{
    public static AdaptiveCard Build(ImpersonationCheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return CardLimits.Fit(limits => Build(result, limits));
    }

    private static AdaptiveCard Build(ImpersonationCheckResult result, CardLimits limits)
    {
        (AdaptiveContainerStyle style, AdaptiveTextColor color, string title) = result.IsImpersonation
            ? (AdaptiveContainerStyle.Attention, AdaptiveTextColor.Attention, "Impersonation: quarantine")
            : result.HitCount > 0
                ? (AdaptiveContainerStyle.Warning, AdaptiveTextColor.Warning, "Possible impersonation")
                : (AdaptiveContainerStyle.Good, AdaptiveTextColor.Good, "No impersonation found");
        string hits = result.HitCount == 1 ? "1 indicator" : $"{result.HitCount} indicators";
        var body = new List<AdaptiveElement>
        {
            CardParts.Banner(
                style,
                title,
                color,
                $"Action: **{CardText.Escape(result.Action, 40)}** · {hits}",
                string.IsNullOrEmpty(result.MatchedVip) ? string.Empty : $"Display name matches VIP **{CardText.Escape(result.MatchedVip, limits.TextChars)}**"),
            CardParts.Facts(
                ("Display name", CardText.Escape(result.FromDisplayName, limits.TextChars)),
                ("From", CardText.Escape(result.FromEmail, limits.TextChars)),
                ("Domain", DomainText(result, limits)),
                ("Compared as", CardText.Escape(result.NormalizedDisplayName, limits.TextChars))),
        };

        if (result.IndicatorDetails.Count > 0)
        {
            body.Add(CardParts.Section("Indicators"));
            foreach (ImpersonationIndicator indicator in result.IndicatorDetails.Take(limits.ListItems))
            {
                string similarity = indicator.Similarity is { } s ? $" · similarity {s.ToString("0.00", CultureInfo.InvariantCulture)}" : string.Empty;
                body.Add(CardParts.Labelled(
                    KindLabel(indicator.Kind),
                    result.IsImpersonation ? AdaptiveTextColor.Attention : AdaptiveTextColor.Warning,
                    [
                        CardParts.Text(CardText.Escape(indicator.Text, limits.TextChars)),
                        CardParts.Subtle(CardText.Escape(indicator.Evidence, limits.LongTextChars) + similarity),
                    ]));
            }

            body.AddRange(CardParts.More(result.IndicatorDetails.Count, Math.Min(result.IndicatorDetails.Count, limits.ListItems), "indicators"));
        }

        return CardParts.Card(
            CardText.Plain($"{title}: {result.FromDisplayName} <{result.FromEmail}>, action {result.Action}", 300),
            body);
    }

    private static string? DomainText(ImpersonationCheckResult result, CardLimits limits) =>
        result.FromDomainUnicode.Length > 0 && !string.Equals(result.FromDomainUnicode, result.FromDomain, StringComparison.Ordinal)
            ? $"{CardText.Escape(result.FromDomain, limits.TextChars)} (shows as {CardText.Escape(result.FromDomainUnicode, limits.TextChars)})"
            : CardText.Escape(result.FromDomain, limits.TextChars);

    private static string KindLabel(ImpersonationIndicatorKind kind) => kind switch
    {
        ImpersonationIndicatorKind.DisplayNameMatch => "NAME",
        ImpersonationIndicatorKind.DomainMismatch => "DOMAIN",
        ImpersonationIndicatorKind.LookalikeDomain => "LOOKALIKE",
        ImpersonationIndicatorKind.ReplyToMismatch => "REPLY-TO",
        ImpersonationIndicatorKind.InvalidFromAddress => "FROM",
        ImpersonationIndicatorKind.InvalidReplyTo => "REPLY-TO",
        _ => "OTHER",
    };
}
