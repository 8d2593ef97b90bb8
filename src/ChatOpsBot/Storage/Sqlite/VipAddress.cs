using System.Text;

namespace ChatOpsBot.Storage.Sqlite;

/// <summary>VIP addresses as stored: the spelling given, and a key for case-insensitive look-ups on every engine.</summary>
internal static class VipAddress
{
    /// <summary>The address trimmed, checked to look like <c>local@domain</c> with no spaces or control characters.</summary>
    public static string Require(string? email, string paramName)
    {
        string trimmed = email?.Trim() ?? string.Empty;
        FieldText.RequireNonEmpty(trimmed, StorageLimits.VipEmailMaxLength, paramName);
        int at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1 || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || !CanNormalize(trimmed))
        {
            throw new ArgumentException($"{paramName} is not an e-mail address (expected local@domain without spaces).", paramName);
        }

        return trimmed;
    }

    /// <summary>Trimmed, NFC-normalised, lower-cased (invariant): the unique key of the VIP list.</summary>
    public static string Key(string email) => email.Trim().Normalize(NormalizationForm.FormC).ToLowerInvariant();

    /// <summary>The key of <paramref name="email"/>, or null when it cannot be a stored address.</summary>
    public static string? TryKey(string? email)
    {
        string? trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > StorageLimits.VipEmailMaxLength || !CanNormalize(trimmed))
        {
            return null;
        }

        return Key(trimmed);
    }

    // Normalize throws on text that is not valid UTF-16 (a lone surrogate).
    private static bool CanNormalize(string value)
    {
        try
        {
            _ = value.Normalize(NormalizationForm.FormC);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
