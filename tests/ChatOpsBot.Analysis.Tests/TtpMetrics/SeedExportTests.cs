using static ChatOpsBot.Analysis.Tests.TtpMetrics.TtpLogs;

namespace ChatOpsBot.Analysis.Tests.TtpMetrics;

/// <summary>The seed's <c>analyze_ttp_logs</c> rules on its own export format, case by case.</summary>
public sealed class SeedExportTests
{
    [Theory]
    [InlineData("url_threat", "url")]
    [InlineData("URL_THREAT", "url")]
    [InlineData("url_blocked", "url")]
    [InlineData("URL_Blocked", "url")]
    [InlineData("attachment_threat", "attachment")]
    [InlineData("Attachment_Threat", "attachment")]
    [InlineData("attachment_blocked", "attachment")]
    [InlineData("ATTACHMENT_BLOCKED", "attachment")]
    [InlineData("impersonation", "impersonation")]
    [InlineData("IMPERSONATION", "impersonation")]
    [InlineData("impersonation_detected", "impersonation")]
    [InlineData("Impersonation_Detected", "impersonation")]
    [InlineData("internal_threat", "internal")]
    [InlineData("INTERNAL_threat", "internal")]
    [InlineData("url_bloc\\u212Aed", "url")]
    [InlineData("attachment_bloc\u212Aed", "attachment")]
    public void CountsEachCategorySpellingCaseInsensitively(string category, string counter)
    {
        var metrics = Analyze(Array(Entry("2026-11-01", category, "a@corp.example")));

        metrics.UrlThreatsBlocked.ShouldBe(counter == "url" ? 1 : 0);
        metrics.AttachmentThreatsBlocked.ShouldBe(counter == "attachment" ? 1 : 0);
        metrics.ImpersonationDetected.ShouldBe(counter == "impersonation" ? 1 : 0);
        metrics.InternalThreats.ShouldBe(counter == "internal" ? 1 : 0);
        Days(metrics).ShouldBe([("2026-11-01", 1L, 1L)]);
    }

    [Theory]
    [InlineData("url threat")]
    [InlineData(" url_threat")]
    [InlineData("url_threats")]
    [InlineData("phishing")]
    [InlineData("spam")]
    [InlineData("")]
    [InlineData("\u0130mpersonation")]
    [InlineData("\u212Alean")]
    public void TreatsAnyOtherCategoryAsNoThreat(string category)
    {
        var metrics = Analyze(Array(Entry("2026-11-01", category, "a@corp.example")));

        (metrics.UrlThreatsBlocked + metrics.AttachmentThreatsBlocked + metrics.ImpersonationDetected + metrics.InternalThreats).ShouldBe(0);
        metrics.TopThreatTypes.ShouldBeEmpty();
        Days(metrics).ShouldBe([("2026-11-01", 1L, 0L)]);
    }

    [Fact]
    public void CountsRecipientsOfEveryCategoryButClean()
    {
        var metrics = Analyze(Array(
            Entry("d", "clean", "clean@x"),
            Entry("d", "CLEAN", "clean-upper@x"),
            Entry("d", "spam", "spam@x"),
            Entry("d", "", "empty@x"),
            Entry("d", null, "missing@x"),
            Entry("d", "url_threat", "threat@x"),
            Entry("d", "\u212Alean", "kelvin-clean@x")));

        Users(metrics).ShouldBe([("spam@x", 1L), ("empty@x", 1L), ("missing@x", 1L), ("threat@x", 1L), ("kelvin-clean@x", 1L)]);
    }

    [Fact]
    public void UsesTheSeedDefaultsForMissingFields()
    {
        var metrics = Analyze("""[{}, {"category": "url_threat"}, {"date": "2026-11-02", "recipient": ""}, {"date": "2026-11-02", "recipient": null}]""");

        metrics.TotalEmails.ShouldBe(4);
        metrics.UrlThreatsBlocked.ShouldBe(1);
        Days(metrics).ShouldBe([("unknown", 2L, 1L), ("2026-11-02", 2L, 0L)]);
        metrics.TopTargetedUsers.ShouldBeEmpty();
    }

    [Fact]
    public void OrdersTiedUsersByWhenTheyWereFirstCountedNotFirstSeen()
    {
        // "first@x" appears first, but with a clean entry that is not counted; "second@x" is counted first.
        var metrics = Analyze(Array(
            Entry("d", "clean", "first@x"),
            Entry("d", "spam", "second@x"),
            Entry("d", "spam", "first@x"),
            Entry("d", "url_threat", "third@x"),
            Entry("d", "url_threat", "third@x")));

        Users(metrics).ShouldBe([("third@x", 2L), ("second@x", 1L), ("first@x", 1L)]);
    }

