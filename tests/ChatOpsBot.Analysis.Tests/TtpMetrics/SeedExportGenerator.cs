using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.TtpMetrics;

/// <summary>
/// Random seed exports for the property tests: entries drawn from small pools so that ties, repeats and the tricky
/// spellings happen often, rendered with random key order, whitespace, escapes, duplicate keys and extra fields.
/// </summary>
internal static class SeedExportGenerator
{
    private static readonly string[] s_categories =
    [
        "url_threat", "url_blocked", "attachment_threat", "attachment_blocked", "impersonation", "impersonation_detected",
        "internal_threat", "clean", "spam", "", "phish", "url_bloc\u212Aed", "\u0130mpersonation", "\u212Alean",
    ];

    private static readonly string[] s_dates = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "unknown", "n\u00e4chste"];

    private static readonly string[] s_recipients =
        [.. Enumerable.Range(0, 13).Select(i => $"user{i}@corp.example"), "", "m\u00fcller@corp.example"];

    public static Gen<SeedEntry> Entry { get; } =
        from date in Gen.Frequency((1, Gen.Constant<string?>(null)), (8, Gen.Elements(s_dates).Select(d => (string?)d)))
        from category in Gen.Frequency((1, Gen.Constant<string?>(null)), (9, CategorySpelling.Select(c => (string?)c)))
        from recipientKind in Gen.Choose(0, 9)
        from recipient in Gen.Elements(s_recipients)
        select new SeedEntry(
            date,
            category,
            recipientKind switch { 0 => null, 1 => null, _ => recipient },
            RecipientIsJsonNull: recipientKind == 1);

    public static Gen<Export> Export { get; } =
        from entries in Gen.ListOf(Entry).Select(e => e.ToList())
        from layout in Gen.Elements(ExportLayout.PrettyArray, ExportLayout.CompactArray, ExportLayout.Ndjson)
        from formatSeed in Gen.Choose(0, int.MaxValue)
        select new Export(entries, layout, formatSeed);

    private static Gen<string> CategorySpelling { get; } =
        from category in Gen.Elements(s_categories)
        from caseMask in Gen.Choose(0, int.MaxValue)
        select ApplyCase(category, caseMask);

    public static byte[] Render(Export export)
    {
        var random = new Random(export.FormatSeed);
        var text = new StringBuilder();
        bool array = export.Layout != ExportLayout.Ndjson || export.Entries.Count == 0;
        if (array)
        {
            text.Append(random.Next(4) == 0 ? " [\n" : "[");
        }

        for (int i = 0; i < export.Entries.Count; i++)
        {
            if (i > 0)
            {
                text.Append(array ? (export.Layout == ExportLayout.PrettyArray ? ",\n " : ",") : (random.Next(5) == 0 ? "\r\n\n" : "\n"));
            }

            RenderEntry(text, export.Entries[i], random, pretty: export.Layout == ExportLayout.PrettyArray);
        }

        if (array)
        {
            text.Append(random.Next(3) == 0 ? "\n]\n" : "]");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void RenderEntry(StringBuilder text, SeedEntry entry, Random random, bool pretty)
    {
        var members = new List<string>();
        if (entry.Date is not null)
        {
            members.Add($"\"date\": {Quote(entry.Date, random)}");
        }

        if (entry.Category is not null)
        {
            members.Add($"\"{(random.Next(8) == 0 ? "c\\u0061tegory" : "category")}\": {Quote(entry.Category, random)}");
        }

        if (entry.Recipient is not null)
        {
            members.Add($"\"recipient\": {Quote(entry.Recipient, random)}");
        }
        else if (entry.RecipientIsJsonNull)
        {
            members.Add("\"recipient\": null");
        }

        members = [.. members.OrderBy(_ => random.Next())];
        if (members.Count > 0 && random.Next(6) == 0)
        {
            // An earlier duplicate of any type is overridden by the later key, as in Python's json.
            string key = members[random.Next(members.Count)].Split(':')[0];
            members.Insert(0, $"{key}: {(random.Next(2) == 0 ? "123" : "[1, {}]")}");
        }

        if (random.Next(5) == 0)
        {
            // Extra values, some holding what looks like an entry boundary ("},{") inside strings and nested lists.
            string note = random.Next(3) switch
            {
                0 => "{\"k\": [1, -2.5e3, true, null, \"}]\"]}",
                1 => "[{\"a\": 1},\n {\"b\": \"},\\n{\"}]",
                _ => "\"}, {\\\"date\\\": 1}\"",
            };
            members.Insert(random.Next(members.Count + 1), $"\"note\": {note}");
        }

        string separator = pretty ? ",\n  " : (random.Next(2) == 0 ? "," : ", ");
        text.Append(pretty ? "{\n  " : "{").Append(string.Join(separator, members)).Append(pretty ? "\n }" : "}");
    }

    private static string Quote(string value, Random random)
    {
        var quoted = new StringBuilder("\"");
        foreach (char c in value)
        {
            if (c is '"' or '\\' || c < ' ' || random.Next(12) == 0)
            {
                quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                quoted.Append(c);
            }
        }

        return quoted.Append('"').ToString();
    }

    private static string ApplyCase(string text, int mask)
    {
        var cased = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            cased.Append((mask >> (i % 31) & 1) == 1 && char.IsAsciiLetterLower(c) ? char.ToUpperInvariant(c) : c);
        }

        return cased.ToString();
    }
}

internal enum ExportLayout
{
    PrettyArray,
    CompactArray,
    Ndjson,
}

internal sealed record Export(List<SeedEntry> Entries, ExportLayout Layout, int FormatSeed)
{
    public override string ToString() => $"{Layout}, seed {FormatSeed}: " + string.Join("; ", Entries.Select(e => $"{e.Date}|{e.Category}|{e.Recipient}"));
}
