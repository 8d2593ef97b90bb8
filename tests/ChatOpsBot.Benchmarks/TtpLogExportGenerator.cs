using System.Globalization;
using System.Text;

namespace ChatOpsBot.Benchmarks;

/// <summary>
/// Deterministic seed-format TTP log exports shaped like shared/golden/seed000/logs-*.input.json: dates over 30 days
/// (some missing), the golden files' categories with their mix of spellings, ~1,000 recipients (some missing), written
/// as <c>json.dumps(logs, indent=4)</c> would. The same count and seed always give the same bytes.
/// </summary>
public static class TtpLogExportGenerator
{
    // The golden inputs' category frequencies (per mille, rounded); null = no "category" key.
    private static readonly (string? Category, int Weight)[] s_categories =
    [
        ("clean", 250), ("attachment_threat", 92), ("impersonation", 90), ("attachment_blocked", 87), ("internal_threat", 86),
        ("", 82), ("spam", 81), ("url_threat", 79), ("URL_BLOCKED", 79), ("Impersonation_Detected", 75), (null, 31),
    ];

    public static void Write(Stream output, int entries, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(output);
        var random = new Random(seed);
        int totalWeight = s_categories.Sum(c => c.Weight);
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.Write('[');
        for (int i = 0; i < entries; i++)
        {
            writer.Write(i == 0 ? "\n    {" : ",\n    {");
            var fields = new List<string>(3);
            if (random.Next(100) >= 3)
            {
                fields.Add($"\"date\": \"2026-11-{random.Next(1, 31):00}\"");
            }

            string? category = Pick(random.Next(totalWeight));
            if (category is not null)
            {
                fields.Add($"\"category\": \"{category}\"");
            }

            if (random.Next(100) >= 5)
            {
                fields.Add(string.Create(CultureInfo.InvariantCulture, $"\"recipient\": \"user{random.Next(1, 1001):0000}@corp.example\""));
            }

            if (fields.Count > 0)
            {
                writer.Write("\n        ");
                writer.Write(string.Join(",\n        ", fields));
                writer.Write("\n    }");
            }
            else
            {
                writer.Write('}');
            }
        }

        writer.Write(entries == 0 ? "]\n" : "\n]\n");
    }

    public static byte[] Generate(int entries, int seed = 42)
    {
        using var buffer = new MemoryStream();
        Write(buffer, entries, seed);
        return buffer.ToArray();
    }

    private static string? Pick(int roll)
    {
        foreach ((string? category, int weight) in s_categories)
        {
            if (roll < weight)
            {
                return category;
            }

            roll -= weight;
        }

        return s_categories[^1].Category;
    }
}
