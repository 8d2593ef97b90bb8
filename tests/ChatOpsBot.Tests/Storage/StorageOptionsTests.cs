using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Sqlite;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Tests.Storage;

public sealed class StorageOptionsTests
{
    private const string ContentRoot = "/srv/chatops";

    [Fact]
    public void DefaultsAreValid()
    {
        Validate(new StorageOptions()).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void PostgresWithHostDatabaseAndUsernameIsValid()
    {
        Validate(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = "Host=db.internal;Database=chatops;Username=bot;Password=secret" })
            .Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData("", "ConnectionStrings:ChatOps is empty")]
    [InlineData("Host=db;Username=bot;Password=secret", "no Database")]
    [InlineData("Database=chatops;Username=bot;Password=secret", "no Host")]
    [InlineData("Host=db;Database=chatops;Password=secret", "no Username")]
    [InlineData("Host=db;Database=chatops;Username=bot;Password=secret;Nonsense=1", "not a valid PostgreSQL connection string")]
    [InlineData("Data Source=data/chatops.db;Password=secret", "not a valid PostgreSQL connection string")]
    public void PostgresConnectionStringIsCheckedWithoutEchoingIt(string connectionString, string expected)
    {
        ValidateOptionsResult result = Validate(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = connectionString });

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain(expected);
        result.FailureMessage.ShouldNotContain("secret");
    }

    [Theory]
    [InlineData("Data Source=:memory:", "in-memory")]
    [InlineData("Data Source=chatops.db;Mode=Memory", "in-memory")]
    [InlineData("Data Source=chatops.db;Mode=ReadOnly", "read-only")]
    [InlineData("Data Source=file:chatops.db?cache=shared", "file:")]
    [InlineData("Mode=ReadWriteCreate", "no Data Source")]
    [InlineData("Nonsense=1;Password=hunter2", "not a valid SQLite connection string")]
    public void UnusableSqliteConnectionStringIsRefused(string connectionString, string expected)
    {
        ValidateOptionsResult result = Validate(new StorageOptions { ConnectionString = connectionString });

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain(expected);
        result.FailureMessage.ShouldNotContain("hunter2");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(301)]
    public void BusyTimeoutOutOfRangeIsRefused(int seconds)
    {
        Validate(new StorageOptions { BusyTimeoutSeconds = seconds }).FailureMessage!.ShouldContain("Storage:BusyTimeoutSeconds");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2048)]
    public void MemoryMapBeyondWhatSqliteAllowsIsRefused(int megabytes)
    {
        Validate(new StorageOptions { SqliteMemoryMapMegabytes = megabytes }).FailureMessage!.ShouldContain("Storage:SqliteMemoryMapMegabytes");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2047)]
    public void MemoryMapOffOrAtSqlitesCeilingIsAccepted(int megabytes)
    {
        Validate(new StorageOptions { SqliteMemoryMapMegabytes = megabytes }).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void RelativeDataSourceIsResolvedAgainstTheContentRootNotTheCurrentDirectory()
    {
        SqliteDatabaseLocation.TryResolve("Data Source=data/chatops.db", ContentRoot, out SqliteDatabaseLocation? location, out _).ShouldBeTrue();

        location!.DatabasePath.ShouldBe(Path.GetFullPath(Path.Combine(ContentRoot, "data", "chatops.db")));
        location.ConnectionString.ShouldContain(location.DatabasePath);
    }

    [Fact]
    public void AbsoluteDataSourceIsKept()
    {
        string path = Path.Combine(Path.GetTempPath(), "elsewhere", "bot.db");

        SqliteDatabaseLocation.TryResolve($"Data Source={path}", ContentRoot, out SqliteDatabaseLocation? location, out _).ShouldBeTrue();

        location!.DatabasePath.ShouldBe(path);
    }

    private static ValidateOptionsResult Validate(StorageOptions options) =>
        new StorageOptionsValidator(new FakeEnvironment()).Validate(Options.DefaultName, options);

    private sealed class FakeEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "ChatOpsBot";

        public string ContentRootPath { get; set; } = ContentRoot;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
