using System.Text;
using System.Text.Json;
using ChatOpsBot.Integrations.Http;
using ChatOpsBot.Integrations.Mimecast;

namespace ChatOpsBot.Integrations.Tests.Mimecast;

/// <summary>
/// Click records are read in one pass over their properties; the result must be what looking each field up by name
/// gives, whatever the order, repeats, types or escaping of the fields.
/// </summary>
public sealed class ClickLogReaderTests
{
    private static readonly string[] s_fields =
    [
        "userEmailAddress", "fromUserEmailAddress", "url", "ttpDefinition", "subject", "action", "adminOverride", "userOverride", "scanResult",
        "category", "sendingIp", "userAwarenessAction", "date", "actions", "route", "creationMethod", "emailPartsDescription", "messageId", "tagMap",
    ];

    [Fact]
    public void Generated_records_read_as_a_look_up_by_name_reads_them()
    {
        var random = new Random(3);
        int read = 0;
        for (int i = 0; i < 5_000; i++)
        {
            string json = Record(random);
            using JsonDocument document = JsonDocument.Parse(json);
            MimecastClickLog? expected = ByName(document.RootElement);
            MimecastClickLog? actual = MimecastRecordReader.ClickLog(document.RootElement);
            if (expected is null)
            {
                actual.ShouldBeNull(json);
                continue;
            }

            read++;
            actual.ShouldNotBeNull(json);
            JsonSerializer.Serialize(actual).ShouldBe(JsonSerializer.Serialize(expected), json);
        }

        read.ShouldBeGreaterThan(1_000, "most generated records are readable");
    }

    [Fact]
    public void A_record_that_is_not_an_object_reads_as_nothing()
    {
        using JsonDocument document = JsonDocument.Parse("""["url"]""");
        MimecastRecordReader.ClickLog(document.RootElement).ShouldBeNull();
    }

    private static string Record(Random random)
    {
        List<string> names = [.. s_fields.Where(_ => random.Next(10) > 0)];
        if (random.Next(3) == 0)
        {
            names = [.. names.OrderBy(_ => random.Next())];
        }

        if (random.Next(4) == 0)
        {
            names.Insert(random.Next(names.Count + 1), s_fields[random.Next(s_fields.Length)]);
        }

        if (random.Next(4) == 0)
        {
            names.Insert(random.Next(names.Count + 1), "unknownField");
        }

        var json = new StringBuilder("{");
        foreach (string name in names)
        {
            string written = random.Next(10) == 0 && name.Length > 1 ? $"\\u{(int)name[0]:x4}{name[1..]}" : name;
            json.Append('"').Append(written).Append("\":").Append(Value(name, random)).Append(',');
        }

        if (json.Length > 1)
        {
            json.Length--;
        }

        return json.Append('}').ToString();
    }

    private static string Value(string name, Random random) => random.Next(30) switch
    {
        0 => "null",
        1 => "42",
        2 => "[\"a\",1,\"b\"]",
        3 => "{\"UrlReputationScan\":{\"Status\":[\"malicious\"],\"Other\":\"x\"},\"Bad\":3}",
        4 => "true",
        _ => name switch
        {
            "date" => random.Next(3) == 0 ? "\"2024-11-17T17:02:30Z\"" : "\"2024-11-17T17:02:30+0000\"",
            "emailPartsDescription" => "[\"Body\",\"Attachment\"]",
            "tagMap" => "{\"UrlReputationScan\":{\"Status\":[\"malicious\"]}}",
            _ => $"\"{name}-{random.Next(100)}\\u00e9\"",
        },
    };

    /// <summary>The reader as first written, each field looked up by name: the oracle.</summary>
    private static MimecastClickLog? ByName(JsonElement element)
    {
        var r = new JsonFields(element);
        if (r.MimecastDate("date") is not DateTimeOffset date || r.String("url") is not string url || r.String("userEmailAddress") is not string user)
        {
            return null;
        }

        var tagMap = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>(StringComparer.Ordinal);
        if (r.Object("tagMap") is JsonFields scanners)
        {
            foreach (JsonProperty scanner in scanners.Element.EnumerateObject())
            {
                var details = new JsonFields(scanner.Value);
                if (details.IsObject)
                {
                    tagMap[scanner.Name] = scanner.Value.EnumerateObject().ToDictionary(d => d.Name, d => details.Strings(d.Name), StringComparer.Ordinal);
                }
            }
        }

        return new MimecastClickLog(
            date, url, user, r.String("fromUserEmailAddress"), r.String("subject"), r.String("action"), r.String("actions"), r.String("scanResult"),
            r.String("category"), r.String("ttpDefinition"), r.String("creationMethod"), r.String("route"), r.String("adminOverride"),
            r.String("userOverride"), r.String("userAwarenessAction"), r.String("sendingIp"), r.String("messageId"), r.Strings("emailPartsDescription"), tagMap);
    }
}
