using System.Buffers;
using System.Globalization;
using System.Text;

namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>
/// Domain helpers for sender checks without a network or a public-suffix list: an approximate organisational
/// domain (last two labels, three under common two-level country suffixes such as <c>co.uk</c>), punycode
/// decoding, and a small table of frequently impersonated brands with the domains they really send from.
/// </summary>
public static class SenderDomains
{
    // Character sets as static arrays: an array literal argument (params char[] or a collection expression) allocates a
    // new array, filled from its metadata, at every call.
    private static readonly char[] s_labelSeparators = ['.', '-', '_'];

    private static readonly HashSet<string> s_secondLevelSuffixes = new(StringComparer.OrdinalIgnoreCase)
    {
        "co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "gob", "go", "mil",
    };

    /// <summary>Brand token → organisational domains that legitimately send as that brand.</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> Brands = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["microsoft"] = ["microsoft.com", "office.com", "office365.com", "outlook.com", "live.com", "microsoftonline.com", "sharepoint.com", "onmicrosoft.com", "microsoft365.com"],
        ["office365"] = ["microsoft.com", "office.com", "office365.com", "microsoftonline.com"],
        ["outlook"] = ["microsoft.com", "outlook.com", "office.com", "live.com"],
        ["paypal"] = ["paypal.com", "paypal.me"],
        ["apple"] = ["apple.com", "icloud.com", "me.com"],
        ["icloud"] = ["apple.com", "icloud.com"],
        ["amazon"] = ["amazon.com", "amazonses.com", "amazonaws.com", "amazon.co.uk", "amazon.de", "amazon.fr", "amazon.es", "amazon.it", "amazon.ca"],
        ["google"] = ["google.com", "gmail.com", "youtube.com", "googlemail.com"],
        ["fedex"] = ["fedex.com"],
        ["dhl"] = ["dhl.com", "dhl.de"],
        ["docusign"] = ["docusign.com", "docusign.net"],
        ["netflix"] = ["netflix.com"],
        ["twitter"] = ["twitter.com", "x.com"],
        ["facebook"] = ["facebook.com", "facebookmail.com", "meta.com"],
        ["instagram"] = ["instagram.com"],
        ["linkedin"] = ["linkedin.com"],
        ["dropbox"] = ["dropbox.com", "dropboxmail.com"],
        ["adobe"] = ["adobe.com"],
        ["robinhood"] = ["robinhood.com"],
        ["coinbase"] = ["coinbase.com"],
        ["wellsfargo"] = ["wellsfargo.com"],
        ["chase"] = ["chase.com", "jpmorgan.com"],
        ["mimecast"] = ["mimecast.com"],
    };

    // Declared before s_brandSkeletons, whose initialiser calls Skeleton.
    private static readonly SearchValues<char> s_skeletonMapped = SearchValues.Create("01i|!34@5$7");

    private static readonly (string Brand, string Skeleton)[] s_brandSkeletons =
        Brands.Keys.Select(b => (b.ToLowerInvariant(), Skeleton(b))).ToArray();

    private static readonly HashSet<string> s_freemail = new(StringComparer.OrdinalIgnoreCase)
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com", "aol.com", "icloud.com",
        "gmx.com", "gmx.de", "mail.com", "proton.me", "protonmail.com", "yandex.com", "mail.ru", "zoho.com",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> s_secondLevelSuffixesBySpan =
        s_secondLevelSuffixes.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> s_freemailBySpan = s_freemail.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Brand token → its position in <see cref="Brands"/> (whose order <see cref="BrandsNamedIn"/> keeps).</summary>
    private static readonly Dictionary<string, int> s_brandIndex =
        Brands.Keys.Select((brand, index) => (brand, index)).ToDictionary(p => p.brand, p => p.index, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> s_brandIndexBySpan = s_brandIndex.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly string[] s_brandList = [.. Brands.Keys];

    // The sets compare ignoring case, so the ASCII organisational domain is looked up as it stands, without lower-casing it.
    public static bool IsFreemail(string domain) =>
        TryOrganizationalAscii(domain, out ReadOnlySpan<char> organizational)
            ? s_freemailBySpan.Contains(organizational)
            : s_freemail.Contains(OrganizationalDomain(domain));

    /// <summary>
    /// The span <see cref="OrganizationalDomain"/> would lower-case, when the domain takes its fast path and that span is
    /// ASCII (where comparing ignoring case equals comparing the lower-cased forms).
    /// </summary>
    private static bool TryOrganizationalAscii(string domain, out ReadOnlySpan<char> organizational)
    {
        organizational = default;
        ReadOnlySpan<char> trimmed = domain.AsSpan().Trim().TrimEnd('.');
        if (trimmed.IsEmpty || trimmed[0] == '.' || trimmed.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        organizational = trimmed[OrganizationalStart(trimmed)..];
        return Ascii.IsValid(organizational);
    }

    private static int OrganizationalStart(ReadOnlySpan<char> trimmed)
    {
        int last = trimmed.LastIndexOf('.');
        int second = last < 0 ? -1 : trimmed[..last].LastIndexOf('.');
        if (second < 0)
        {
            return 0;
        }

        bool threeLabels = trimmed.Length - last - 1 == 2 && s_secondLevelSuffixesBySpan.Contains(trimmed[(second + 1)..last]);
        return threeLabels ? trimmed[..second].LastIndexOf('.') + 1 : second + 1;
    }

    /// <summary>The registrable part of <paramref name="domain"/>, approximately (see the type remarks).</summary>
    public static string OrganizationalDomain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);

        // The usual domain (no empty label) is cut from the end in place: the labels taken are one slice of it.
        ReadOnlySpan<char> trimmed = domain.AsSpan().Trim().TrimEnd('.');
        if (!trimmed.IsEmpty && trimmed[0] != '.' && !trimmed.Contains("..", StringComparison.Ordinal))
        {
            ReadOnlySpan<char> organizational = trimmed[OrganizationalStart(trimmed)..];
            return string.Create(organizational.Length, domain, static (destination, source) =>
                source.AsSpan().Trim().TrimEnd('.')[^destination.Length..].ToLowerInvariant(destination));
        }

        return OrganizationalDomainByLabels(domain);
    }

    /// <summary>The organisational domain by splitting into labels: any input (the tests hold the fast path to it).</summary>
    internal static string OrganizationalDomainByLabels(string domain)
    {
        string[] labels = domain.Trim().TrimEnd('.').ToLowerInvariant().Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (labels.Length <= 2)
        {
            return string.Join('.', labels);
        }

        int take = labels[^1].Length == 2 && s_secondLevelSuffixes.Contains(labels[^2]) ? 3 : 2;
        return string.Join('.', labels[^take..]);
    }

    public static bool SameOrganization(string a, string b) =>
        TryOrganizationalAscii(a, out ReadOnlySpan<char> first) && TryOrganizationalAscii(b, out ReadOnlySpan<char> second)
            ? first.Equals(second, StringComparison.OrdinalIgnoreCase)
            : OrganizationalDomain(a).Equals(OrganizationalDomain(b), StringComparison.OrdinalIgnoreCase);

    /// <summary>The Unicode form of a punycode domain, or null when it has no <c>xn--</c> label or does not decode.</summary>
    public static string? DecodePunycode(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (!domain.Contains("xn--", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            return new IdnMapping().GetUnicode(domain.TrimEnd('.'));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The punycode (ASCII) form of a domain, or null when it cannot be converted.</summary>
    public static string? ToAscii(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        try
        {
            return new IdnMapping().GetAscii(domain.TrimEnd('.'));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="domain"/> legitimately belongs to <paramref name="brand"/>.</summary>
    internal static bool IsBrandDomain(string brand, string domain)
    {
        string org = OrganizationalDomain(domain);
        return Brands.TryGetValue(brand, out string[]? legit)
            && (legit.Contains(org, StringComparer.OrdinalIgnoreCase) || org.Split('.')[0].Equals(brand, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Brands named in free text as whole words (display names, subjects).</summary>
    internal static IEnumerable<string> BrandsNamedIn(string text)
    {
        string folded = Fold(text);

        // Each word is looked up once (the brand table ignores case, as the word comparison does), rather than every
        // brand searched for among the words; the brands are returned in table order.
        Span<bool> named = stackalloc bool[s_brandList.Length];
        bool any = false;
        foreach (Range range in folded.AsSpan().SplitAny(s_wordSeparators))
        {
            ReadOnlySpan<char> word = folded.AsSpan(range);
            if (!word.IsEmpty && s_brandIndexBySpan.TryGetValue(word, out int index))
            {
                named[index] = true;
                any = true;
            }
        }

        for (int i = 0; i < s_brandList.Length; i++)
        {
            if (!named[i] && s_brandList[i].Length >= 6 && folded.Length >= s_brandList[i].Length
                && folded.Contains(s_brandList[i], StringComparison.OrdinalIgnoreCase))
            {
                named[i] = true;
                any = true;
            }
        }

        if (!any)
        {
            return [];
        }

        var brands = new List<string>();
        for (int i = 0; i < s_brandList.Length; i++)
        {
            if (named[i])
            {
                brands.Add(s_brandList[i]);
            }
        }

        return brands;
    }

    private static readonly char[] s_wordSeparators = [' ', '-', '_', '.', ',', '"', '\'', '(', ')', '|', ':', '@', '<', '>'];

    /// <summary>
    /// A brand the domain imitates without belonging to it: the brand as a label token (<c>deliver-fedex.com</c>),
    /// as a substring for long brand names (<c>paypalsecure.com</c>), or after undoing digit/letter swaps and
    /// diacritics (<c>paypa1.com</c>, <c>robínhood.com</c>).
    /// </summary>
    internal static string? ImitatedBrand(string domain)
    {
        string unicode = DecodePunycode(domain) ?? domain;
        string[] tokens = unicode.ToLowerInvariant().Split(s_labelSeparators, StringSplitOptions.RemoveEmptyEntries);
        int count = tokens.Length > 1 ? tokens.Length - 1 : tokens.Length;
        string[] skeletons = new string[count];
        for (int i = 0; i < count; i++)
        {
            skeletons[i] = Skeleton(tokens[i]);
        }

        foreach ((string brand, string brandSkeleton) in s_brandSkeletons)
        {
            for (int i = 0; i < count; i++)
            {
                // A token shorter than the brand cannot contain it: the substring searches are tried only where they can match.
                bool imitates = tokens[i] == brand
                    || skeletons[i] == brandSkeleton
                    || (brand.Length >= 6
                        && ((tokens[i].Length > brand.Length && tokens[i].Contains(brand, StringComparison.Ordinal))
                            || (skeletons[i].Length > brandSkeleton.Length && skeletons[i].Contains(brandSkeleton, StringComparison.Ordinal))));
                if (imitates && !IsBrandDomain(brand, domain))
                {
                    return brand;
                }
            }
        }

        return null;
    }

    /// <summary>Folds look-alike characters to one representative so <c>paypa1</c> and <c>paypal</c> compare equal.</summary>
    internal static string Skeleton(string text)
    {
        string folded = Fold(text).ToLowerInvariant();
        if (!folded.AsSpan().ContainsAny(s_skeletonMapped))
        {
            // Nothing to swap (Replace returns the string itself when it finds nothing).
            return folded.Replace("rn", "m", StringComparison.Ordinal).Replace("vv", "w", StringComparison.Ordinal);
        }

        var builder = new StringBuilder(folded.Length);
        foreach (char c in folded)
        {
            builder.Append(c switch
            {
                '0' => 'o',
                '1' or 'i' or '|' or '!' => 'l',
                '3' => 'e',
                '4' or '@' => 'a',
                '5' or '$' => 's',
                '7' => 't',
                _ => c,
            });
        }

        return builder.ToString().Replace("rn", "m", StringComparison.Ordinal).Replace("vv", "w", StringComparison.Ordinal);
    }

    /// <summary>Removes diacritics (<c>í</c> → <c>i</c>) so IDN look-alikes meet their ASCII targets.</summary>
    private static string Fold(string text)
    {
        // ASCII has no diacritics and is its own normal form; most domains and names are ASCII.
        if (Ascii.IsValid(text))
        {
            return text;
        }

        string decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (char c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }
}
