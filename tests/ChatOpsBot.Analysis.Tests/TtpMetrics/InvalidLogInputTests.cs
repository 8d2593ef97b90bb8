using System.Text;
using ChatOpsBot.Analysis.TtpMetrics;
using static ChatOpsBot.Analysis.Tests.TtpMetrics.TtpLogs;

namespace ChatOpsBot.Analysis.Tests.TtpMetrics;

/// <summary>Where the seed would crash or print nonsense, one clear error that names the record.</summary>
public sealed class InvalidLogInputTests
{
    [Theory]
    [InlineData("""[{"category": "spam"}, 5]""", "array index 1: expected an object, got a number")]
    [InlineData("""[{"category": "spam"}, "x"]""", "array index 1: expected an object, got a string")]
    [InlineData("""[[{"category": "spam"}]]""", "array index 0: expected an object, got a list")]
    [InlineData("""[{"category": null}]""", "array index 0: category must be a string, got null")]
    [InlineData("""[{"category": "spam"}, {"category": 3}]""", "array index 1: category must be a string, got a number")]
    [InlineData("""[{"category": ["url_threat"]}]""", "array index 0: category must be a string, got a list")]
    [InlineData("""[{"date": 20261101}]""", "array index 0: date must be a string, got a number")]
    [InlineData("""[{"date": null}]""", "array index 0: date must be a string, got null")]
    [InlineData("""[{"recipient": 7}]""", "array index 0: recipient must be a string or null, got a number")]
    [InlineData("""[{"recipient": ["a@x"]}]""", "array index 0: recipient must be a string or null, got a list")]
    [InlineData("""[{"recipient": false}]""", "array index 0: recipient must be a string or null, got a boolean")]
    [InlineData("""[{"recipient": "\ud800@x"}]""", "array index 0: recipient is not valid text")]
    public void NamesTheArrayIndexAndTheProblemOfABadEntry(string json, string expected)
    {
        Error(json).ShouldStartWith(expected);
    }

    [Fact]
    public void NamesTheLineOfABadNdjsonRecord()
    {
        string ndjson = "{\"category\": \"spam\"}\n\n{\"category\": \"spam\"}\r\n{\"category\": {}}\n";

        Error(ndjson).ShouldBe("line 4: category must be a string, got an object");
    }

    [Fact]
    public void NamesTheLineAndColumnOfInvalidJson()
    {
        string message = Error("[\n {\"category\": \"spam\"},\n {\"category\": spam}\n]");

        message.ShouldStartWith("invalid JSON at line 3, column 15 (array index 1):");
    }

