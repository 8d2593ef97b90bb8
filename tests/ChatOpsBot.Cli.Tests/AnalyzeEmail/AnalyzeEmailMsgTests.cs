using System.Text;
using System.Text.Json;
using ChatOpsBot.Cli.AnalyzeEmail;
using ChatOpsBot.Mail.Tests.Outlook;

namespace ChatOpsBot.Cli.Tests.AnalyzeEmail;

/// <summary><c>analyze-email</c> on Outlook .msg files: detected by content, analysed like the .eml they hold.</summary>
public sealed class AnalyzeEmailMsgTests : IDisposable
{
    private const string Phish =
        "Received: from relay.evil.test (relay.evil.test [203.0.113.66]) by mx.corp.test with ESMTP id 99; Tue, 9 Jan 2024 10:00:05 +0000\r\n" +
        "Authentication-Results: mx.corp.test; spf=fail smtp.mailfrom=evil.test; dmarc=fail header.from=corp.test\r\n" +
        "From: \"IT Helpdesk\" <helpdesk@corp.test>\r\nReply-To: helpdesk@evil.test\r\nTo: alice@corp.test\r\n" +
        "Subject: Password expires\r\nDate: Tue, 9 Jan 2024 10:00:00 +0000\r\nMessage-ID: <p1@evil.test>\r\n" +
        "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
        "<p>Keep it: <a href=\"https://login.evil.test/o365\">https://login.microsoftonline.com/</a></p>\r\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("analyze-msg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string relative, byte[] content)
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await ChatOpsCli.RunAsync(args, output, error, () => new Dictionary<string, string?>());
        return (exit, output.ToString(), error.ToString());
    }

    private static JsonElement WithoutRawHeaders(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var copy = document.RootElement.EnumerateObject()
            .Where(p => p.Name is not ("raw_headers" or "file" or "defects"))
            .ToDictionary(p => p.Name, p => p.Value.Clone());
        return JsonSerializer.SerializeToElement(copy);
    }

    [Fact]
    public async Task AMsgGivesTheSameJsonReportAsTheEmlApartFromTheRawHeaders()
    {
        string eml = Write("phish.eml", Encoding.UTF8.GetBytes(Phish));
        string msg = Write("phish.msg", EmlToMsg.Convert(Encoding.UTF8.GetBytes(Phish)));

        (int emlExit, string emlJson, _) = await Run("analyze-email", "--file", eml, "--json", "--no-lookups");
        (int msgExit, string msgJson, string error) = await Run("analyze-email", "--file", msg, "--json", "--no-lookups");

        emlExit.ShouldBe(0);
        msgExit.ShouldBe(0, error);
        JsonElement fromMsg = WithoutRawHeaders(msgJson);
        fromMsg.GetProperty("verdict").GetString().ShouldBe("malicious");
        JsonSerializer.Serialize(fromMsg).ShouldBe(JsonSerializer.Serialize(WithoutRawHeaders(emlJson)));
    }

    [Fact]
    public async Task TheFormatIsToldByContentNotByTheFileName()
    {
        string disguised = Write("report.dat", EmlToMsg.Convert(Encoding.UTF8.GetBytes(Phish), sectorSize: 4096));

        (int exit, string output, string error) = await Run("analyze-email", "--file", disguised);

        exit.ShouldBe(0, error);
        output.ShouldContain("Password expires");
        output.ShouldContain("login[.]evil[.]test");
    }

    [Fact]
    public async Task DirectoryModeIncludesMsgFiles()
    {
        Write("a.eml", Encoding.UTF8.GetBytes(Phish));
        Write("sub/b.MSG", EmlToMsg.Convert(Encoding.UTF8.GetBytes(Phish)));

        (int exit, string output, _) = await Run("analyze-email", "--file", _dir);

        exit.ShouldBe(0);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("file").GetString()).ShouldBe(["a.eml", "sub/b.MSG"]);
        JsonDocument.Parse(lines[1]).RootElement.GetProperty("subject").GetString().ShouldBe("Password expires");
    }

    [Fact]
    public async Task AnOfficeDocumentNamedMsgIsOneErrorLineAndExitTwo()
    {
        byte[] document = CfbWriter.Build(CfbNode.Storage("Root Entry", CfbNode.Stream("WordDocument", new byte[5000])));
        string file = Write("invoice.msg", document);

        (int exit, string output, string error) = await Run("analyze-email", "--file", file);

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.TrimEnd().Split('\n').ShouldHaveSingleItem().ShouldStartWith($"chatops: error: {file}: a compound file (an Office document?) but not an Outlook message");
    }

    [Fact]
    public async Task ATruncatedMsgIsOneErrorLineAndExitTwo()
    {
        byte[] msg = EmlToMsg.Convert(Encoding.UTF8.GetBytes(Phish));
        string file = Write("cut.msg", msg[..300]);

        (int exit, _, string error) = await Run("analyze-email", "--file", file);

        exit.ShouldBe(2);
        error.ShouldContain("truncated");
    }

    [Fact]
    public void OnlyEmlAndMsgNamesAreTakenInDirectoryMode()
    {
        MailInput.IsMessageFileName("x.EML").ShouldBeTrue();
        MailInput.IsMessageFileName("x.msg").ShouldBeTrue();
        MailInput.IsMessageFileName("x.msg.txt").ShouldBeFalse();
    }
}
