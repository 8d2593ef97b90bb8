using System.Globalization;

namespace ChatOpsBot.Analysis.Impersonation;

/// <summary>Why a sender domain was judged a look-alike of a VIP domain.</summary>
/// <param name="Similarity">1 − edits / longer length for the whole domains (edits: the fewer of folded and skeleton forms), 0..1.</param>
/// <param name="Evidence">One sentence naming the rule that fired and the forms compared.</param>
internal sealed record DomainLookalike(double Similarity, string Evidence);

/// <summary>
/// Decides whether a sender's domain imitates a VIP domain. Domains of the same registrable domain (or
/// subdomains of the VIP domain) are never look-alikes; everything else is compared on punycode-decoded,
/// folded and skeleton forms with the thresholds below (docs/vip-check.md).
/// </summary>
internal static class LookalikeDomains
{
    /// <summary>Whole domains within this many edits can be similar...</summary>
    public const int MaxDomainEdits = 2;

    /// <summary>...the registrable labels (<c>corp</c> of <c>corp.com</c>) within this many...</summary>
    public const int MaxLabelEdits = 1;

    /// <summary>...and either only when 1 − edits / longer length reaches this.</summary>
    public const double MinSimilarity = 0.8;

    public static DomainLookalike? Compare(DomainName sender, DomainName vip)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(vip);
        if (sender.IsLiteral || vip.IsLiteral || sender.IsSameOrSubdomainOf(vip)
            || string.Equals(sender.RegistrableDomainAscii, vip.RegistrableDomainAscii, StringComparison.Ordinal))
        {
            return null;
        }

        string shown = DescribeDecoded(sender);
        if (string.Equals(sender.Skeleton, vip.Skeleton, StringComparison.Ordinal))
        {
            return new DomainLookalike(1.0, $"{shown} has the same visual skeleton as '{vip.Unicode}' ('{vip.Skeleton}')");
        }

        Nearness whole = Measure(sender.Folded, sender.Skeleton, vip.Folded, vip.Skeleton, MaxDomainEdits);
        if (whole.IsWithin(MaxDomainEdits))
        {
            return new DomainLookalike(
                whole.Similarity,
                string.Create(CultureInfo.InvariantCulture, $"{shown} is {Edits(whole.Edits)} away from '{vip.Unicode}' (similarity {whole.Similarity:0.###})"));
        }

        string? rule = LabelRule(sender, vip, shown);
        return rule is null
            ? null
            : new DomainLookalike(Measure(sender.Folded, sender.Skeleton, vip.Folded, vip.Skeleton, int.MaxValue).Similarity, rule);
    }

    private static string? LabelRule(DomainName sender, DomainName vip, string shown)
    {
        if (sender.Ascii.StartsWith(vip.Ascii + ".", StringComparison.Ordinal) || sender.Ascii.StartsWith(vip.Ascii + "-", StringComparison.Ordinal))
        {
            return $"{shown} begins with the VIP domain '{vip.Unicode}'";
        }

        Nearness label = Measure(sender.RegistrableLabel, vip.RegistrableLabel, MaxLabelEdits);
        if (label.Edits == 0)
        {
            return $"{shown} uses the VIP's name '{vip.RegistrableLabel}' under another suffix";
        }

        if (label.IsWithin(MaxLabelEdits))
        {
            return $"{shown} has the name '{sender.RegistrableLabel}', {Edits(label.Edits)} from '{vip.RegistrableLabel}'";
        }

        // corp-example.com or corpexample.net for corp.example: the VIP domain written as one label.
        foreach (string flattened in new[] { vip.Unicode.Replace('.', '-'), vip.Unicode.Replace(".", string.Empty, StringComparison.Ordinal) })
        {
            if (Measure(sender.RegistrableLabel, flattened, MaxLabelEdits).IsWithin(MaxLabelEdits))
            {
                return $"{shown} has the name '{sender.RegistrableLabel}', the VIP domain '{vip.Unicode}' written as one label";
            }
        }

        return null;
    }

    private static Nearness Measure(string first, string second, int maxEdits) =>
        Measure(Confusables.Fold(first), Confusables.Skeleton(first), Confusables.Fold(second), Confusables.Skeleton(second), maxEdits);

    // Edits are the fewer of the folded forms (plain typos) and the skeletons (homoglyph-assisted typos);
    // similarity divides by the folded length, because skeleton expansions (m → rn) would flatter long strings.
    // Pairs whose lengths alone rule out maxEdits are not measured.
    private static Nearness Measure(string firstFolded, string firstSkeleton, string secondFolded, string secondSkeleton, int maxEdits)
    {
        int longer = Math.Max(firstFolded.Length, secondFolded.Length);
        if (longer == 0)
        {
            return new Nearness(0, 1.0);
        }

        bool foldedInReach = Math.Abs(firstFolded.Length - secondFolded.Length) <= maxEdits;
        bool skeletonInReach = Math.Abs(firstSkeleton.Length - secondSkeleton.Length) <= maxEdits;
        if (!foldedInReach && !skeletonInReach)
        {
            return new Nearness(int.MaxValue, 0.0);
        }

        int edits = Math.Min(
            foldedInReach ? EditDistance.Between(firstFolded, secondFolded) : int.MaxValue,
            skeletonInReach ? EditDistance.Between(firstSkeleton, secondSkeleton) : int.MaxValue);
        return new Nearness(edits, Math.Round(Math.Max(0.0, 1.0 - ((double)edits / longer)), 3));
    }

    private static string DescribeDecoded(DomainName domain) =>
        string.Equals(domain.Unicode, domain.Text, StringComparison.Ordinal)
            ? $"'{domain.Text}'"
            : $"'{domain.Text}' (decoded: '{domain.Unicode}')";

    private static string Edits(int count) => count == 1 ? "1 edit" : $"{count} edits";

    private readonly record struct Nearness(int Edits, double Similarity)
    {
        public bool IsWithin(int maxEdits) => Edits <= maxEdits && Similarity >= MinSimilarity;
    }
}
