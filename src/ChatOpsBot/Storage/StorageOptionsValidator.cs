using ChatOpsBot.Storage.Postgres;
using ChatOpsBot.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Storage;

internal sealed class StorageOptionsValidator(IHostEnvironment environment) : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        switch (options.Provider)
        {
            case StorageProvider.Sqlite:
                if (!SqliteDatabaseLocation.TryResolve(options.ConnectionString, environment.ContentRootPath, out _, out string? error))
                {
                    failures.Add(error!);
                }

                break;
            case StorageProvider.Postgres:
                if (!PostgresDatabaseLocation.TryResolve(options.ConnectionString, out _, out string? postgresError))
                {
                    failures.Add(postgresError!);
                }

                break;
            default:
                failures.Add($"Storage:Provider must be 'Sqlite' or 'Postgres' (got {(int)options.Provider}).");
                break;
        }

        if (options.BusyTimeoutSeconds is < StorageOptions.MinBusyTimeoutSeconds or > StorageOptions.MaxBusyTimeoutSeconds)
        {
            failures.Add(
                $"Storage:BusyTimeoutSeconds must be between {StorageOptions.MinBusyTimeoutSeconds} and {StorageOptions.MaxBusyTimeoutSeconds} (got {options.BusyTimeoutSeconds}).");
        }

        if (options.SqliteMemoryMapMegabytes is < 0 or > StorageOptions.MaxSqliteMemoryMapMegabytes)
        {
            failures.Add(
                $"Storage:SqliteMemoryMapMegabytes must be between 0 (off) and {StorageOptions.MaxSqliteMemoryMapMegabytes} (got {options.SqliteMemoryMapMegabytes}).");
        }

        if (!Enum.IsDefined(options.SqliteDurability))
        {
            failures.Add("Storage:SqliteDurability must be 'Normal' or 'Full'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
