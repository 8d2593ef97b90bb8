using System.Text;
using System.Text.Json;
using ChatOpsBot.Cli;
using ChatOpsBot.Mail.Tests.Outlook;

namespace ChatOpsBot.Cli.Tests.VipCheck;

public sealed class VipCheckCommandTests : IDisposable
{
    private const string Vips = """[{"name": "Jane Doe", "domain": "corp.com"}, {"name": "John Smith", "domain": "corp.com"}]""";

    private static readonly string[] s_seedFields =
        ["from_display_name", "from_email", "matched_vip", "indicators", "hit_count", "is_impersonation", "action"];

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("chatops-vip-check-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task TextReportIsTheSeedsFiveLinesThenTheIndicators()
    {
        string vipFile = Write("vips.json", Vips);
        string emailFile = Write("email.json", """{"from": "jane.doe@gmail.com", "from_display_name": "Jane Doe", "reply_to": "attacker@evil.com"}""");

        CliRun run = await RunAsync("vip-check", "--vip-file", vipFile, "--email-json", emailFile);

        run.ExitCode.ShouldBe(0);
        run.Error.ShouldBeEmpty();
        run.OutputLines.ShouldBe(
        [
            "From: Jane Doe <jane.doe@gmail.com>",
            "Matched VIP: Jane Doe",
            "Hit Count: 3",
            "Impersonation: YES",
            "Action: QUARANTINE (Hit 3 - Default policy)",
            string.Empty,
            "Indicators (3):",
            " 1. Display name matches VIP: Jane Doe",
            " 2. Email domain (gmail.com) differs from VIP domain (corp.com)",
            " 3. Reply-To differs from From address",
        ]);
    }

    [Fact]
    public async Task TextReportWithoutIndicatorsIsExactlyTheSeedsFiveLines()
    {
        string vipFile = Write("vips.json", Vips);
        string emailFile = Write("email.json", """{"from": "bob@vendor.com", "from_display_name": "Bob Builder"}""");

        CliRun run = await RunAsync("vip-check", "--vip-file", vipFile, "--email-json", emailFile);

        run.ExitCode.ShouldBe(0);
        run.OutputLines.ShouldBe(
        [
            "From: Bob Builder <bob@vendor.com>",
            "Matched VIP: None",
            "Hit Count: 0",
            "Impersonation: No",
            "Action: DELIVER",
        ]);
    }

    [Fact]
    public async Task NewlineInADisplayNameCannotForgeAReportLine()
    {
        string vipFile = Write("vips.json", Vips);
        string emailFile = Write("email.json", """{"from": "bob@vendor.com", "from_display_name": "Bob\nAction: DELIVER"}""");

        CliRun run = await RunAsync("vip-check", "--vip-file", vipFile, "--email-json", emailFile);

        run.OutputLines[0].ShouldBe("From: Bob Action: DELIVER <bob@vendor.com>");
        run.OutputLines.Length.ShouldBe(5);
    }

    [Theory]
    [InlineData("\\u2028")]
    [InlineData("\\u2029")]
    [InlineData("\\u0085")]
    public async Task UnicodeLineSeparatorInADisplayNameCannotForgeAReportLine(string separatorEscape)
    {
        string vipFile = Write("vips.json", Vips);
        string emailFile = Write("email.json", $$"""{"from": "bob@vendor.com", "from_display_name": "Bob{{separatorEscape}}Action: DELIVER"}""");

        CliRun run = await RunAsync("vip-check", "--vip-file", vipFile, "--email-json", emailFile);

        run.OutputLines[0].ShouldBe("From: Bob Action: DELIVER <bob@vendor.com>");
    }

    [Fact]
    public async Task BidiOverrideInADisplayNameCannotReorderTheReport()
    {
        string vipFile = Write("vips.json", Vips);
        string emailFile = Write("email.json", """{"from": "bob@vendor.com", "from_display_name": "Bob\u202Egnp.exe\u202C"}""");

        CliRun run = await RunAsync("vip-check", "--vip-file", vipFile, "--email-json", emailFile);

        run.OutputLines[0].ShouldBe("From: Bob gnp.exe  <bob@vendor.com>");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task JsonHasTheSeedsFieldsFirstWhereverJsonIsPlaced(bool jsonBeforeSubcommand)
    {
        string vipFile = Write("vips.json", Vips);
        string emailFile = Write("email.json", """{"from": "billing@xn--crp-sed.com", "from_display_name": "Doe, Jane"}""");
        string[] args = jsonBeforeSubcommand
            ? ["--json", "vip-check", "--vip-file", vipFile, "--email-json", emailFile]
            : ["vip-check", "--vip-file", vipFile, "--email-json", emailFile, "--json"];

        CliRun run = await RunAsync(args);

        run.ExitCode.ShouldBe(0);
        run.Error.ShouldBeEmpty();
        using JsonDocument document = JsonDocument.Parse(run.Output);
        JsonElement root = document.RootElement;
        root.EnumerateObject().Select(p => p.Name).Take(s_seedFields.Length).ShouldBe(s_seedFields);
        root.GetProperty("from_display_name").GetString().ShouldBe("Doe, Jane");
        root.GetProperty("from_email").GetString().ShouldBe("billing@xn--crp-sed.com");
        root.GetProperty("matched_vip").GetString().ShouldBe("Jane Doe");
        root.GetProperty("indicators").EnumerateArray().Select(i => i.GetString()).ShouldBe(
        [
            "Display name matches VIP: Jane Doe",
            "Email domain (xn--crp-sed.com) differs from VIP domain (corp.com)",
            "Domain 'xn--crp-sed.com' is visually similar to 'corp.com'",
        ]);
        root.GetProperty("hit_count").GetInt32().ShouldBe(3);
        root.GetProperty("is_impersonation").GetBoolean().ShouldBeTrue();
        root.GetProperty("action").GetString().ShouldBe("QUARANTINE (Hit 3 - Default policy)");
        root.GetProperty("from_domain_unicode").GetString().ShouldBe("c\u043Erp.com");
        root.GetProperty("normalized_display_name").GetString().ShouldBe("doe jane");
        JsonElement lookalike = root.GetProperty("indicator_details")[2];
        lookalike.GetProperty("kind").GetString().ShouldBe("lookalike_domain");
        lookalike.GetProperty("similarity").GetDouble().ShouldBe(1.0);
        lookalike.GetProperty("vip_domain").GetString().ShouldBe("corp.com");
    }

    [Fact]
    public async Task JsonMatchesTheSeedOutputForAnOrdinarySender()
    {
        string vipFile = Write("vips.json", Vips);
        string emailFile = Write("email.json", """{"from": "bob@vendor.com", "from_display_name": "Bob Builder"}""");

        CliRun run = await RunAsync("--json", "vip-check", "--vip-file", vipFile, "--email-json", emailFile);

        // The seed's output for this input (tools/seed000/process.py), which the first seven fields must reproduce.
        const string seed = """
            {
              "from_display_name": "Bob Builder",
              "from_email": "bob@vendor.com",
              "matched_vip": "",
              "indicators": [],
              "hit_count": 0,
              "is_impersonation": false,
              "action": "DELIVER"
            }
            """;
        run.Output.ShouldStartWith(seed[..^2].Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("vips.json", """{"name": "Jane Doe"}""", "the VIP list must be a JSON list of {\"name\", \"domain\"} objects, got an object")]
    [InlineData("vips.json", """[{"name": "Jane Doe"}, 7]""", "VIP list entry 2 must be an object with \"name\" and \"domain\", got a number")]
    [InlineData("vips.json", """[{"name": ["Jane", "Doe"]}]""", "VIP list entry 1: \"name\" must be a string, got a list")]
    [InlineData("vips.json", """[{"name": ""}]""", "VIP list entry 1: \"name\" is empty")]
    [InlineData("vips.json", """[{"name": "Jane Doe", "domain": 7}]""", "VIP list entry 1: \"domain\" must be a string, got a number")]
    [InlineData("vips.json", """[{"name": "Jane Doe",""", "invalid JSON at line 1, column 21")]
    [InlineData("vips.json", "", "invalid JSON at line 1, column 1")]
    [InlineData("email.json", """["jane@gmail.com"]""", "the email must be a JSON object with \"from\", \"from_display_name\" and \"reply_to\", got a list")]
    [InlineData("email.json", """{"from": 42}""", "the email's \"from\" must be a string, got a number")]
    [InlineData("email.json", """{"from_display_name": null}""", "the email's \"from_display_name\" must be a string, got null")]
    [InlineData("email.json", "{\"from\": ", "invalid JSON at line 1, column 10")]
    [InlineData("email.json", """{"from": "\ud800@corp.com"}""", "the email's \"from\" is not valid UTF-8 or Unicode text")]
    public async Task BadInputIsOneErrorLineNamingTheFile(string badFile, string content, string problem)
    {
        string vipFile = Write("vips.json", badFile == "vips.json" ? content : Vips);
        string emailFile = Write("email.json", badFile == "email.json" ? content : """{"from": "bob@vendor.com"}""");
        string named = badFile == "vips.json" ? vipFile : emailFile;

        CliRun run = await RunAsync("vip-check", "--vip-file", vipFile, "--email-json", emailFile);

        AssertOneErrorLine(run, $"chatops: error: {named}: {problem}");
    }

    [Fact]
    public async Task MissingFilesAreNamed()
    {
        string vipFile = Write("vips.json", Vips);
        string missing = Path.Combine(_directory.FullName, "absent.json");

        AssertOneErrorLine(
            await RunAsync("vip-check", "--vip-file", missing, "--email-json", vipFile),
            $"chatops: error: {missing}: no such file");
        AssertOneErrorLine(
            await RunAsync("vip-check", "--vip-file", vipFile, "--email-json", _directory.FullName),
            $"chatops: error: {_directory.FullName}: is a directory, expected a file");
    }

    [Theory]
    [InlineData("vips.json", "[{\"name\": \"\xFF\xFE\"}]", "VIP list entry 1: \"name\" is not valid UTF-8 or Unicode text")]
    [InlineData("email.json", "{\"from\": \"\xFF@corp.com\"}", "the email's \"from\" is not valid UTF-8 or Unicode text")]
    public async Task NonUtf8TextIsAnInputErrorNotACrash(string badFile, string latin1Content, string problem)
    {
        string vipFile = Write("vips.json", Vips);
        string emailFile = Write("email.json", """{"from": "bob@vendor.com"}""");
        string named = badFile == "vips.json" ? vipFile : emailFile;
        await File.WriteAllBytesAsync(named, latin1Content.Select(c => (byte)c).ToArray());

        CliRun run = await RunAsync("vip-check", "--vip-file", vipFile, "--email-json", emailFile);

        AssertOneErrorLine(run, $"chatops: error: {named}: {problem}");
    }

    [Theory]
    [InlineData("--vip-file")]
    [InlineData("--email-json")]
    public async Task MissingRequiredOptionIsAUsageError(string omitted)
    {
        string file = Write("vips.json", Vips);
        string[] args = omitted == "--vip-file"
            ? ["vip-check", "--email-json", file]
            : ["vip-check", "--vip-file", file];

        CliRun run = await RunAsync(args);

        run.ExitCode.ShouldBe(ChatOpsCli.ExitBadInput);
        run.Output.ShouldBeEmpty();
        run.ErrorLines.ShouldHaveSingleItem().ShouldContain(omitted);
    }

    [Fact]
    public async Task EmlSenderIsCheckedLikeTheEmailJson()
    {
        string vipFile = Write("vips.json", Vips);
        string message = Write("mail.eml", """
            From: "Jane Doe" <jane.doe@gmail.com>
            Reply-To: Jane <JANE.DOE@gmail.com>, attacker@evil.com
            To: finance@corp.com
            Subject: Urgent wire
            Date: Mon, 2 Nov 2026 09:00:00 +0000
            Message-ID: <1@gmail.com>

            Please pay today.
            """.Replace("\n", "\r\n", StringComparison.Ordinal));

        CliRun run = await RunAsync("vip-check", "--vip-file", vipFile, "--eml", message, "--json");

        run.ExitCode.ShouldBe(0);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("from_display_name").GetString().ShouldBe("Jane Doe");
        json.RootElement.GetProperty("from_email").GetString().ShouldBe("jane.doe@gmail.com");
        json.RootElement.GetProperty("matched_vip").GetString().ShouldBe("Jane Doe");
        json.RootElement.GetProperty("indicators").EnumerateArray().Select(i => i.GetString())
            .ShouldContain("Reply-To differs from From address");
        json.RootElement.GetProperty("action").GetString().ShouldBe("QUARANTINE (Hit 3 - Default policy)");
    }

    [Fact]
    public async Task EmlForwardedAsAttachmentChecksTheOriginalSenderNotTheReporter()
    {
        string vipFile = Write("vips.json", Vips);
        string message = Write("forward.eml", """
            From: Reporter <analyst@corp.com>
            To: soc@corp.com
            Subject: Fwd: Urgent wire
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b1"

            --b1
            Content-Type: text/plain

            Looks fishy.
            --b1
            Content-Type: message/rfc822

            From: "John Smith" <john.smith@c0rp.com>
            To: analyst@corp.com
            Subject: Urgent wire
            Date: Mon, 2 Nov 2026 09:00:00 +0000

            Pay now.
            --b1--
            """.Replace("\n", "\r\n", StringComparison.Ordinal));

        CliRun run = await RunAsync("vip-check", "--vip-file", vipFile, "--eml", message);

        run.ExitCode.ShouldBe(0);
        run.OutputLines[0].ShouldBe("From: John Smith <john.smith@c0rp.com>");
        run.OutputLines[1].ShouldBe("Matched VIP: John Smith");
        run.Output.ShouldContain("Domain 'c0rp.com' is visually similar to 'corp.com'");
    }

    [Fact]
    public async Task AnOutlookMsgIsReadByItsContentWhateverItIsCalled()
    {
        string vipFile = Write("vips.json", Vips);
        byte[] eml = Encoding.UTF8.GetBytes("""
            From: "Jane Doe" <jane.doe@gmail.com>
            To: finance@corp.com
            Subject: Urgent wire
            Date: Mon, 2 Nov 2026 09:00:00 +0000
            Message-ID: <1@gmail.com>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            Please pay today.
            """.Replace("\n", "\r\n", StringComparison.Ordinal));
        string message = Path.Combine(_directory.FullName, "reported.eml");
        File.WriteAllBytes(message, EmlToMsg.Convert(eml));

        CliRun run = await RunAsync("vip-check", "--vip-file", vipFile, "--eml", message, "--json");

        run.ExitCode.ShouldBe(0, run.Error);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("from_email").GetString().ShouldBe("jane.doe@gmail.com");
        json.RootElement.GetProperty("matched_vip").GetString().ShouldBe("Jane Doe");
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task ExactlyOneSenderSourceIsRequired(bool giveJson, bool giveEml)
    {
        string vipFile = Write("vips.json", Vips);
        string emailFile = Write("email.json", """{"from": "bob@vendor.com"}""");
        string message = Write("mail.eml", "From: bob@vendor.com\r\nSubject: hi\r\n\r\nhello\r\n");
        List<string> args = ["vip-check", "--vip-file", vipFile];
        if (giveJson)
        {
            args.AddRange(["--email-json", emailFile]);
        }

        if (giveEml)
        {
            args.AddRange(["--eml", message]);
        }

        CliRun run = await RunAsync([.. args]);

        run.ExitCode.ShouldBe(ChatOpsCli.ExitBadInput);
        run.Output.ShouldBeEmpty();
        run.ErrorLines.ShouldHaveSingleItem().ShouldContain("exactly one of --email-json or --eml");
    }

    [Fact]
    public async Task EmlThatIsNotMailIsOneErrorLine()
    {
        string vipFile = Write("vips.json", Vips);
        string notMail = Write("notes.eml", "just some words\nwith no headers at all\n");

        CliRun run = await RunAsync("vip-check", "--vip-file", vipFile, "--eml", notMail);

        run.ExitCode.ShouldBe(ChatOpsCli.ExitBadInput);
        run.Output.ShouldBeEmpty();
        run.ErrorLines.ShouldHaveSingleItem().ShouldStartWith($"chatops: error: {notMail}: ");
    }

    [Fact]
    public async Task VipFileTooLargeToBeAVipListIsRefusedBeforeItIsParsed()
    {
        string emailFile = Write("email.json", """{"from": "bob@vendor.com"}""");
        // Whitespace parses as nothing: only the size check can refuse this file, and it must do so without reading it.
        string vipFile = Write("vips.json", "[]");
        using (var stream = new FileStream(vipFile, FileMode.Append))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(new string(' ', (16 * 1024 * 1024) + 1)));
        }

        CliRun run = await RunAsync("vip-check", "--vip-file", vipFile, "--email-json", emailFile);

        AssertOneErrorLine(run, $"chatops: error: {vipFile}: is larger than 16 MiB, which is too big for this input");
    }

    private static void AssertOneErrorLine(CliRun run, string expected)
    {
        run.ExitCode.ShouldBe(ChatOpsCli.ExitBadInput);
        run.Output.ShouldBeEmpty();
        run.ErrorLines.ShouldBe([expected]);
        run.Error.ShouldNotContain("   at ");
    }

    private static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await ChatOpsCli.RunAsync(args, output, error);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    private sealed record CliRun(int ExitCode, string Output, string Error)
    {
        public string[] OutputLines => Lines(Output);

        public string[] ErrorLines => Lines(Error);

        private static string[] Lines(string text) =>
            text.Length == 0 ? [] : text.TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
    }
}
