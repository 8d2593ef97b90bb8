using System.Text.Json;
using ChatOpsBot.Intake;
using ChatOpsBot.Integrations.Graph;
using ChatOpsBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Tests.Intake;

public sealed class IntakeConfigurationSampleTests
{
    private static JsonDocument Sample() => JsonDocument.Parse(File.ReadAllText(RepositoryFolder.PathTo("appsettings.sample.json")));

    private static JsonElement? Find(JsonElement root, string key)
    {
        JsonElement current = root;
        foreach (string part in key.Split(':'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current;
    }

    [Theory]
    [InlineData(typeof(ReportMailboxOptions), "ReportMailbox")]
    [InlineData(typeof(ReportMailboxTemplates), "ReportMailbox:Templates")]
    [InlineData(typeof(GraphOptions), "ReportMailbox:Graph")]
    [InlineData(typeof(IntakeOptions), "Intake")]
    public void TheSampleListsEverySetting(Type options, string section)
    {
        using JsonDocument sample = Sample();
        IEnumerable<string> names = options.GetProperties()
            .Where(p => p.CanWrite || (p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(IList<>)))
            .Select(p => p.Name);

        foreach (string name in names)
        {
            Find(sample.RootElement, $"{section}:{name}").ShouldNotBeNull($"appsettings.sample.json lacks '{section}:{name}'");
        }
    }

    [Theory]
    [InlineData("ReportMailbox:Graph:ClientSecret")]
    [InlineData("Intake:ApiKey")]
    public void TheSampleSecretsAreEmpty(string key)
    {
        using JsonDocument sample = Sample();

        Find(sample.RootElement, key).ShouldNotBeNull().GetString().ShouldBe(string.Empty);
    }

    [Fact]
    public void TheSampleSettingsPassValidationAndMatchTheDefaults()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddJsonFile(RepositoryFolder.PathTo("appsettings.sample.json")).Build();
        var graph = new GraphOptions();
        configuration.GetSection(ReportMailboxOptions.GraphSectionName).Bind(graph);
        var mailbox = new ReportMailboxOptions();
        configuration.GetSection(ReportMailboxOptions.SectionName).Bind(mailbox);
        var intake = new IntakeOptions();
        configuration.GetSection(IntakeOptions.SectionName).Bind(intake);

        new GraphOptionsValidator(ReportMailboxOptions.GraphSectionName).Validate(null, graph).Succeeded.ShouldBeTrue();
        new ReportMailboxOptionsValidator(Options.Create(graph)).Validate(null, mailbox).Succeeded.ShouldBeTrue();
        new IntakeOptionsValidator().Validate(null, intake).Succeeded.ShouldBeTrue();
        mailbox.Templates.Malicious.ShouldBe(new ReportMailboxTemplates().Malicious);
        graph.RequestTimeout.ShouldBe(new GraphOptions().RequestTimeout);
    }
}
