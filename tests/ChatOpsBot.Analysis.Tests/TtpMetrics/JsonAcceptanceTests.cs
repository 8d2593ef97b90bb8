using System.Text;
using System.Text.Json;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.TtpMetrics;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.TtpMetrics;

/// <summary>
/// The hand-written scanner accepts exactly the JSON that System.Text.Json accepts: random exports with random byte
/// edits are either rejected by both, or read by both to the same metrics.
/// </summary>
public sealed class JsonAcceptanceTests
{
    private const string EditBytes = " \n{}[],:\"\\0123456789-+.eEtrufalsnu";

    private static readonly HashSet<string> s_mimecastKeys =
    [
        "data", "meta", "fail", "userEmailAddress", "scanResult", "result", "fileHash", "actionTriggered", "eventTime",
        "hits", "taggedMalicious", "identifiers", "impersonationResults", "taggedExternal",
    ];

    [Fact]
    public void AcceptsExactlyWhatSystemTextJsonAccepts()
    {
        var cases =
            from export in SeedExportGenerator.Export
            from count in Gen.Choose(1, 3)
            from edits in Gen.ListOf(Gen.Zip(Gen.Choose(0, 2), Gen.Choose(0, int.MaxValue)), count)
            select (export, edits: edits.ToList());

        int rejected = 0;
        int readAlike = 0;

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            byte[] json = Edit(SeedExportGenerator.Render(AsciiOnly(c.export)), c.edits);
            string text = Encoding.UTF8.GetString(json);
            if (!text.TrimStart(' ', '\n', '\r', '\t').StartsWith('['))
            {
                return;
            }

            List<SeedEntry>? entries;
            try
            {
                using JsonDocument document = JsonDocument.Parse(json);
                entries = PlainSeedEntries(document.RootElement);
            }
            catch (JsonException)
            {
                Should.Throw<InvalidInputException>(() => TtpLogs.Analyze(json), $"invalid JSON was accepted: {text}");
                rejected++;
                return;
            }

            if (entries is null)
            {
                // Valid JSON, but not a plain seed export: a clear input error at most, never a syntax error.
                try
                {
                    TtpLogs.Analyze(json);
                }
                catch (InvalidInputException ex)
                {
                    ex.Message.ShouldNotStartWith("invalid JSON", customMessage: text);
                }

                return;
            }

            SeedReferenceModel.Result expected = SeedReferenceModel.Analyze(entries);
            TtpMetricsResult metrics = TtpLogs.Analyze(json);
            TtpLogs.Users(metrics).ShouldBe(expected.TopTargetedUsers, text);
            TtpLogs.Days(metrics).ShouldBe(expected.DailyStats, text);
            TtpLogs.ThreatTypes(metrics).ShouldBe(expected.TopThreatTypes, text);
            readAlike++;
        }));

        // Both outcomes must actually have been exercised for the property to mean anything.
        rejected.ShouldBeGreaterThan(200);
        readAlike.ShouldBeGreaterThan(200);
    }

    private static Export AsciiOnly(Export export) =>
        export with { Entries = [.. export.Entries.Where(e => Ascii(e.Date) && Ascii(e.Category) && Ascii(e.Recipient))] };

    private static bool Ascii(string? text) => text is null || text.All(char.IsAscii);

    private static byte[] Edit(byte[] json, List<(int Kind, int Where)> edits)
    {
        var bytes = new List<byte>(json);
        foreach ((int kind, int where) in edits)
        {
            byte replacement = (byte)EditBytes[where % EditBytes.Length];
            int at = bytes.Count == 0 ? 0 : where % (bytes.Count + (kind == 1 ? 1 : 0));
            switch (kind)
            {
                case 0 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 1:
                    bytes.Insert(at, replacement);
                    break;
                case 2 when bytes.Count > 0:
                    bytes[at] = replacement;
                    break;
                default:
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>The entries of a plain seed export (legal types, no Mimecast keys), or null if it is anything else.</summary>
    private static List<SeedEntry>? PlainSeedEntries(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var entries = new List<SeedEntry>();
        foreach (JsonElement element in root.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var last = new Dictionary<string, JsonElement>();
            foreach (JsonProperty property in element.EnumerateObject())
            {
                if (s_mimecastKeys.Contains(property.Name))
                {
                    return null;
                }

                last[property.Name] = property.Value;
            }

            JsonElement? date = last.TryGetValue("date", out JsonElement d) ? d : null;
            JsonElement? category = last.TryGetValue("category", out JsonElement c) ? c : null;
            JsonElement? recipient = last.TryGetValue("recipient", out JsonElement r) ? r : null;
            if (date is { ValueKind: not JsonValueKind.String }
                || category is { ValueKind: not JsonValueKind.String }
                || recipient is { ValueKind: not (JsonValueKind.String or JsonValueKind.Null) })
            {
                return null;
            }

            entries.Add(new SeedEntry(
                date?.GetString(),
                category?.GetString(),
                recipient?.ValueKind == JsonValueKind.String ? recipient.Value.GetString() : null,
                recipient?.ValueKind == JsonValueKind.Null));
        }

        return entries;
    }
}
