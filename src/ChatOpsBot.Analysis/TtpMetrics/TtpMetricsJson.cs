using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>
/// Writes <see cref="TtpMetricsResult"/> as <c>JsonSerializer</c> with <see cref="SeedJson.Options"/> would (the same
/// names, order and formatting), but without reflection, which matters for a CLI whose whole run is a few hundred ms.
/// </summary>
public static class TtpMetricsJson
{
    public static string Serialize(TtpMetricsResult metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var buffer = new ArrayBufferWriter<byte>(4096);
        // The same settings as SeedJson.Options, without building a JsonSerializerOptions (start-up time).
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            IndentSize = 2,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            Write(writer, metrics);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Write(Utf8JsonWriter writer, TtpMetricsResult metrics)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(metrics);

        writer.WriteStartObject();
        writer.WriteNumber("total_emails"u8, metrics.TotalEmails);
        writer.WriteNumber("url_threats_blocked"u8, metrics.UrlThreatsBlocked);
        writer.WriteNumber("attachment_threats_blocked"u8, metrics.AttachmentThreatsBlocked);
        writer.WriteNumber("impersonation_detected"u8, metrics.ImpersonationDetected);
        writer.WriteNumber("internal_threats"u8, metrics.InternalThreats);

        writer.WriteStartObject("top_threat_types"u8);
        foreach (KeyValuePair<string, long> threatType in metrics.TopThreatTypes)
        {
            writer.WriteNumber(threatType.Key, threatType.Value);
        }

        writer.WriteEndObject();

        writer.WriteStartArray("top_targeted_users"u8);
        foreach (TargetedUser user in metrics.TopTargetedUsers)
        {
            writer.WriteStartObject();
            writer.WriteString("user"u8, user.User);
            writer.WriteNumber("threat_count"u8, user.ThreatCount);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartObject("daily_stats"u8);
        foreach (KeyValuePair<string, DailyStats> day in metrics.DailyStats)
        {
            writer.WriteStartObject(day.Key);
            writer.WriteNumber("total"u8, day.Value.Total);
            writer.WriteNumber("threats"u8, day.Value.Threats);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();

        writer.WriteStartArray("attack_techniques"u8);
        foreach (AttackTechniqueCount technique in metrics.AttackTechniques)
        {
            writer.WriteStartObject();
            writer.WriteString("threat_id"u8, technique.ThreatId);
            writer.WriteString("threat_name"u8, technique.ThreatName);
            writer.WriteNumber("count"u8, technique.Count);
            writer.WriteStartObject("alert_types"u8);
            foreach (KeyValuePair<string, long> alertType in technique.AlertTypes)
            {
                writer.WriteNumber(alertType.Key, alertType.Value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartObject("record_sources"u8);
        writer.WriteNumber("seed_entries"u8, metrics.RecordSources.SeedEntries);
        writer.WriteNumber("url_click_logs"u8, metrics.RecordSources.UrlClickLogs);
        writer.WriteNumber("attachment_logs"u8, metrics.RecordSources.AttachmentLogs);
        writer.WriteNumber("impersonation_logs"u8, metrics.RecordSources.ImpersonationLogs);
        writer.WriteEndObject();

        writer.WriteEndObject();
    }
}
