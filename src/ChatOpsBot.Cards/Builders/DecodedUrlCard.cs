using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>
/// The original URL behind a Mimecast-rewritten one (<c>decode</c>). Both URLs are defanged and never links: the
/// decoded one is where a phish leads.
/// </summary>
public static class DecodedUrlCard
{
    /// <param name="rewrittenUrl">The URL as the user gave it.</param>
    /// <param name="decodedUrl">The original, or null when Mimecast could not decode it.</param>
    /// <param name="problem">Why not, in Mimecast's words (escaped here), when <paramref name="decodedUrl"/> is null.</param>
    public static AdaptiveCard Build(string rewrittenUrl, string? decodedUrl, string? problem)
    {
        ArgumentNullException.ThrowIfNull(rewrittenUrl);
        return CardLimits.Fit(limits => Build(rewrittenUrl, decodedUrl, problem, limits));
    }

    private static AdaptiveCard Build(string rewrittenUrl, string? decodedUrl, string? problem, CardLimits limits)
    {
        var body = new List<AdaptiveElement>();
        if (decodedUrl is not null)
        {
            body.Add(CardParts.Banner(AdaptiveContainerStyle.Emphasis, "Decoded URL", AdaptiveTextColor.Default, "The Mimecast-rewritten link leads to:"));
            body.Add(CardParts.Mono(CardText.Escape(decodedUrl, limits.LongTextChars)));
        }
        else
        {
            body.Add(CardParts.Banner(
                AdaptiveContainerStyle.Warning,
                "Mimecast could not decode this URL",
                AdaptiveTextColor.Warning,
                CardText.Escape(problem ?? "Mimecast gave no reason.", limits.LongTextChars)));
        }

        body.Add(CardParts.Section("Rewritten URL"));
        body.Add(CardParts.Mono(CardText.Escape(rewrittenUrl, limits.LongTextChars)));
        body.Add(CardParts.Subtle("URLs are defanged (hxxps, [.]): do not open them on a workstation."));
        return CardParts.Card(
            CardText.Plain(decodedUrl is null ? $"Could not decode {rewrittenUrl}" : $"{rewrittenUrl} leads to {decodedUrl}", 600),
            body);
    }
}