    [Theory]
    [InlineData("[{\"category\": \"spam\"}, {\"category\": \"sp", "array index 1: the file ends in the middle of the JSON (truncated export?)")]
    [InlineData("[{\"category\": \"spam\"},", "array index 1: the file ends in the middle of the JSON (truncated export?)")]
    [InlineData("[{\"category\": \"spam\"}", "array index 1: the file ends in the middle of the JSON (truncated export?)")]
    [InlineData("{\"category\": \"spam\"}\n{\"category\": \"spam\"", "line 2: the file ends in the middle of the JSON (truncated export?)")]
    public void ReportsATruncatedFile(string json, string expected)
    {
        Error(json).ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t ")]
    [InlineData("\uFEFF")]
    public void RejectsAnEmptyFile(string json)
    {
        Error(json).ShouldStartWith("the file is empty");
    }

    [Theory]
    [InlineData("5", "'5'")]
    [InlineData("\"logs\"", "'\"'")]
    [InlineData("null", "'n'")]
    public void RejectsATopLevelValueThatIsNeitherArrayNorObject(string json, string start)
    {
        Error(json).ShouldEndWith($"but the file starts with {start}");
    }

    [Theory]
    [InlineData("[{\"category\": \"spam\"}] x")]
    [InlineData("[{\"category\": \"spam\"}] []")]
    [InlineData("[{\"category\": \"spam\"},]")]
    [InlineData("[{\"category\": \"spam\",}]")]
    [InlineData("[{\"category\": \"spam\"} {\"category\": \"spam\"}]")]
    [InlineData("[{\"category\" \"spam\"}]")]
    [InlineData("[{'category': 'spam'}]")]
    [InlineData("[{\"n\": NaN}]")]
    [InlineData("[{\"n\": 01}]")]
    [InlineData("[{\"n\": 1.}]")]
    [InlineData("[{\"n\": tru}]")]
    [InlineData("[{\"s\": \"a\tb\"}]")]
    [InlineData("[{\"s\": \"\\x\"}]")]
    [InlineData("[{\"s\": \"\\u12G4\"}]")]
    [InlineData("[{\"category\": \"spam\"} // comment\n]")]
    [InlineData("{\"category\": \"spam\"}]")]
    public void RejectsWhatIsNotJson(string json)
    {
        Error(json).ShouldStartWith("invalid JSON at line 1");
    }

    [Fact]
    public void RejectsANonObjectNdjsonValue()
    {
        Error("{\"category\": \"spam\"}\n[1]").ShouldBe("line 2: expected a JSON object, got a list");
        Error("{\"category\": \"spam\"} 5").ShouldBe("line 1: expected a JSON object, got a number");
    }

    [Fact]
    public void RejectsInvalidUtf8InAFieldItUses()
    {
        byte[] json = [.. Encoding.UTF8.GetBytes("[{\"category\": \"spam\", \"recipient\": \"a"), 0xFF, .. Encoding.UTF8.GetBytes("@x\"}]")];

        Error(json).ShouldBe("array index 0: recipient is not valid UTF-8");
    }

    [Theory]
    [InlineData("""{"data": [], "fail": [{"key": {"from": "x"}, "errors": [{"code": "err_xyz", "message": "Bad request", "retryable": false}]}]}""", "line 1, fail: Mimecast reported a failure: err_xyz (Bad request)")]
    [InlineData("""{"fail": [{"code": "token_expired", "message": "Token expired"}]}""", "line 1, fail: Mimecast reported a failure: token_expired (Token expired)")]
    [InlineData("""{"fail": [{"code": "unauthorized"}]}""", "line 1, fail: Mimecast reported a failure: unauthorized")]
    [InlineData("""[{"meta": {"status": 200}, "data": [], "fail": []}, {"fail": ["boom"]}]""", "array index 1, fail: Mimecast reported a failure: \"boom\"")]
    public void ReportsAPageWithFailuresWithMimecastsCodeAndMessage(string json, string expected)
    {
        Error(json).ShouldBe(expected);
    }

    [Theory]
    [InlineData("""{"fail": [{"code": "x", "message": "a\nchatops: error: forged\u2028line"}]}""", "line 1, fail: Mimecast reported a failure: x (a chatops: error: forged line)")]
    [InlineData("""{"data": [{"clickLogs": [{"date": "x\r\ny\u0000"}]}]}""", "line 1, data[0].clickLogs[0]: date 'x  y ' is not a timestamp like 2024-11-17T17:02:30+0000")]
    public void QuotesTextFromTheExportOnOneLine(string json, string expected)
    {
        Error(json).ShouldBe(expected);
    }

    [Fact]
    public void CutsALongMimecastFailureShort()
    {
        string message = string.Concat(Enumerable.Repeat("Bad request. ", 10_000));

        string error = Error($$"""{"fail": [{"code": "x", "message": "{{message}}"}]}""");

        error.ShouldStartWith("line 1, fail: Mimecast reported a failure: x (Bad request. Bad request.");
        error.ShouldEndWith("...");
        error.Length.ShouldBeLessThan(400);
    }

    [Theory]
    [InlineData("""{"data": {"clickLogs": []}}""", "line 1: the page's data must be a list, got an object")]
    [InlineData("""{"data": [{"clickLogs": {}}]}""", "line 1, data[0]: clickLogs must be a list, got an object")]
    [InlineData("""{"data": [{"clickLogs": []}, 3]}""", "line 1, data[1]: expected an object, got a number")]
    [InlineData("""{"data": [{"folders": [{"id": "x"}]}]}""", "line 1, data[0]: has no clickLogs, attachmentLogs or impersonationLogs list, so this is not a TTP log page")]
    [InlineData("""{"data": [{"clickLogs": [{"scanResult": 1}]}]}""", "line 1, data[0].clickLogs[0]: scanResult must be a string, got a number")]
    [InlineData("""{"data": [{"clickLogs": [{"date": "x"}, {"date": "yesterday"}]}]}""", "line 1, data[0].clickLogs[0]: date 'x' is not a timestamp like 2024-11-17T17:02:30+0000")]
    [InlineData("""{"data": [{"impersonationLogs": [{"hits": "2"}]}]}""", "line 1, data[0].impersonationLogs[0]: hits must be a whole number of 0 or more, got a string")]
    [InlineData("""{"data": [{"impersonationLogs": [{"hits": 1.5}]}]}""", "line 1, data[0].impersonationLogs[0]: hits must be a whole number of 0 or more, got a number")]
    [InlineData("""{"data": [{"impersonationLogs": [{"taggedMalicious": "yes"}]}]}""", "line 1, data[0].impersonationLogs[0]: taggedMalicious must be true or false, got a string")]
    [InlineData("""{"data": [{"attachmentLogs": [{"recipientAddress": 1}]}]}""", "line 1, data[0].attachmentLogs[0]: recipientAddress must be a string, got a number")]
    [InlineData("""{"data": [{"attachmentLogs": [5]}]}""", "line 1, data[0].attachmentLogs[0]: expected an object, got a number")]
    [InlineData("""{"data": [{"clickLogs": []}]}""" + "\n" + """{"data": [{"clickLogs": [{}, {"date": "2024-02-30T00:00:00Z"}]}]}""", "line 2, data[0].clickLogs[1]: date '2024-02-30T00:00:00Z' is not a timestamp like 2024-11-17T17:02:30+0000")]
    public void NamesThePageAndRecordOfABadMimecastValue(string json, string expected)
    {
        Error(json).ShouldBe(expected);
    }

    [Fact]
    public void RejectsABareRecordWithFieldsOfTwoLogKinds()
    {
        Error("""[{"scanResult": "malicious", "eventTime": "2024-11-17T00:00:00+0000"}]""")
            .ShouldStartWith("array index 0: has fields of more than one Mimecast log kind");
    }

    [Fact]
    public void StopsAtTheDistinctRecipientLimit()
    {
        string json = Array(Entry("d", "spam", "a@x"), Entry("d", "spam", "b@x"), Entry("d", "spam", "a@x"), Entry("d", "spam", "c@x"));

        Analyze(json, new TtpLogLimits(MaxDistinctRecipients: 3)).TopTargetedUsers.Count.ShouldBe(3);
        Error(json, new TtpLogLimits(MaxDistinctRecipients: 2))
            .ShouldBe("array index 3: more than 2 distinct recipients, the limit of this analysis");
    }

    [Fact]
    public void StopsAtTheDistinctDateLimit()
    {
        string json = Array(Entry("2026-11-01"), Entry("2026-11-02"), Entry("2026-11-03"));

        Error(json, new TtpLogLimits(MaxDistinctDates: 2)).ShouldBe("array index 2: more than 2 distinct dates, the limit of this analysis");
    }

    [Fact]
    public void StopsAtTheDistinctKeyBytesLimit()
    {
        string json = Array(Entry("d", "spam", new string('a', 40)), Entry("d", "spam", new string('b', 40)));

        Error(json, new TtpLogLimits(MaxDistinctKeyBytes: 64)).ShouldBe("array index 1: the distinct recipients take more than 64 bytes, the limit of this analysis");
    }

    [Fact]
    public void RejectsARecordLargerThanTheRecordLimit()
    {
        string big = Entry("d", "spam", new string('r', 5000));
        string json = Array(Entry("d", "spam", "a@x"), big);
        var limits = new TtpLogLimits(MaxRecordBytes: 4096, BufferBytes: 1024);

        Error(json, limits).ShouldBe("array index 1: a single record or JSON value is larger than 4 KiB, the limit of this analysis");
        Analyze(json, limits with { MaxRecordBytes = 8192 }).TopTargetedUsers.Count.ShouldBe(2);
    }

    [Fact]
    public void RejectsNestingDeeperThanTheLimit()
    {
        string deep = new string('[', 70) + new string(']', 70);

        Error($"[{{\"extra\": {deep}}}]").ShouldContain("nested deeper than 64 levels");
    }
}
