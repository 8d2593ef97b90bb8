using System.Text;
using BenchmarkDotNet.Attributes;
using ChatOpsBot.BotFramework.Authentication;
using ChatOpsBot.BotFramework.Hosting;
using ChatOpsBot.BotFramework.Schema;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOpsBot.Benchmarks.BotFramework;

/// <summary>
/// The inbound hot path minus HTTP: parse one Teams activity and validate its channel token against a cached key set
/// (the key set is fetched once in setup, as it is after the first request of a running bot).
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes them in [GlobalCleanup].")]
public class BotTokenValidationBenchmarks
{
    private BenchmarkBotHost _fakes = null!;
    private BotTokenValidator _validator = null!;
    private HttpClient _http = null!;
    private byte[] _body = null!;
    private string _authorization = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fakes = BenchmarkBotHost.StartAsync(withBotHost: false).GetAwaiter().GetResult();
        _http = new HttpClient();
        _validator = new BotTokenValidator(
            new BotTokenValidationSettings(BenchmarkBotHost.AppId) { BotFrameworkMetadataUrl = _fakes.OpenId.MetadataUrl },
            _http,
            TimeProvider.System,
            NullLogger<BotTokenValidator>.Instance);
        _body = Encoding.UTF8.GetBytes(BenchmarkBotHost.Message("1767765488332"));
        _authorization = "Bearer " + _fakes.Token(DateTimeOffset.UtcNow);
        if (!ParseAndValidate().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The benchmark token does not validate.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _validator.Dispose();
        _http.Dispose();
        _fakes.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public async Task<bool> ParseAndValidate()
    {
        Activity activity = BotFrameworkAdapter.Parse(_body)!;
        TokenValidationOutcome outcome = await _validator.ValidateAsync(_authorization, activity.ChannelId, activity.ServiceUrl, CancellationToken.None);
        return outcome.IsValid;
    }
}
