using System.Diagnostics;
using System.Text.Json.Nodes;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Cli.Tests.AuditConfig;

/// <summary>
/// Random configs, including the seed's odd-but-defined cases (null flags, case variants, VIP lists of mixed
/// entries, unknown keys), through both the seed program and <c>chatops</c>: same JSON fields and same text report.
/// </summary>
public sealed class AuditConfigSeedCrossCheckTests : IDisposable
{
    private const int ConfigCount = 400;

    // Imports the seed program and prints its audit_config result both ways; the text branch is the seed's own
    // (seeds/000_*.txt, main()), which the runnable copy in tools/seed000 leaves out.
    private const string SeedDriver = """
        import dataclasses, importlib.util, io, json, sys
        from contextlib import redirect_stdout

        spec = importlib.util.spec_from_file_location("seed000", sys.argv[1])
        seed = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(seed)
        with open(sys.argv[2], encoding="utf-8") as f:
            configs = json.load(f)
        outputs = []
        for config in configs:
            result = seed.audit_config(config)
            text = io.StringIO()
            with redirect_stdout(text):
                print(f"TTP Configuration Score: {result.score}/{result.max_score}")
                print(f"URL Protect: {'Enabled' if result.url_protect_enabled else 'DISABLED'}")
                print(f"Attachment Protect: {'Enabled' if result.attachment_protect_enabled else 'DISABLED'}")
                print(f"Impersonation Protect: {'Enabled' if result.impersonation_protect_enabled else 'DISABLED'}")
                print(f"Internal Email Protect: {'Enabled' if result.internal_email_protect else 'DISABLED'}")
                if result.findings:
                    print(f"\nFindings ({len(result.findings)}):")
                    for i, f_item in enumerate(result.findings, 1):
                        print(f"  {i}. {f_item}")
            outputs.append({"json": json.loads(json.dumps(dataclasses.asdict(result), indent=2)), "text": text.getvalue()})
        with open(sys.argv[3], "w", encoding="utf-8") as f:
            json.dump(outputs, f)
        """;

    private static readonly string?[] s_sandboxModes =
        ["dynamic", "safe_file", "none", "", "Dynamic", "SAFE_FILE", "static", "dynamic ", "safe-file", "pre_emptive", "dynamické", null];

    private readonly AuditConfigCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [SeedPythonFact]
    public async Task ChatopsAgreesWithTheSeedProgramOnRandomConfigs()
    {
        var random = new Random(20260601);
        List<JsonObject> configs = [new JsonObject(), .. Enumerable.Range(0, ConfigCount).Select(_ => RandomConfig(random))];
        string configsPath = _cli.WriteConfig(new JsonArray([.. configs]).ToJsonString());
        string driverPath = _cli.WriteConfig(SeedDriver);
        string seedOutputPath = configsPath + ".seed.json";

        await RunPythonAsync(driverPath, SharedFolder.PathTo("tools/seed000/process.py"), configsPath, seedOutputPath);
        JsonArray seedOutputs = JsonNode.Parse(await File.ReadAllTextAsync(seedOutputPath))!.AsArray();

        seedOutputs.Count.ShouldBe(configs.Count);
        for (int i = 0; i < configs.Count; i++)
        {
            string config = configs[i].ToJsonString();
            string path = _cli.WriteConfig(config);
            JsonObject seedJson = seedOutputs[i]!["json"]!.AsObject();
            string seedText = seedOutputs[i]!["text"]!.GetValue<string>();

            CliRun json = await AuditConfigCli.RunAsync("--json", "audit-config", "--config-file", path);
            CliRun text = await AuditConfigCli.RunAsync("audit-config", "--config-file", path);

            json.ExitCode.ShouldBe(0, config);
            JsonObject ours = JsonNode.Parse(json.Stdout)!.AsObject();
            ours.Select(p => p.Key).Take(seedJson.Count).ShouldBe(seedJson.Select(p => p.Key), config);
            foreach ((string key, JsonNode? value) in seedJson)
            {
                JsonNode.DeepEquals(ours[key], value).ShouldBeTrue($"{key} for {config}: seed {value?.ToJsonString()}, ours {ours[key]?.ToJsonString()}");
            }

            string ourText = text.Stdout.ReplaceLineEndings("\n");
            ourText.ShouldStartWith(seedText, customMessage: config);
            string appended = ourText[seedText.Length..];
            (appended.Length == 0 || appended.StartsWith("\nRemediation:\n", StringComparison.Ordinal)).ShouldBeTrue(config);
        }
    }

    private static JsonObject RandomConfig(Random random)
    {
        var config = new JsonObject();
        if (random.Next(5) > 0)
        {
            config["url_protect"] = Section(random, ("enabled", Flag), ("rewriting", Flag), ("predelivery_hold", Flag));
        }

        if (random.Next(5) > 0)
        {
            config["attachment_protect"] = Section(random, ("enabled", Flag), ("sandbox_mode", r => s_sandboxModes[r.Next(s_sandboxModes.Length)]));
        }

        if (random.Next(5) > 0)
        {
            config["impersonation_protect"] = Section(random, ("enabled", Flag), ("vip_list", VipList));
        }

        if (random.Next(5) > 0)
        {
            config["internal_email_protect"] = Section(random, ("enabled", Flag));
        }

        if (random.Next(8) == 0)
        {
            config["exported_by"] = "policy-export 1.2";
        }

        return config;
    }

    private static JsonObject Section(Random random, params (string Key, Func<Random, JsonNode?> Value)[] keys)
    {
        var section = new JsonObject();
        foreach ((string key, Func<Random, JsonNode?> value) in keys)
        {
            if (random.Next(6) > 0)
            {
                section[key] = value(random);
            }
        }

        if (random.Next(10) == 0)
        {
            section["notes"] = new JsonArray(1, "two");
        }

        return section;
    }

    private static JsonValue? Flag(Random random) => random.Next(7) switch
    {
        0 => null,
        < 4 => JsonValue.Create(true),
        _ => JsonValue.Create(false),
    };

    private static JsonArray VipList(Random random)
    {
        var vips = new JsonArray();
        int count = random.Next(13);
        for (int i = 0; i < count; i++)
        {
            vips.Add(random.Next(6) switch
            {
                0 => null,
                1 => JsonValue.Create(i),
                2 => new JsonObject { ["name"] = $"VIP {i}", ["domain"] = "corp.example" },
                _ => JsonValue.Create($"vip{i}@corp.example"),
            });
        }

        return vips;
    }

    private static async Task RunPythonAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(SeedPythonFactAttribute.Python3!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process python = Process.Start(start)!;
        Task<string> stdout = python.StandardOutput.ReadToEndAsync();
        Task<string> stderr = python.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await python.WaitForExitAsync(timeout.Token);
        python.ExitCode.ShouldBe(0, $"seed driver failed: {await stderr}{await stdout}");
    }
}
