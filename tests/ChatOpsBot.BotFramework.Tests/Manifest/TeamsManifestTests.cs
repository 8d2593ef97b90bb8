using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.BotFramework.Tests.Manifest;

public sealed partial class TeamsManifestTests
{
    /// <summary>
    /// The commands the Teams manifest advertises. The lead compares this list with the bot's real command table; keep
    /// the two in step (a command in the manifest that the bot does not know is a broken promise in the Teams UI).
    /// </summary>
    public static readonly string[] ExpectedCommands =
        ["help", "audit", "metrics", "vip", "analyze", "headers", "decode", "block", "whoami", "audit-log", "monitor", "subscribe"];

    /// <summary>The newest manifest schema named by reference A4 (OfficeDev/microsoft-teams-app-schema @ a2a2ebc3).</summary>
    private const string SchemaVersion = "1.29";

    private static readonly string[] s_developerUrls = ["websiteUrl", "privacyUrl", "termsOfUseUrl"];

    private static string Folder => RepositoryFolder.PathTo(Path.Combine("manifest", "teams"));

    private static JsonNode Manifest => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")))!;

    [Fact]
    public void Manifest_uses_the_current_schema_version()
    {
        JsonNode manifest = Manifest;

        manifest["$schema"]!.GetValue<string>().ShouldBe($"https://developer.microsoft.com/json-schemas/teams/v{SchemaVersion}/MicrosoftTeams.schema.json");
        manifest["manifestVersion"]!.GetValue<string>().ShouldBe(SchemaVersion);
        SemanticVersion().IsMatch(manifest["version"]!.GetValue<string>()).ShouldBeTrue();
    }

    [Fact]
    public void Manifest_has_the_required_fields_within_their_limits()
    {
        JsonNode manifest = Manifest;

        manifest["id"]!.GetValue<string>().ShouldBe("{{MICROSOFT_APP_ID}}");
        string shortName = manifest["name"]!["short"]!.GetValue<string>();
        string fullName = manifest["name"]!["full"]!.GetValue<string>();
        shortName.Length.ShouldBeInRange(1, 30);
        fullName.Length.ShouldBeInRange(1, 100);
        fullName.ShouldNotBe(shortName);
        manifest["description"]!["short"]!.GetValue<string>().Length.ShouldBeInRange(1, 80);
        manifest["description"]!["full"]!.GetValue<string>().Length.ShouldBeInRange(1, 4000);
        manifest["developer"]!["name"]!.GetValue<string>().Length.ShouldBeInRange(1, 32);
        foreach (string url in s_developerUrls.Select(k => manifest["developer"]![k]!.GetValue<string>()))
        {
            url.ShouldStartWith("https://");
        }

        AccentColor().IsMatch(manifest["accentColor"]!.GetValue<string>()).ShouldBeTrue();
        manifest["icons"]!["color"]!.GetValue<string>().ShouldBe("color.png");
        manifest["icons"]!["outline"]!.GetValue<string>().ShouldBe("outline.png");
        manifest["validDomains"]!.AsArray().Select(d => d!.GetValue<string>()).ShouldBe(["{{BOT_DOMAIN}}"]);
    }

    [Fact]
    public void The_bot_takes_files_in_every_scope_with_the_app_id_as_bot_id()
    {
        JsonNode bot = Manifest["bots"]!.AsArray().ShouldHaveSingleItem()!;

        bot["botId"]!.GetValue<string>().ShouldBe("{{MICROSOFT_APP_ID}}");
        bot["supportsFiles"]!.GetValue<bool>().ShouldBeTrue();
        bot["scopes"]!.AsArray().Select(s => s!.GetValue<string>()).ShouldBe(["personal", "team", "groupChat"], ignoreOrder: true);
    }

    [Fact]
    public void The_command_list_is_exactly_the_expected_commands_with_short_descriptions()
    {
        JsonArray lists = Manifest["bots"]![0]!["commandLists"]!.AsArray();
        lists.Count.ShouldBeInRange(1, 3);

        foreach (JsonNode? list in lists)
        {
            JsonArray commands = list!["commands"]!.AsArray();
            commands.Count.ShouldBeLessThanOrEqualTo(12);
            commands.Select(c => c!["title"]!.GetValue<string>()).ShouldBe(ExpectedCommands);
            foreach (JsonNode? command in commands)
            {
                command!["title"]!.GetValue<string>().Length.ShouldBeInRange(1, 128);
                command["description"]!.GetValue<string>().Length.ShouldBeInRange(1, 128);
            }

            list["scopes"]!.AsArray().Select(s => s!.GetValue<string>()).ShouldBe(["personal", "team", "groupChat"], ignoreOrder: true);
        }
    }

