using System.Buffers;
using System.Globalization;
using System.Text;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.EmailForensics.Attachments;

/// <summary>Findings about an attachment or archive member name: risky and double extensions, bidi tricks.</summary>
internal static class FileNameAnalysis
{
    // Character sets as static arrays: an array literal argument (params char[] or a collection expression) allocates a
    // new array, filled from its metadata, at every call.
    private static readonly char[] s_trailingSpaceAndDots = [' ', '.'];

    /// <summary>
    /// The extension Windows uses: bidi and zero-width characters removed, then trailing spaces and dots (which Windows
    /// strips) ignored. Lower case, without the dot; null when there is none.
    /// </summary>
    public static string? EffectiveExtension(string? fileName) => ExtensionOfVisible(Visible(fileName));

    private static string? ExtensionOfVisible(string name)
    {
        int dot = name.LastIndexOf('.');
        return dot < 0 || dot == name.Length - 1 ? null : name[(dot + 1)..].Trim().ToLowerInvariant();
    }

    public static void Analyse(string? fileName, string subject, List<Finding> findings)
    {
        if (string.IsNullOrEmpty(fileName))
        {
            return;
        }

        string name = Visible(fileName);
        string? extension = ExtensionOfVisible(name);
        TypeGroup group = TypeGroups.OfExtension(extension);
        if (ContainsBidiControl(fileName))
        {
            findings.Add(new Finding("attachment.rtl-override", FindingSeverity.Critical,
                $"{subject} name contains bidirectional control characters that make it display differently; its real extension is .{extension ?? "(none)"}."));
        }

        string[] parts = name.Split('.');
        if (parts.Length >= 3 && extension is not null)
        {
            string decoy = parts[^2].Trim().ToLowerInvariant();
            bool padded = parts[^2].Length != parts[^2].TrimEnd().Length;
            TypeGroup decoyGroup = TypeGroups.OfExtension(decoy);
            if (decoyGroup is not TypeGroup.Generic && decoyGroup != group && (TypeGroups.IsDangerous(group) || group is TypeGroup.Archive))
            {
                FindingSeverity severity = TypeGroups.IsDangerous(group) ? FindingSeverity.High : FindingSeverity.Medium;
                findings.Add(new Finding("attachment.double-extension", severity,
                    $"{subject} name \"{fileName}\" poses as .{decoy} but is .{extension}{(padded ? " (spaces hide the real extension)" : string.Empty)}."));
            }
        }
    }

    public static bool ContainsBidiControl(string name)
    {
        foreach (char c in name)
        {
            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C')
            {
                return true;
            }
        }

        return false;
    }

    // Removes characters that render as nothing (bidi controls, zero-width marks, combining grapheme joiner) and the
    // trailing spaces and dots Windows strips from file names; keeps only the last path segment.
    private static string Visible(string? fileName)
    {
        if (string.IsNullOrEmpty(fileName))
        {
            return string.Empty;
        }

        // Most names have nothing invisible: they are cut from the string itself.
        string visible = fileName.AsSpan().ContainsAny(s_invisible) ? WithoutInvisible(fileName) : fileName;
        return visible[(visible.AsSpan().LastIndexOfAny('/', '\\') + 1)..].TrimEnd(s_trailingSpaceAndDots);
    }

    private static bool IsInvisible(char c)
    {
        UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
        return category is UnicodeCategory.Format or UnicodeCategory.Control || c == '\u034F';
    }

    /// <summary>The characters <see cref="IsInvisible"/> accepts, for a vectorised search.</summary>
    private static readonly SearchValues<char> s_invisible =
        SearchValues.Create([.. Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(IsInvisible)]);

    private static string WithoutInvisible(string fileName)
    {
        var builder = new StringBuilder(fileName.Length);
        foreach (char c in fileName)
        {
            if (!IsInvisible(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
