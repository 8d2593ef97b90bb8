using System.Collections;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Cli.Infrastructure;
using ChatOpsBot.Integrations.VirusTotal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Cli.AnalyzeEmail;

/// <summary>
/// VirusTotal lookups for <c>analyze-email</c>, configured like the bot (<c>VirusTotal:*</c>, from environment
/// variables <c>VirusTotal__ApiKey</c>, ...): only when a key is set, <c>VirusTotal:LookupsEnabled</c> is not false and
/// <c>--no-lookups</c> is not given. The answers are cached for this run only.
/// </summary>
internal sealed class CliReputation : IDisposable
{
    private const string Prefix = VirusTotalOptions.SectionName + "__";

    private readonly ServiceProvider _services;
    private readonly IReputationService _reputation;
    private readonly TimeSpan _deadline;

    private CliReputation(ServiceProvider services, IReputationService reputation, TimeSpan deadline)
    {
        _services = services;
        _reputation = reputation;
        _deadline = deadline;
    }

    /// <summary>The <c>VirusTotal:*</c> settings from the process environment (<c>__</c> stands for <c>:</c>).</summary>
    public static IReadOnlyDictionary<string, string?> FromEnvironment()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                settings[name.Replace("__", ":", StringComparison.Ordinal)] = variable.Value as string;
            }
        }

        return settings;
    }

    /// <summary>Lookups as configured, or null when they are off (no key, disabled).</summary>
    /// <exception cref="CliInputException">A VirusTotal setting is invalid.</exception>
    public static CliReputation? Create(IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddVirusTotalClient(configuration);
        ServiceProvider provider = services.BuildServiceProvider();
        try
        {
            VirusTotalOptions options;
            try
            {
                options = provider.GetRequiredService<IOptions<VirusTotalOptions>>().Value;
            }
            catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException or FormatException)
            {
                throw new CliInputException("VirusTotal settings", ex is OptionsValidationException invalid ? string.Join(" ", invalid.Failures) : ex.Message);
            }

            if (!options.IsConfigured || !options.LookupsEnabled)
            {
                provider.Dispose();
                return null;
            }

            return new CliReputation(provider, provider.GetRequiredService<IReputationService>(), options.AnalysisDeadline);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    public Task<EmailReport> AddAsync(EmailReport report, CancellationToken cancellationToken) =>
        MailReputation.AddAsync(_reputation, report, _deadline, cancellationToken);

    public void Dispose() => _services.Dispose();
}
