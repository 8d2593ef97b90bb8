using System.Globalization;
using ChatOpsBot.Analysis.Impersonation;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Storage;

namespace ChatOpsBot.Commands.Vip;

/// <summary>Reading and checking the name and address arguments the VIP commands share.</summary>
internal static class VipArguments
{
    public const string Name = "name";
    public const string Address = "address";

    public const int MaxAddressLength = 254;

    /// <summary>
    /// <c>&lt;display name&gt; &lt;address&gt;</c>: the last word is the address, the words before it the name (quotes
    /// optional). With <paramref name="nameOptional"/>, a single word may be a whole mailbox (<c>"Jane" &lt;j@x&gt;</c>).
    /// </summary>
    public static ArgumentBinding NameAndAddress(CommandInput input, bool nameOptional)
    {
        ArgumentNullException.ThrowIfNull(input);
        string? name;
        string? address;
        if (input.IsCardAction)
        {
            name = Arguments.Card(input, Name);
            address = Arguments.Card(input, Address);
        }
        else
        {
            name = input.Words.Count >= 2 ? string.Join(' ', input.Words.Take(input.Words.Count - 1)).Trim() : null;
            address = input.Words.Count >= 1 ? input.Words[^1].Trim() : null;
        }

        if (address is null || (name is null && !nameOptional))
        {
            return ArgumentBinding.Fail("Give the display name and then the e-mail address.");
        }

        if (!address.Contains('@', StringComparison.Ordinal))
        {
            return ArgumentBinding.Fail("The last argument must be the e-mail address (name@domain).");
        }

        if (address.Length > ImpersonationInput.MaxFieldLength || (name?.Length ?? 0) > ImpersonationInput.MaxNameLength)
        {
            return ArgumentBinding.Fail($"The display name may have up to {ImpersonationInput.MaxNameLength} characters and the address up to {MaxAddressLength}.");
        }

        var values = new Dictionary<string, string> { [Address] = address };
        if (name is not null)
        {
            values[Name] = name;
        }

        return ArgumentBinding.Ok(values);
    }

    /// <summary>A display name fit to store: letters or digits, no control or invisible characters.</summary>
    public static string? NameProblem(string name)
    {
        if (name.Length is 0 or > ImpersonationInput.MaxNameLength)
        {
            return $"The display name must have 1 to {ImpersonationInput.MaxNameLength} characters.";
        }

        if (name.Any(c => char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator))
        {
            return "The display name contains control or invisible characters.";
        }

        return name.Any(char.IsLetterOrDigit) ? null : "The display name needs at least one letter or digit.";
    }

    /// <summary>A plain address (<c>local@domain</c>, angle brackets removed, domain lower-cased); null when invalid.</summary>
    public static string? NormalizeAddress(string address)
    {
        string trimmed = address.Trim().TrimStart('<').TrimEnd('>');
        int at = trimmed.LastIndexOf('@');
        if (trimmed.Length > MaxAddressLength || at <= 0 || at > 64 || at == trimmed.Length - 1 || trimmed.IndexOf('@', StringComparison.Ordinal) != at)
        {
            return null;
        }

        string local = trimmed[..at];
        if (local.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '<' or '>' or '(' or ')' or ',' or ';' or ':' or '\\' or '[' or ']'))
        {
            return null;
        }

        // Validated in its IDNA form, kept as typed (lower case), so it matches how the store and the seed list spell it.
        string domain = trimmed[(at + 1)..].TrimEnd('.').ToLowerInvariant();
        string ascii;
        try
        {
            ascii = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(domain);
        }
        catch (ArgumentException)
        {
            return null;
        }

        string[] labels = ascii.Split('.');
        bool valid = labels.Length >= 2
            && labels.All(l => l.Length is > 0 and <= 63 && !l.StartsWith('-') && !l.EndsWith('-'))
            && !labels[^1].All(char.IsAsciiDigit);
        return valid ? $"{local}@{domain}" : null;
    }

    public static VipEntry ToVipEntry(StoredVip vip)
    {
        ArgumentNullException.ThrowIfNull(vip);
        int at = vip.Email.LastIndexOf('@');
        return new VipEntry(vip.DisplayName, at >= 0 ? vip.Email[(at + 1)..] : string.Empty);
    }
}
