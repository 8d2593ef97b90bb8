using System.Reflection;
using System.Text;

namespace ChatOpsBot.Tests.Scheduling;

/// <summary>
/// Quartz.NET's own schema scripts, read from the Quartz assembly the bot runs with (Quartz 4.x embeds them as
/// <c>Quartz.Impl.AdoJobStore.Schema.create_&lt;dialect&gt;.sql</c>: they are what <c>AdoJobStore</c> provisions
/// itself, and upstream's <c>SchemaScriptTest</c> keeps them equal to <c>database/tables/tables_&lt;dialect&gt;.sql</c>
/// of the same release). Reading them from the package, rather than from a copy, means a Quartz upgrade is compared
/// against the new version's schema automatically.
/// <para>
/// Provenance today: NuGet package Quartz 4.7.0, whose nuspec names repository https://github.com/quartznet/quartznet
/// at commit dac8da0aa94286a3c3766c937d0768c8deb46015; in that repository the resources are
/// <c>src/Quartz/Impl/AdoJobStore/Schema/create_sqlite.sql</c> and <c>create_postgres.sql</c>, generated from
/// <c>build/Build.DatabaseSchema.cs</c> (see the repository's database/README.md). No copy is committed here.
/// </para>
/// </summary>
internal static class QuartzSchemaScripts
{
    public const string TablePrefix = "QRTZ_";

    private const string ResourcePrefix = "Quartz.Impl.AdoJobStore.Schema.create_";

    /// <summary>The Quartz assembly's informational version, e.g. "4.7.0+dac8da0a...".</summary>
    public static string QuartzVersion =>
        typeof(Quartz.IScheduler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The dialects Quartz ships a script for (sqlite, postgres, sqlServer, mysql_innodb, oracle, firebird).</summary>
    public static IReadOnlyList<string> Dialects =>
    [
        .. typeof(Quartz.IScheduler).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => name[ResourcePrefix.Length..^".sql".Length])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The script of <paramref name="dialect"/> with the table prefix rendered as <paramref name="prefix"/>, as
    /// the statements Quartz sends one by one (its scripts separate them with a line reading <c>--;;</c>).</summary>
    public static IReadOnlyList<string> Statements(string dialect, string prefix = TablePrefix) =>
    [
        .. Text(dialect, prefix).ReplaceLineEndings("\n").Split("\n--;;\n")
            .Select(piece => string.Join('\n', piece.Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim())
            .Where(statement => statement.Length > 0),
    ];

    /// <summary>The script as shipped, with its placeholders (<c>{0}</c> the table prefix, <c>{1}</c> the same without a
    /// schema qualifier) rendered as <paramref name="prefix"/>. Quartz's PostgreSQL script writes its names in lower
    /// case, so a PostgreSQL job store would pass "qrtz_".</summary>
    public static string Text(string dialect, string prefix = TablePrefix)
    {
        using Stream stream = typeof(Quartz.IScheduler).Assembly.GetManifestResourceStream(ResourcePrefix + dialect + ".sql")
            ?? throw new InvalidOperationException($"Quartz {QuartzVersion} has no embedded schema script for '{dialect}' (it has: {string.Join(", ", Dialects)}).");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("{0}", prefix, StringComparison.Ordinal).Replace("{1}", prefix, StringComparison.Ordinal);
    }
}
