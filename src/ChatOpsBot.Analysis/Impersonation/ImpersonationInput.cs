using System.Text.Json;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.Impersonation;

/// <summary>
/// Reads the seed's two inputs: the VIP list (<c>[{"name": ..., "domain": ...}]</c>) and the email
/// (<c>{"from": ..., "from_display_name": ..., "reply_to": ...}</c>). Missing optional keys default to "" as in
/// the seed; anything the seed would have crashed on, or silently mis-read, is an <see cref="InvalidInputException"/>.
/// </summary>
public static class ImpersonationInput
{
    public const int MaxVipEntries = 10_000;
    public const int MaxNameLength = 256;

    /// <summary>Longest accepted email field; RFC 5322 allows long folded headers, but nothing near this.</summary>
    public const int MaxFieldLength = 16_384;

    /// <exception cref="InvalidInputException">The list or an entry has the wrong shape, type or content.</exception>
    public static IReadOnlyList<VipEntry> ParseVipList(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidInputException($"the VIP list must be a JSON list of {{\"name\", \"domain\"}} objects, got {Describe(root)}");
        }

        int count = root.GetArrayLength();
        if (count > MaxVipEntries)
        {
            throw new InvalidInputException($"the VIP list has {count} entries; at most {MaxVipEntries} are supported");
        }

        var vips = new List<VipEntry>(count);
        int number = 0;
        foreach (JsonElement entry in root.EnumerateArray())
        {
            number++;
            vips.Add(ParseVip(entry, $"VIP list entry {number}"));
        }

        return vips;
    }

    /// <exception cref="InvalidInputException">The email is not an object, or a field has the wrong type or size.</exception>
    public static SenderIdentity ParseEmail(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInputException(
                $"the email must be a JSON object with \"from\", \"from_display_name\" and \"reply_to\", got {Describe(root)}");
        }

        string displayName = OptionalString(root, "from_display_name", "the email's \"from_display_name\"", nullMeansAbsent: false);
        string from = OptionalString(root, "from", "the email's \"from\"", nullMeansAbsent: false);

        // The seed tested reply_to for truthiness, so null meant "no Reply-To" there too.
        string replyTo = OptionalString(root, "reply_to", "the email's \"reply_to\"", nullMeansAbsent: true);
        return new SenderIdentity(displayName, from, replyTo);
    }

    private static VipEntry ParseVip(JsonElement entry, string where)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInputException($"{where} must be an object with \"name\" and \"domain\", got {Describe(entry)}");
        }

        if (!entry.TryGetProperty("name", out JsonElement nameElement))
        {
            throw new InvalidInputException($"{where} has no \"name\"");
        }

        string name = RequireString(nameElement, $"{where}: \"name\"");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InvalidInputException($"{where}: \"name\" is empty");
        }

        if (name.Length > MaxNameLength)
        {
            throw new InvalidInputException($"{where}: \"name\" is {name.Length} characters long; at most {MaxNameLength} are supported");
        }

        if (PersonName.Parse(name).IsEmpty)
        {
            throw new InvalidInputException($"{where}: \"name\" (\"{Shorten(name)}\") has no letters or digits");
        }

        string domain = OptionalString(entry, "domain", $"{where}: \"domain\"", nullMeansAbsent: false).Trim();
        if (domain.Length > 0 && (DomainName.TryCreate(domain) is not { IsLiteral: false }))
        {
            throw new InvalidInputException($"{where}: \"domain\" (\"{Shorten(domain)}\") is not a valid domain name (expected e.g. \"corp.com\")");
        }

        return new VipEntry(name, domain);
    }

    private static string OptionalString(JsonElement owner, string key, string what, bool nullMeansAbsent)
    {
        if (!owner.TryGetProperty(key, out JsonElement value) || (nullMeansAbsent && value.ValueKind == JsonValueKind.Null))
        {
            return string.Empty;
        }

        string text = RequireString(value, what);
        if (text.Length > MaxFieldLength)
        {
            throw new InvalidInputException($"{what} is {text.Length} characters long; at most {MaxFieldLength} are supported");
        }

        return text;
    }

    private static string RequireString(JsonElement value, string what)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new InvalidInputException($"{what} must be a string, got {Describe(value)}");
        }

        return JsonInput.ReadString(value, what);
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    // Echoed values go into a one-line error message.
    private static string Shorten(string text) => PrintableText.OneLine(text, 80);
}