    [Fact]
    public void OrdersThreatTypesByCountThenByFirstCounted()
    {
        var metrics = Analyze(Array(
            Entry("d", "internal_threat"),
            Entry("d", "impersonation"),
            Entry("d", "url_threat"),
            Entry("d", "url_blocked"),
            Entry("d", "attachment_threat")));

        ThreatTypes(metrics).ShouldBe([("URL Threat", 2L), ("Internal Threat", 1L), ("Impersonation", 1L), ("Attachment Threat", 1L)]);
    }

    [Fact]
    public void KeepsOnlyTheTenMostTargetedUsers()
    {
        var entries = new List<string>();
        for (int user = 0; user < 14; user++)
        {
            for (int hit = 0; hit <= user % 5; hit++)
            {
                entries.Add(Entry("d", "spam", $"u{user}@x"));
            }
        }

        var metrics = Analyze(Array([.. entries]));

        // Counts are 1,2,3,4,5,1,2,...: the 5s, then the 4s, ... each in first-counted order, cut at ten.
        Users(metrics).ShouldBe(
        [
            ("u4@x", 5L), ("u9@x", 5L), ("u3@x", 4L), ("u8@x", 4L), ("u13@x", 4L),
            ("u2@x", 3L), ("u7@x", 3L), ("u12@x", 3L), ("u1@x", 2L), ("u6@x", 2L),
        ]);
    }

    [Fact]
    public void ListsDaysInOrderOfFirstAppearance()
    {
        var metrics = Analyze(Array(
            Entry("2026-11-03", "url_threat"),
            Entry("2026-11-01", "clean"),
            Entry("2026-11-03", "spam"),
            Entry(null, "spam"),
            Entry("2026-11-01", "impersonation")));

        Days(metrics).ShouldBe([("2026-11-03", 2L, 1L), ("2026-11-01", 2L, 1L), ("unknown", 1L, 0L)]);
    }

    [Fact]
    public void ReportsZerosAndEmptyCollectionsForAnEmptyArray()
    {
        var metrics = Analyze("[]");

        metrics.TotalEmails.ShouldBe(0);
        metrics.TopThreatTypes.ShouldBeEmpty();
        metrics.TopTargetedUsers.ShouldBeEmpty();
        metrics.DailyStats.ShouldBeEmpty();
        metrics.AttackTechniques.ShouldBeEmpty();
    }

    [Fact]
    public void LetsTheLastOfDuplicateKeysWinAsPythonDoes()
    {
        var metrics = Analyze("""[{"category": 5, "category": "url_threat", "recipient": "a@x", "recipient": "b@x", "date": "x", "date": "y"}]""");

        metrics.UrlThreatsBlocked.ShouldBe(1);
        Users(metrics).ShouldBe([("b@x", 1L)]);
        Days(metrics).ShouldBe([("y", 1L, 1L)]);
    }

    [Fact]
    public void ReadsEscapedNamesAndValuesAsTheTextTheyEncode()
    {
        var metrics = Analyze("""
            [{"c\u0061tegory": "url_\u0074hreat", "recipient": "a\u0040x", "date": "2026-11-0\u0031"},
             {"category": "spam", "recipient": "a@x", "date": "2026-11-01"},
             {"category": "spam", "recipient": "\ud83d\ude00@x", "date": "2026-11-01"}]
            """);

        metrics.UrlThreatsBlocked.ShouldBe(1);
        Users(metrics).ShouldBe([("a@x", 2L), ("\U0001F600@x", 1L)]);
        Days(metrics).ShouldBe([("2026-11-01", 3L, 1L)]);
    }

    [Fact]
    public void IgnoresExtraFieldsOfAnyShape()
    {
        var metrics = Analyze("""[{"category": "url_threat", "note": {"a": [1, 2.5e3, true, null]}, "tags": ["x"], "score": -0.5}]""");

        metrics.TotalEmails.ShouldBe(1);
        metrics.UrlThreatsBlocked.ShouldBe(1);
        metrics.RecordSources.SeedEntries.ShouldBe(1);
    }

    [Fact]
    public void SkipsAUtf8ByteOrderMark()
    {
        byte[] withBom = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(Array(Entry("d", "url_threat")))];

        Analyze(withBom).UrlThreatsBlocked.ShouldBe(1);
    }
}
