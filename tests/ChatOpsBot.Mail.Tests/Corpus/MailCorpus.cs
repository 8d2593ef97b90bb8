using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Mail.Tests.Corpus;

/// <summary>The read-only mail corpus in ../shared/corpus/mail: every file that is not an expectation or a licence.</summary>
internal static class MailCorpus
{
    public static string Root => SharedFolder.PathTo("corpus/mail");

    public static IReadOnlyList<string> Messages() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".json", StringComparison.Ordinal)
                && Path.GetFileName(f) is not ("LICENSE" or "COPYING" or ".gitattributes" or "MIT.txt" or "Apache-2.0.txt"))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string Relative(string path) => Path.GetRelativePath(Root, path);
}
