using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Integrations.Mimecast;

namespace ChatOpsBot.Tests.Alerts;

/// <summary>
/// Stored clicks are deduplicated by fingerprint across runs and upgrades: a fingerprint that changed for the same
/// record would store every click of the overlap window twice. These tests hold the pooled implementation to the
/// original text-then-hash one.
/// </summary>
public sealed class ClickFingerprintTests
{
    private static readonly string[] s_pieces =
    [
        "a", "Z", "0", "@", ":", "|", "-1", " ", "é", "ß", "ı", "İ", "ǅ", "ﬀ", "Ω", "😀", "\uD800", "\uDC00", "\0", "\r\n", "https://", "?q=1&r=2",
        "user@example.com", "Evil.Example", "%41", "\u200B", "\u202E",
    ];

    [Fact]
    public void A_known_record_keeps_its_stored_fingerprint()
    {
        var click = Click(
            new DateTimeOffset(2024, 11, 17, 17, 2, 30, TimeSpan.Zero), "https://evil.example/login?id=7", "Alice@Example.com",
            "<id@example.com>", "User Click", "allow", "clean");

        // Computed independently (len:value| text, UTF-8, SHA-256): fingerprints already in databases look like this.
        StoredClick.FingerprintOf(click).ShouldBe("c1:e107f846a6a653892974dcd0e1afc0ffcea50da49a2f3fe059d7e9ef4f1fd672");
        OriginalFingerprint(click).ShouldBe(StoredClick.FingerprintOf(click));
    }

    [Fact]
    public void Generated_records_get_the_original_fingerprint()
    {
        var random = new Random(20261122);
        for (int i = 0; i < 5_000; i++)
        {
            MimecastClickLog click = Click(
                DateTimeOffset.FromUnixTimeSeconds(random.NextInt64(-62_135_596_800, 253_402_300_799)),
                Text(random, 0, i % 100 == 0 ? 20_000 : 200)!,
                Text(random, 0, 60)!,
                random.Next(4) == 0 ? null : Text(random, 0, 80),
                random.Next(4) == 0 ? null : Text(random, 0, 20),
                random.Next(4) == 0 ? null : Text(random, 0, 10),
                random.Next(4) == 0 ? null : Text(random, 0, 10));

            StoredClick.FingerprintOf(click).ShouldBe(OriginalFingerprint(click), $"record {i}");
        }
    }

    [Fact]
    public void Absent_and_empty_fields_and_moved_separators_give_different_fingerprints()
    {
        DateTimeOffset at = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        string[] fingerprints =
        [
            StoredClick.FingerprintOf(Click(at, "https://a.example/", "u@x", null, "User Click", "allow", "clean")),
            StoredClick.FingerprintOf(Click(at, "https://a.example/", "u@x", "", "User Click", "allow", "clean")),
            StoredClick.FingerprintOf(Click(at, "https://a.example/|", "u@x", "", "User Click", "allow", "clean")),
            StoredClick.FingerprintOf(Click(at, "https://a.example/", "u@x|", "", "User Click", "allow", "clean")),
            StoredClick.FingerprintOf(Click(at, "https://a.example/", "U@X", "", "User Click", "allow", "clean")),
        ];

        fingerprints.Distinct().Count().ShouldBe(4, "only the clicker's case is ignored");
        fingerprints[1].ShouldBe(fingerprints[4]);
    }

    private static MimecastClickLog Click(
        DateTimeOffset date, string url, string user, string? messageId, string? creationMethod, string? action, string? scanResult) =>
        new(date, url, user, null, null, action, null, scanResult, null, null, creationMethod, null, null, null, null, null, messageId, [],
            new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>());

    private static string? Text(Random random, int min, int max)
    {
        int pieces = random.Next(min, max + 1);
        var text = new StringBuilder();
        for (int i = 0; i < pieces; i++)
        {
            text.Append(random.Next(3) == 0 ? s_pieces[random.Next(s_pieces.Length)] : ((char)random.Next(0x20, 0x7F)).ToString());
        }

        return text.ToString();
    }

    /// <summary>The fingerprint as first written (StringBuilder text, UTF-8, SHA-256, hex): the oracle.</summary>
    private static string OriginalFingerprint(MimecastClickLog click)
    {
        var text = new StringBuilder(256);
        Append(text, click.Date.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        Append(text, click.UserEmailAddress.ToUpperInvariant());
        Append(text, click.Url);
        Append(text, click.MessageId);
        Append(text, click.CreationMethod);
        Append(text, click.Action);
        Append(text, click.ScanResult);
        return "c1:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));

        static void Append(StringBuilder text, string? value) =>
            text.Append((value?.Length ?? -1).ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('|');
    }
}
