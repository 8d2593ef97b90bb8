using System.Text.Json;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.TestSupport;
using Xunit.Abstractions;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Report;

/// <summary>Runs the whole analysis over the shared mail corpora (real phishing, parser torture tests).</summary>
public class EmailCorpusTests(ITestOutputHelper output)
{
    private static readonly string[] s_corpora = ["sublime", "eml_analyzer", "mimekit", "stalwart"];

    /// <summary>Message files: .eml everywhere, and MimeKit's .txt messages. Expected-output .json files and licences are not mail.</summary>
    internal static IEnumerable<string> MessageFiles(string corpus) =>
        Directory.EnumerateFiles(SharedFolder.PathTo($"corpus/mail/{corpus}"), "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".eml", StringComparison.OrdinalIgnoreCase)
                || (corpus == "mimekit" && f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal);

    [SharedFolderFact]
    public void EveryCorpusMessageIsAnalysedAndSerialisesWithoutAnEscapingException()
    {
        int analysed = 0;
        var rejected = new List<string>();
        foreach (string corpus in s_corpora)
        {
            foreach (string file in MessageFiles(corpus))
            {
                byte[] bytes = File.ReadAllBytes(file);
                try
                {
                    EmailReport report = EmailAnalyzer.Analyze(bytes);
                    using JsonDocument json = JsonDocument.Parse(EmailReportJson.Serialize(report));
                    json.RootElement.GetProperty("verdict").GetString().ShouldNotBeNullOrEmpty();
                    report.Score.ShouldBeInRange(0, 100);
                    analysed++;
                }
                catch (InvalidInputException ex)
                {
                    // Only a file that really is not a message may be refused (e.g. an mbox fragment without headers).
                    bytes.Length.ShouldBeLessThan(64, $"{file} was refused: {ex.Message}");
                    rejected.Add($"{file}: {ex.Message}");
                }
            }
        }

        output.WriteLine($"analysed {analysed}, refused {rejected.Count}");
        rejected.ForEach(output.WriteLine);
        analysed.ShouldBeGreaterThan(150);
    }

    [SharedFolderFact]
    public void RealPhishingSamplesAreMostlyFlagged()
    {
        var verdicts = MessageFiles("sublime")
            .Select(f => (Name: Path.GetFileName(f), Report: EmailAnalyzer.Analyze(File.ReadAllBytes(f))))
            .ToList();

        foreach ((string name, EmailReport report) in verdicts)
        {
            output.WriteLine($"{name}: {report.Verdict.ToString().ToLowerInvariant()} ({report.Score}) {string.Join(", ", report.Findings.Where(f => f.Severity > FindingSeverity.Info).Select(f => f.Code).Distinct())}");
        }

        string distribution = string.Join(", ", verdicts.GroupBy(v => v.Report.Verdict).OrderBy(g => g.Key).Select(g => $"{g.Key.ToString().ToLowerInvariant()}={g.Count()}"));
        output.WriteLine($"sublime verdict distribution: {distribution}");

        // The look-alike, punycode and brand-impersonation samples carry evidence in the message itself.
        verdicts.Single(v => v.Name == "punycode_robinhood.eml").Report.Verdict.ShouldBe(Verdict.Malicious);
        verdicts.Single(v => v.Name == "fedex_brand_impersonation.eml").Report.Verdict.ShouldBe(Verdict.Malicious);
        verdicts.Count(v => v.Report.Verdict is Verdict.Suspicious or Verdict.Malicious).ShouldBeGreaterThanOrEqualTo(5);
    }
}
