using System.Reflection;
using Xunit.Sdk;

namespace ChatOpsBot.TestSupport;

/// <summary>
/// The PostgreSQL server the suites that need one run against: <c>CHATOPS_TEST_POSTGRES</c> holds a connection string
/// to it (<c>scripts/postgres-test-server.sh start</c> prints one) whose role may create and drop databases. Where it is
/// absent those tests skip; CI sets <c>CHATOPS_REQUIRE_POSTGRES=1</c>, so a missing server fails them instead.
/// </summary>
internal static class PostgresTestServer
{
    public const string ConnectionStringVariable = "CHATOPS_TEST_POSTGRES";
    public const string RequireVariable = "CHATOPS_REQUIRE_POSTGRES";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } value ? value : null;

    public static bool IsRequired => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    public static string? SkipReason =>
        ConnectionString is null && !IsRequired
            ? $"no PostgreSQL test server ({ConnectionStringVariable} is not set; scripts/postgres-test-server.sh start prints one)"
            : null;

    public static string RequireConnectionString() => ConnectionString ?? throw new InvalidOperationException(
        $"{RequireVariable}=1 but {ConnectionStringVariable} is not set: start one with scripts/postgres-test-server.sh start and export its output.");
}

/// <summary>A fact that needs PostgreSQL: skipped where there is none, unless CI requires it.</summary>
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        Skip = PostgresTestServer.SkipReason!;
    }
}

/// <summary>A theory that needs PostgreSQL: skipped where there is none, unless CI requires it.</summary>
internal sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        Skip = PostgresTestServer.SkipReason!;
    }
}

/// <summary>
/// The PostgreSQL row of a theory over storage providers (<c>[InlineData(StorageProvider.Sqlite)] [PostgresData]</c>):
/// one argument, <c>StorageProvider.Postgres</c>, skipped with the reason where there is no server, unless required.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class PostgresDataAttribute : DataAttribute
{
    public PostgresDataAttribute()
    {
        Skip = PostgresTestServer.SkipReason!;
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        Type parameterType = testMethod.GetParameters()[0].ParameterType;
        return [[Enum.Parse(parameterType, "Postgres")]];
    }
}
