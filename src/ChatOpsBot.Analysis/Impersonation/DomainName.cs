using System.Collections.Frozen;
using System.Globalization;

namespace ChatOpsBot.Analysis.Impersonation;

/// <summary>
/// A mail domain in the three forms the checks need: as written (lower case, no trailing dot), its ASCII
/// (punycode) form for identity, and its Unicode form with <c>xn--</c> labels decoded for look-alike checks.
/// </summary>
/// <param name="Text">Lower case, trimmed, trailing dot removed: what indicators print, as the seed did.</param>
/// <param name="Ascii">IDNA ASCII form (<c>xn--</c> labels); equals <paramref name="Text"/> for plain ASCII domains.</param>
/// <param name="Unicode">Punycode decoded; equals <paramref name="Ascii"/> when there is nothing to decode or it is not valid punycode.</param>
internal sealed record DomainName(string Text, string Ascii, string Unicode)
{
    public const int MaxLength = 253;
    private const int MaxLabelLength = 63;

    // An approximation of the Public Suffix List: the two-label suffixes mail most often comes from.
    // Other domains are treated as one label before a one-label TLD (docs/vip-check.md).
    private static readonly FrozenSet<string> s_twoLabelSuffixes = new[]
    {
        "co.uk", "org.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "me.uk", "net.uk", "nhs.uk", "sch.uk",
        "com.au", "net.au", "org.au", "edu.au", "gov.au", "co.nz", "org.nz", "net.nz", "govt.nz",
        "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "co.kr", "or.kr", "co.in", "net.in", "org.in", "gov.in",
        "co.za", "org.za", "com.br", "net.br", "org.br", "gov.br", "com.cn", "net.cn", "org.cn", "gov.cn",
        "com.mx", "com.ar", "com.tr", "com.sg", "com.hk", "com.tw", "co.il", "co.id", "com.my", "com.ph",
        "com.pk", "com.ng", "com.eg", "com.sa", "co.th", "com.vn", "com.ua", "com.pl", "co.at", "or.at",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>A domain literal such as <c>[192.0.2.1]</c>: valid in an address, but has no labels to compare.</summary>
    public bool IsLiteral => Text.StartsWith('[');

    /// <summary>The label before the public suffix (<c>corp</c> in <c>mail.corp.co.uk</c>), Unicode form.</summary>
    public string RegistrableLabel { get; } = LabelBeforeSuffix(Unicode, Ascii);

    /// <summary>Case and diacritics folded (<see cref="Confusables.Fold"/>) Unicode form.</summary>
    public string Folded { get; } = Confusables.Fold(Unicode);

    /// <summary>Visual skeleton (<see cref="Confusables.Skeleton"/>) of the Unicode form.</summary>
    public string Skeleton { get; } = Confusables.Skeleton(Unicode);

    /// <summary>Label plus public suffix (<c>corp.co.uk</c> in <c>mail.corp.co.uk</c>), ASCII form.</summary>
    public string RegistrableDomainAscii
    {
        get
        {
            string[] labels = Ascii.Split('.');
            int suffixLabels = SuffixLabelCount(labels);
            int take = Math.Min(labels.Length, suffixLabels + 1);
            return string.Join('.', labels[^take..]);
        }
    }

    /// <summary>Parses a domain; null when it is empty or not a syntactically valid host name or domain literal.</summary>
    public static DomainName? TryCreate(string? raw)
    {
        string text = (raw ?? string.Empty).Trim().ToLowerInvariant();
        if (text.EndsWith('.'))
        {
            text = text[..^1];
        }

        if (text.Length == 0 || text.Length > MaxLength)
        {
            return null;
        }

        if (text.StartsWith('[') && text.EndsWith(']') && text.Length > 2 && !text[1..^1].Any(c => c is '[' or ']' or '\\'))
        {
            return new DomainName(text, text, text);
        }

        string[] labels = text.Split('.');
        if (!labels.All(IsValidLabel))
        {
            return null;
        }

        var idn = new IdnMapping();
        string ascii;
        try
        {
            ascii = idn.GetAscii(text);
        }
        catch (ArgumentException)
        {
            // Invalid IDNA (e.g. a malformed "xn--" label): still a name we can compare as written.
            return text.All(char.IsAscii) ? new DomainName(text, text, text) : null;
        }

        string unicode;
        try
        {
            unicode = idn.GetUnicode(ascii);
        }
        catch (ArgumentException)
        {
            unicode = ascii;
        }

        return new DomainName(text, ascii, unicode);
    }

    /// <summary>True when this is <paramref name="other"/> or one of its subdomains: the same owner controls both.</summary>
    public bool IsSameOrSubdomainOf(DomainName other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(Ascii, other.Ascii, StringComparison.Ordinal)
            || (!IsLiteral && Ascii.EndsWith("." + other.Ascii, StringComparison.Ordinal));
    }

    private static bool IsValidLabel(string label) =>
        label.Length is > 0 and <= MaxLabelLength
        && label.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark);

    // GetUnicode keeps the label count, so the ASCII labels locate the suffix in the Unicode form.
    private static string LabelBeforeSuffix(string unicode, string ascii)
    {
        string[] labels = unicode.Split('.');
        int suffixLabels = SuffixLabelCount(ascii.Split('.'));
        return labels.Length > suffixLabels ? labels[^(suffixLabels + 1)] : labels[0];
    }

    private static int SuffixLabelCount(string[] labels)
    {
        if (labels.Length >= 3 && s_twoLabelSuffixes.Contains($"{labels[^2]}.{labels[^1]}"))
        {
            return 2;
        }

        return labels.Length >= 2 ? 1 : 0;
    }
}
