using System.Text.Json;
using ChatOpsBot.Integrations.Http;

namespace ChatOpsBot.Integrations.Mimecast;

/// <summary>Maps Mimecast's JSON records to the typed records; null when a required field is missing or unreadable.</summary>
internal static class MimecastRecordReader
{
    /// <summary>
    /// The field names of a click record in the order Mimecast writes them. A click record is read in one pass over
    /// its properties, each name tried first against the one expected next: the URL monitor reads every click of a
    /// 30-day window, and looking each of the 19 fields up by name scanned the record 19 times.
    /// </summary>
    private static readonly byte[][] s_clickFields =
    [
        "userEmailAddress"u8.ToArray(), "fromUserEmailAddress"u8.ToArray(), "url"u8.ToArray(), "ttpDefinition"u8.ToArray(), "subject"u8.ToArray(),
        "action"u8.ToArray(), "adminOverride"u8.ToArray(), "userOverride"u8.ToArray(), "scanResult"u8.ToArray(), "category"u8.ToArray(),
        "sendingIp"u8.ToArray(), "userAwarenessAction"u8.ToArray(), "date"u8.ToArray(), "actions"u8.ToArray(), "route"u8.ToArray(),
        "creationMethod"u8.ToArray(), "emailPartsDescription"u8.ToArray(), "messageId"u8.ToArray(), "tagMap"u8.ToArray(),
    ];

    public static MimecastClickLog? ClickLog(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        // As a look-up by name would, a repeated field counts with its last value.
        var values = default(ClickFieldValues);
        int expected = 0;
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (FieldOf(property, s_clickFields, ref expected) is int field)
            {
                values[field] = property.Value;
            }
        }

        if (Text(values[12]) is not string dateText || MimecastDates.Parse(dateText) is not DateTimeOffset date
            || Text(values[2]) is not string url || Text(values[0]) is not string user)
        {
            return null;
        }

        return new MimecastClickLog(
            date,
            url,
            user,
            Text(values[1]),
            Text(values[4]),
            Text(values[5]),
            Text(values[13]),
            Text(values[8]),
            Text(values[9]),
            Text(values[3]),
            Text(values[15]),
            Text(values[14]),
            Text(values[6]),
            Text(values[7]),
            Text(values[11]),
            Text(values[10]),
            Text(values[17]),
            JsonFields.StringItems(values[16]),
            TagMap(values[18].ValueKind == JsonValueKind.Object ? new JsonFields(values[18]) : null));
    }

    /// <summary>Which of <paramref name="names"/> the property has, trying the one after the last found first.</summary>
    private static int? FieldOf(JsonProperty property, byte[][] names, ref int expected)
    {
        for (int tried = 0; tried < names.Length; tried++)
        {
            int candidate = (expected + tried) % names.Length;
            if (property.NameEquals(names[candidate]))
            {
                expected = candidate + 1;
                return candidate;
            }
        }

        return null;
    }

    private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [System.Runtime.CompilerServices.InlineArray(19)]
    private struct ClickFieldValues
    {
        private JsonElement _first;
    }

    public static MimecastAttachmentLog? AttachmentLog(JsonElement element)
    {
        var r = new JsonFields(element);
        if (r.MimecastDate("date") is not DateTimeOffset date)
        {
            return null;
        }

        return new MimecastAttachmentLog(
            date,
            r.String("senderAddress"),
            r.String("recipientAddress"),
            r.String("fileName"),
            r.String("fileType"),
            r.String("fileHash"),
            r.String("result"),
            r.String("actionTriggered"),
            r.String("details"),
            r.String("route"),
            r.String("messageId"),
            r.String("subject"),
            r.String("definition"));
    }

    public static MimecastImpersonationLog? ImpersonationLog(JsonElement element)
    {
        var r = new JsonFields(element);
        if (r.MimecastDate("eventTime") is not DateTimeOffset eventTime)
        {
            return null;
        }

        var results = new List<MimecastImpersonationResult>();
        if (r.Array("impersonationResults") is JsonElement array)
        {
            foreach (JsonElement item in array.EnumerateArray())
            {
                var result = new JsonFields(item);
                if (result.IsObject)
                {
                    results.Add(new MimecastImpersonationResult(
                        result.String("impersonationDomainSource"),
                        result.String("similarDomain"),
                        result.String("stringSimilarToDomain"),
                        result.String("checkerResult")));
                }
            }
        }

        return new MimecastImpersonationLog(
            eventTime,
            r.String("id"),
            r.String("senderAddress"),
            r.String("recipientAddress"),
            r.String("subject"),
            r.String("definition"),
            r.Int("hits"),
            r.Strings("identifiers"),
            r.String("action"),
            r.Bool("taggedExternal"),
            r.Bool("taggedMalicious"),
            r.String("senderIpAddress"),
            r.String("messageId"),
            results);
    }

    public static MimecastManagedUrl? ManagedUrl(JsonElement element)
    {
        var r = new JsonFields(element);
        if (r.String("id") is not string id || id.Length == 0)
        {
            return null;
        }

        return new MimecastManagedUrl(
            id,
            r.String("scheme"),
            r.String("domain"),
            r.Int("port"),
            r.String("path"),
            r.String("queryString"),
            r.String("matchType"),
            r.String("action"),
            r.String("comment"),
            r.Bool("disableUserAwareness"),
            r.Bool("disableRewrite"),
            r.Bool("disableLogClick"));
    }

    public static MimecastManagedSender? ManagedSender(JsonElement element)
    {
        var r = new JsonFields(element);
        if (r.String("id") is not string id || id.Length == 0 || r.String("sender") is not string sender || r.String("to") is not string to)
        {
            return null;
        }

        return new MimecastManagedSender(id, sender, to, r.String("type"));
    }

    public static MimecastProfileGroup? ProfileGroup(JsonElement element)
    {
        var r = new JsonFields(element);
        if (r.String("id") is not string id || id.Length == 0 || r.String("description") is not string description)
        {
            return null;
        }

        return new MimecastProfileGroup(id, description, r.String("source"), r.String("parentId"), r.Int("userCount"), r.Int("folderCount"));
    }

    public static MimecastGroupMember GroupMember(JsonElement element)
    {
        var r = new JsonFields(element);
        return new MimecastGroupMember(r.String("id"), r.String("folderId"), r.String("emailAddress"), r.String("domain"), r.Bool("internal"));
    }

    /// <summary><c>tagMap</c>: scanner name → detail name → strings (e.g. <c>UrlReputationScan.Status</c>).</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> TagMap(JsonFields? tagMap)
    {
        var map = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>(StringComparer.Ordinal);
        if (tagMap is not JsonFields scanners)
        {
            return map;
        }

        foreach (JsonProperty scanner in scanners.Element.EnumerateObject())
        {
            var details = new JsonFields(scanner.Value);
            if (!details.IsObject)
            {
                continue;
            }

            var entries = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (JsonProperty detail in scanner.Value.EnumerateObject())
            {
                entries[detail.Name] = details.Strings(detail.Name);
            }

            map[scanner.Name] = entries;
        }

        return map;
    }
}
