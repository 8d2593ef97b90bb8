using System.Globalization;
using System.Text;
using System.Text.Json;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.PolicyAudit;

/// <summary>
/// Maps the seed's config JSON onto <see cref="TtpPolicyConfig"/>. Wherever the seed gives a defined answer the
/// reader gives the same one; wherever the seed would crash (a section that is not an object, a <c>null</c>
/// VIP list) or silently accept nonsense (<c>"enabled": "false"</c> is truthy in Python, a VIP list given as a
/// string counts its characters) it throws one <see cref="InvalidInputException"/> naming the JSON path.
/// Unknown keys are ignored, and for repeated keys the last one wins, as in Python's <c>json.load</c>.
/// </summary>
internal static class TtpPolicyConfigReader
{
    private const int MaxQuotedLength = 40;

    public static TtpPolicyConfig Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInputException(
                $"the policy configuration must be a JSON object with url_protect, attachment_protect, impersonation_protect and internal_email_protect sections, got {Describe(root)}");
        }

        var url = new UrlProtectPolicy();
        if (Section(root, "url_protect") is { } urlSection)
        {
            url = new UrlProtectPolicy(
                Flag(urlSection, "url_protect", "enabled"),
                Flag(urlSection, "url_protect", "rewriting"),
                Flag(urlSection, "url_protect", "predelivery_hold"));
        }

        var attachment = new AttachmentProtectPolicy();
        if (Section(root, "attachment_protect") is { } attachmentSection)
        {
            attachment = new AttachmentProtectPolicy(
                Flag(attachmentSection, "attachment_protect", "enabled"),
                SandboxMode(attachmentSection));
        }

        var impersonation = new ImpersonationProtectPolicy();
        if (Section(root, "impersonation_protect") is { } impersonationSection)
        {
            impersonation = new ImpersonationProtectPolicy(
                Flag(impersonationSection, "impersonation_protect", "enabled"),
                VipCount(impersonationSection));
        }

        var internalEmail = new InternalEmailProtectPolicy();
        if (Section(root, "internal_email_protect") is { } internalSection)
        {
            internalEmail = new InternalEmailProtectPolicy(Flag(internalSection, "internal_email_protect", "enabled"));
        }

        return new TtpPolicyConfig(url, attachment, impersonation, internalEmail);
    }

    /// <summary>Renders a JSON value for an error message: its kind, plus a short, escaped excerpt of scalars.</summary>
    internal static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => DescribeString(value),
        JsonValueKind.Number => $"the number {Shorten(value.GetRawText())}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => "an unreadable value",
    };

    private static JsonElement? Section(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement section))
        {
            return null;
        }

        return section.ValueKind == JsonValueKind.Object
            ? section
            : throw new InvalidInputException($"{name} must be an object, got {Describe(section)}");
    }

    private static bool? Flag(JsonElement section, string sectionName, string key)
    {
        if (!section.TryGetProperty(key, out JsonElement value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => throw new InvalidInputException($"{sectionName}.{key} must be true or false, got {Describe(value)}"),
        };
    }

    private static string? SandboxMode(JsonElement section)
    {
        if (!section.TryGetProperty("sandbox_mode", out JsonElement value))
        {
            return SandboxModes.NotConfigured;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => JsonInput.ReadString(value, "attachment_protect.sandbox_mode"),
            JsonValueKind.Null => null,
            _ => throw new InvalidInputException(
                $"attachment_protect.sandbox_mode must be a string such as \"{SandboxModes.Dynamic}\" or \"{SandboxModes.SafeFile}\", got {Describe(value)}"),
        };
    }

    private static int VipCount(JsonElement section)
    {
        if (!section.TryGetProperty("vip_list", out JsonElement value))
        {
            return 0;
        }

        return value.ValueKind == JsonValueKind.Array
            ? value.GetArrayLength()
            : throw new InvalidInputException($"impersonation_protect.vip_list must be a list, got {Describe(value)}");
    }

    private static string DescribeString(JsonElement value)
    {
        try
        {
            return $"the string {Quote(JsonInput.ReadString(value, "the string"))}";
        }
        catch (InvalidInputException)
        {
            return "a string that is not valid UTF-8 or Unicode text";
        }
    }

    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        int shown = 0;
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (shown++ == MaxQuotedLength)
            {
                quoted.Append('…');
                break;
            }

            // The message is printed as one terminal line: escape anything that could break or disguise it.
            if (Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                quoted.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}");
            }
            else if (rune.Value is '"' or '\\')
            {
                quoted.Append('\\').Append((char)rune.Value);
            }
            else
            {
                quoted.Append(rune.ToString());
            }
        }

        return quoted.Append('"').ToString();
    }

    private static string Shorten(string raw) => raw.Length <= MaxQuotedLength ? raw : string.Concat(raw.AsSpan(0, MaxQuotedLength), "…");
}
