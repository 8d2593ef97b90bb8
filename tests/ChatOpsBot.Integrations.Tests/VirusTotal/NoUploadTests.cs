using System.Net.Http.Json;
using System.Reflection;
using System.Reflection.Emit;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Integrations.Tests.Support;
using ChatOpsBot.Integrations.VirusTotal;

namespace ChatOpsBot.Integrations.Tests.VirusTotal;

/// <summary>
/// Mail may be confidential: the bot looks hashes and URLs up, and never uploads a file or submits a URL to VirusTotal.
/// Two independent proofs: every lookup kind against a fake that flags anything but a bodiless GET, and a scan of the
/// compiled VirusTotal code for any way to send a request body or use another HTTP method.
/// </summary>
public sealed class NoUploadTests
{
    private static readonly (Type Type, string Member)[] s_forbidden =
    [
        (typeof(HttpMethod), "get_Post"),
        (typeof(HttpMethod), "get_Put"),
        (typeof(HttpMethod), "get_Patch"),
        (typeof(HttpMethod), "get_Delete"),
        (typeof(HttpMethod), ".ctor"),
        (typeof(HttpClient), "PostAsync"),
        (typeof(HttpClient), "PutAsync"),
        (typeof(HttpClient), "PatchAsync"),
        (typeof(HttpClient), "DeleteAsync"),
        (typeof(HttpClientJsonExtensions), "PostAsJsonAsync"),
        (typeof(HttpClientJsonExtensions), "PutAsJsonAsync"),
        (typeof(HttpClientJsonExtensions), "PatchAsJsonAsync"),
        (typeof(HttpRequestMessage), "set_Content"),
        (typeof(HttpRequestMessage), "set_Method"),
        (typeof(MultipartFormDataContent), ".ctor"),
        (typeof(StreamContent), ".ctor"),
        (typeof(ByteArrayContent), ".ctor"),
        (typeof(StringContent), ".ctor"),
        (typeof(FormUrlEncodedContent), ".ctor"),
        (typeof(JsonContent), "Create"),
    ];

    [Fact]
    public async Task EveryLookupKindIsABodilessGet()
    {
        await using FakeVirusTotalServer fake = await FakeVirusTotalServer.StartAsync();
        fake.AddFile("168dde02cf41aed3bf31ad831b75d8ee0b738304baa6957c40e29b2487f15116", 1);
        using IntegrationHost host = IntegrationHost.ForVirusTotal(fake);

        await host.Reputation.LookupAsync(
            [
                ReputationQuery.FileHash("168dde02cf41aed3bf31ad831b75d8ee0b738304baa6957c40e29b2487f15116"),
                ReputationQuery.Url("https://unknown.example/confidential?invoice=42"),
                ReputationQuery.Domain("unknown.example"),
                ReputationQuery.IpAddress("198.51.99.1"),
                ReputationQuery.IpResolutions("198.51.99.1"),
            ],
            TimeSpan.FromSeconds(20),
            CancellationToken.None);

        fake.Requests.Count.ShouldBe(5);
        fake.Requests.ShouldAllBe(r => r.Method == "GET" && r.Body.Length == 0);
        fake.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task TheFakeCatchesAnUploadAttempt()
    {
        FakeVirusTotalServer fake = await FakeVirusTotalServer.StartAsync();
        using var http = new HttpClient { BaseAddress = fake.BaseUrl };

        using HttpResponseMessage response = await http.PostAsync("files", new ByteArrayContent([1, 2, 3]));

        ((int)response.StatusCode).ShouldBe(405);
        fake.Violations.ShouldHaveSingleItem().ShouldStartWith("POST /api/v3/files");
        await Should.ThrowAsync<InvalidOperationException>(async () => await fake.DisposeAsync());
    }

    [Fact]
    public void TheCompiledVirusTotalCodeHasNoWayToSendABodyOrAnotherMethod()
    {
        Type[] types = typeof(ReputationService).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ReputationService).Namespace || t.FullName!.StartsWith(typeof(ReputationService).Namespace + ".", StringComparison.Ordinal))
            .ToArray();
        types.ShouldContain(t => t.Name == "VirusTotalClient");
        var calls = new List<MethodBase>();
        int methodsScanned = 0;
        foreach (Type type in types)
        {
            foreach (MethodBase method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Cast<MethodBase>()
                .Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)))
            {
                methodsScanned++;
                calls.AddRange(IlReader.CalledMembers(method));
            }
        }

        methodsScanned.ShouldBeGreaterThan(20);
        calls.ShouldContain(m => m.DeclaringType == typeof(HttpMethod) && m.Name == "get_Get", "the scan must see the one GET the client makes");
        calls.ShouldContain(m => m.DeclaringType == typeof(HttpClient) && m.Name == "SendAsync");
        foreach ((Type type, string member) in s_forbidden)
        {
            calls.ShouldNotContain(
                m => m.DeclaringType == type && m.Name == member,
                $"VirusTotal code calls {type.Name}.{member}, which could upload or submit");
        }

        calls.ShouldNotContain(m => m.DeclaringType != null && m.DeclaringType.IsSubclassOf(typeof(HttpContent)) && m.IsConstructor);
    }

    [Fact]
    public void TheIlReaderFindsUploadsWhereThereAreSome()
    {
        MethodInfo uploader = typeof(NoUploadTests).GetMethod(nameof(UploadForTheScannerSelfTest), BindingFlags.NonPublic | BindingFlags.Static)!;

        List<MethodBase> calls = IlReader.CalledMembers(uploader).ToList();

        calls.ShouldContain(m => m.DeclaringType == typeof(HttpMethod) && m.Name == "get_Post");
        calls.ShouldContain(m => m.DeclaringType == typeof(ByteArrayContent) && m.IsConstructor);
        calls.ShouldContain(m => m.DeclaringType == typeof(HttpRequestMessage) && m.Name == "set_Content");
    }

    private static HttpRequestMessage UploadForTheScannerSelfTest() =>
        new(HttpMethod.Post, "files") { Content = new ByteArrayContent([1]) };

    /// <summary>Decodes a method body's IL and resolves the members its call, callvirt, newobj, ldftn and ldtoken
    /// instructions refer to (lambdas and async state machines are compiler-generated types of the same namespace,
    /// so they are scanned too).</summary>
    private static class IlReader
    {
        private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value);

        public static IEnumerable<MethodBase> CalledMembers(MethodBase method)
        {
            byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
            if (il is null)
            {
                yield break;
            }

            int position = 0;
            while (position < il.Length)
            {
                short value = il[position++];
                if (value == 0xFE)
                {
                    value = (short)(0xFE00 | il[position++]);
                }

                OpCode opCode = s_opCodes[value];
                int operandSize = opCode.OperandType switch
                {
                    OperandType.InlineNone => 0,
                    OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                    OperandType.InlineVar => 2,
                    OperandType.InlineI8 or OperandType.InlineR => 8,
                    OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
                    _ => 4,
                };
                if (opCode.OperandType is OperandType.InlineMethod or OperandType.InlineTok)
                {
                    MethodBase? target = null;
                    try
                    {
                        target = method.Module.ResolveMethod(
                            BitConverter.ToInt32(il, position),
                            method.DeclaringType?.GetGenericArguments(),
                            method.IsGenericMethod ? method.GetGenericArguments() : null);
                    }
                    catch (ArgumentException)
                    {
                        // An ldtoken of a type or field, not a method.
                    }

                    if (target is not null)
                    {
                        yield return target;
                    }
                }

                position += operandSize;
            }
        }
    }
}
