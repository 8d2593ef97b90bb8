using System.Text.Json;
using ChatOpsBot.Integrations.Http;

namespace ChatOpsBot.Integrations.Mimecast;

/// <summary>Maps Mimecast's JSON records to the typed records; null when a required field is missing or unreadable.</summary>
internal static class MimecastRecordReader
{
    public static MimecastClickLog? ClickLog(JsonElement element)
    {
        var r = new JsonFields(element);
        if (r.MimecastDate("date") is not DateTimeOffset date || r.String("url") is not string url || r.String("userEmailAddress") is not string user)
        {
            return null;
        }

        return new MimecastClickLog(
            date,
            url,
            user,
            r.String("fromUserEmailAddress"),
            r.String("subject"),
            r.String("action"),
            r.String("actions"),
            r.String("scanResult"),
            r.String("category"),
            r.String("ttpDefinition"),
            r.String("creationMethod"),
            r.String("route"),
            r.String("adminOverride"),
            r.String("userOverride"),
            r.String("userAwarenessAction"),
            r.String("sendingIp"),
            r.String("messageId"),
            r.Strings("emailPartsDescription"),
            TagMap(r.Object("tagMap")));
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
