using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ChatOpsBot.Storage.Migrations;

/// <summary>
/// The migrations this build knows: <c>Storage/Migrations/NNNN_name.sql</c>, embedded in the assembly, numbered
/// 1, 2, 3... without gaps. An applied migration is never edited; a change is a new script.
/// </summary>
internal static partial class MigrationCatalog
{
    internal const string ResourcePrefix = "ChatOpsBot.Storage.Migrations.";

    /// <summary>Where a provider's own versions of migrations live: <c>Storage/Migrations/Postgres/NNNN_name.sql</c>.</summary>
    internal const string PostgresResourcePrefix = ResourcePrefix + "Postgres.";

    private static readonly Lazy<IReadOnlyList<Migration>> s_embedded = new(
        () => LoadResources(typeof(MigrationCatalog).Assembly, ResourcePrefix));

    private static readonly Lazy<IReadOnlyList<Migration>> s_postgres = new(
        () => WithOverrides(s_embedded.Value, ReadResources(typeof(MigrationCatalog).Assembly, PostgresResourcePrefix)));

    /// <summary>The shared scripts, as SQLite runs them.</summary>
    public static IReadOnlyList<Migration> Embedded => s_embedded.Value;

    /// <summary>
    /// The migrations <paramref name="provider"/> runs: the shared scripts, with a provider's own version of a migration
    /// where the SQL cannot be shared (same version and name, its own checksum).
    /// </summary>
    public static IReadOnlyList<Migration> For(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => s_embedded.Value,
        StorageProvider.Postgres => s_postgres.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown storage provider."),
    };

    /// <summary>Replaces the migrations of <paramref name="shared"/> that <paramref name="overrideFiles"/> name (same file name).</summary>
    public static IReadOnlyList<Migration> WithOverrides(IReadOnlyList<Migration> shared, IEnumerable<(string FileName, string Text)> overrideFiles)
    {
        ArgumentNullException.ThrowIfNull(shared);
        var result = shared.ToList();
        foreach (Migration replacement in FromFiles(overrideFiles, requireContiguous: false))
        {
            int index = result.FindIndex(migration => migration.Version == replacement.Version);
            if (index < 0 || result[index].Name != replacement.Name)
            {
                throw new InvalidOperationException(
                    $"Provider migration {replacement.Label} does not replace a shared migration of the same version and name.");
            }

            result[index] = replacement;
        }

        return result;
    }

    /// <summary>The dialect tokens a shared script may contain; each provider renders every one of them.</summary>
    public static IReadOnlyCollection<string> DialectTokens { get; } = ["identity_primary_key"];

    public static IReadOnlyList<Migration> LoadResources(Assembly assembly, string prefix) => FromFiles(ReadResources(assembly, prefix));

    private static List<(string FileName, string Text)> ReadResources(Assembly assembly, string prefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var files = new List<(string FileName, string Text)>();
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            // Only this folder: a provider's sub-folder (Postgres.NNNN_name.sql) is read on its own.
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal)
                || resource.AsSpan(prefix.Length, resource.Length - prefix.Length - ".sql".Length).Contains('.'))
            {
                continue;
            }

            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
            files.Add((resource[prefix.Length..], reader.ReadToEnd()));
        }

        return files;
    }

    /// <summary>Builds and checks a catalog from <c>NNNN_name.sql</c> file names and their text.</summary>
    public static IReadOnlyList<Migration> FromFiles(IEnumerable<(string FileName, string Text)> files) => FromFiles(files, requireContiguous: true);

    private static List<Migration> FromFiles(IEnumerable<(string FileName, string Text)> files, bool requireContiguous)
    {
        var migrations = new List<Migration>();
        foreach ((string fileName, string text) in files)
        {
            Match match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Migration '{fileName}' is not named NNNN_lower_snake_name.sql.");
            }

            migrations.Add(Create(int.Parse(match.Groups[1].ValueSpan, provider: null), match.Groups[2].Value, text));
        }

        migrations.Sort((left, right) => left.Version.CompareTo(right.Version));
        for (int index = 0; requireContiguous && index < migrations.Count; index++)
        {
            if (migrations[index].Version != index + 1)
            {
                throw new InvalidOperationException(
                    $"Migrations must be numbered 1, 2, 3... without gaps or repeats; found {migrations[index].Label} where version {index + 1} belongs.");
            }
        }

        return migrations;
    }

    public static Migration Create(int version, string name, string text)
    {
        string script = Normalize(text);
        foreach (Match token in TokenPattern().Matches(script))
        {
            if (!DialectTokens.Contains(token.Groups[1].Value))
            {
                throw new InvalidOperationException($"Migration {version:D4}_{name} uses the unknown dialect token '{token.Value}'.");
            }
        }

        return new Migration(version, name, script, Checksum(script));
    }

    /// <summary>SHA-256 of the script's UTF-8 text, hex: the same on every machine and provider.</summary>
    public static string Checksum(string script) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(script)));

    // A checkout with CRLF line endings or a BOM must not look like an edited migration.
    private static string Normalize(string text) => text.TrimStart('\uFEFF').ReplaceLineEndings("\n");

    [GeneratedRegex(@"^(\d{4})_([a-z0-9]+(?:_[a-z0-9]+)*)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();

    [GeneratedRegex(@"\{\{([^{}]*)\}\}", RegexOptions.CultureInvariant)]
    internal static partial Regex TokenPattern();
}