    [Fact]
    public void Color_icon_is_an_opaque_192_pixel_square()
    {
        PngImage color = PngImage.Read(Path.Combine(Folder, "color.png"));

        color.Width.ShouldBe(192);
        color.Height.ShouldBe(192);
        Enumerable.Range(0, 192 * 192).ShouldAllBe(i => color.Pixels[(i * 4) + 3] == 255);
    }

    [Fact]
    public void Outline_icon_is_32_pixels_white_on_transparent()
    {
        PngImage outline = PngImage.Read(Path.Combine(Folder, "outline.png"));

        outline.Width.ShouldBe(32);
        outline.Height.ShouldBe(32);
        outline.ColorType.ShouldBe(6);
        outline[0, 0].A.ShouldBe((byte)0);
        outline[31, 31].A.ShouldBe((byte)0);
        int drawn = 0;
        for (int y = 0; y < 32; y++)
        {
            for (int x = 0; x < 32; x++)
            {
                (byte r, byte g, byte b, byte a) = outline[x, y];
                if (a > 0)
                {
                    (r, g, b).ShouldBe(((byte)255, (byte)255, (byte)255), $"pixel {x},{y} is not white");
                    drawn++;
                }
            }
        }

        drawn.ShouldBeInRange(50, 32 * 32 / 2);
    }

    [ToolFact("bash", "zip|python3")]
    public void Package_script_fills_in_the_app_id_and_domain_and_zips_flat()
    {
        string output = Path.Combine(Path.GetTempPath(), $"teams-{Guid.NewGuid():N}.zip");
        try
        {
            (int exitCode, string stdout, string stderr) = RunScript(output, "3738FE3D-BCA2-479D-8E45-1660DE89EE41", "chatops.contoso.com");

            exitCode.ShouldBe(0, stderr);
            stdout.Trim().ShouldBe(output);
            using ZipArchive zip = ZipFile.OpenRead(output);
            zip.Entries.Select(e => e.FullName).ShouldBe(["manifest.json", "color.png", "outline.png"], ignoreOrder: true);
            using Stream stream = zip.GetEntry("manifest.json")!.Open();
            JsonNode manifest = JsonNode.Parse(stream)!;
            manifest["id"]!.GetValue<string>().ShouldBe("3738fe3d-bca2-479d-8e45-1660de89ee41");
            manifest["bots"]![0]!["botId"]!.GetValue<string>().ShouldBe("3738fe3d-bca2-479d-8e45-1660de89ee41");
            manifest["validDomains"]![0]!.GetValue<string>().ShouldBe("chatops.contoso.com");
            manifest["developer"]!["privacyUrl"]!.GetValue<string>().ShouldBe("https://chatops.contoso.com/privacy");
            manifest.ToJsonString().ShouldNotContain("{{");
        }
        finally
        {
            File.Delete(output);
        }
    }

    [ToolTheory("bash")]
    [InlineData("not-a-guid", "chatops.contoso.com", "APP_ID must be")]
    [InlineData("3738fe3d-bca2-479d-8e45-1660de89ee41\"}", "chatops.contoso.com", "APP_ID must be")]
    [InlineData("00000000-0000-0000-0000-000000000000", "chatops.contoso.com", "APP_ID must be")]
    [InlineData("3738fe3d-bca2-479d-8e45-1660de89ee41", "", "set BOT_DOMAIN")]
    [InlineData("3738fe3d-bca2-479d-8e45-1660de89ee41", "evil.example/\",\"x", "set BOT_DOMAIN")]
    public void Package_script_refuses_bad_input_and_writes_nothing(string appId, string domain, string expected)
    {
        string output = Path.Combine(Path.GetTempPath(), $"teams-{Guid.NewGuid():N}.zip");

        (int exitCode, _, string stderr) = RunScript(output, appId, domain);

        exitCode.ShouldBe(2);
        stderr.ShouldContain(expected);
        File.Exists(output).ShouldBeFalse();
    }

    private static (int ExitCode, string Stdout, string Stderr) RunScript(string output, string appId, string domain)
    {
        ProcessStartInfo start = new("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepositoryFolder.PathTo(Path.Combine("scripts", "teams-package.sh")));
        start.ArgumentList.Add(appId);
        start.ArgumentList.Add(output);
        start.Environment["BOT_DOMAIN"] = domain;
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [GeneratedRegex("^[0-9]+\\.[0-9]+\\.[0-9]+$")]
    private static partial Regex SemanticVersion();

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex AccentColor();
}
