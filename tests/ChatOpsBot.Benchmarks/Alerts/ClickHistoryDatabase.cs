using System.Diagnostics;
using System.Globalization;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Integrations.Mimecast;
using Microsoft.Data.Sqlite;

namespace ChatOpsBot.Benchmarks.Alerts;

/// <summary>
/// A bot database holding <see cref="Rows"/> allowed clicks spread over the 30 days before <see cref="Now"/>, built once
/// per machine in the temp folder and reused by every run (the build takes minutes; the detection it serves takes
/// milliseconds). Built by the bot itself: the host creates and migrates it, the clicks are mapped by
/// <see cref="StoredClick.From"/> and stored by <see cref="ClickStore.InsertNewAsync"/> in one transaction, with the
/// click indexes dropped during the load and recreated from their own definitions afterwards (the same indexes, built
/// once instead of maintained row by row). A marker row in <c>app_metadata</c>, written last, says the file is complete.
/// </summary>
internal static class ClickHistoryDatabase
{
    public const int Rows = 5_000_000;

    /// <summary>Distinct destinations (about ten clicks each) and clickers.</summary>
    public const int UrlPool = 500_000;

    public const int UserPool = 20_000;

    /// <summary>Bump when the generated data or its physical layout changes, so an older file is not reused. 2: built
    /// with migration 0007's partial indexes (a generation-1 file migrated to them has those indexes at the end of the
    /// file, past SQLite's 2 GB memory map, and measures a layout a grown database does not have).</summary>
    private const int Generation = 2;

    private const string MarkerKey = "benchmark.click_history";

    public static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public static string PathFor(int rows) =>
        Path.Combine(Path.GetTempPath(), "chatopsbot-benchmarks", string.Create(CultureInfo.InvariantCulture, $"url-clicks-{rows}-g{Generation}.db"));

    /// <summary>The database's path, building it first if no complete one exists.</summary>
    public static async Task<string> EnsureAsync(int rows, TextWriter log)
    {
        string path = PathFor(rows);
        if (File.Exists(path) && await IsCompleteAsync(path, rows).ConfigureAwait(false))
        {
            return path;
        }

        string building = path + ".building";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        foreach (string stale in new[] { building, building + "-wal", building + "-shm", path, path + "-wal", path + "-shm" })
        {
            File.Delete(stale);
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Building {path} ({rows:N0} allowed clicks; once per machine)..."));
        var watch = Stopwatch.StartNew();
        // The bot creates and migrates the file, exactly as at start-up.
        await using (await AlertBenchHost.StartAsync(building, new FixedClock(Now)).ConfigureAwait(false))
        {
        }

        await LoadAsync(building, rows).ConfigureAwait(false);
        File.Move(building, path);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Built in {watch.Elapsed.TotalSeconds:F0} s, {new FileInfo(path).Length / (1024 * 1024):N0} MB."));
        return path;
    }

    /// <summary>The clicks, in the order they are stored: oldest first, <see cref="ClickDispositions.Allowed"/>.</summary>
    public static IEnumerable<StoredClick> AllowedClicks(int rows, UrlNormalizer normalizer)
    {
        var random = new Random(20261102);
        DateTimeOffset from = Now - TimeSpan.FromDays(30);
        long span = TimeSpan.FromDays(30).Ticks - TimeSpan.FromHours(1).Ticks;
        for (int i = 0; i < rows; i++)
        {
            int url = random.Next(UrlPool);
            var click = new MimecastClickLog(
                from.AddTicks(span / rows * i - (span / rows * i % TimeSpan.TicksPerSecond)),
                ClickLogWire.Url(url, random),
                ClickLogWire.User(random.Next(UserPool)),
                "notifications@sender.example",
                string.Create(CultureInfo.InvariantCulture, $"Your document #{i} is ready"),
                "allow",
                "Allow",
                "clean",
                "Business",
                "Inbound URL 'Aggressive'",
                "User Click",
                "inbound",
                "N/A",
                "None",
                "Continue",
                "67.43.156.15",
                string.Create(CultureInfo.InvariantCulture, $"<{i:x8}@mail.sender.example>"),
                ["Body"],
                new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>());
            yield return StoredClick.From(click, normalizer);
        }
    }

    public static UrlNormalizer Normalizer() => new(new MonitorOptions().EffectiveTrackingParameters);

    private static async Task LoadAsync(string path, int rows)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync().ConfigureAwait(false);
        // A file being built is thrown away on failure, so it needs no journal; the bot's WAL mode is restored below.
        await ExecuteAsync(connection, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1048576;").ConfigureAwait(false);

        var indexes = new List<(string Name, string Sql)>();
        await using (SqliteCommand select = connection.CreateCommand())
        {
            select.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'url_clicks' AND sql IS NOT NULL";
            await using SqliteDataReader reader = await select.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach ((string name, _) in indexes)
        {
            await ExecuteAsync(connection, $"DROP INDEX {name}").ConfigureAwait(false);
        }

        await using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            var batch = new List<StoredClick>(100_000);
            foreach (StoredClick click in AllowedClicks(rows, Normalizer()))
            {
                batch.Add(click);
                if (batch.Count == batch.Capacity)
                {
                    await ClickStore.InsertNewAsync(connection, transaction, batch, Now, CancellationToken.None).ConfigureAwait(false);
                    batch.Clear();
                }
            }

            await ClickStore.InsertNewAsync(connection, transaction, batch, Now, CancellationToken.None).ConfigureAwait(false);
            foreach ((_, string sql) in indexes)
            {
                await ExecuteAsync(connection, sql).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, string.Create(
                CultureInfo.InvariantCulture,
                $"INSERT INTO app_metadata (metadata_key, metadata_value, updated_at) VALUES ('{MarkerKey}', '{rows}', 0)")).ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
        }

        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL").ConfigureAwait(false);
    }

    private static async Task<bool> IsCompleteAsync(string path, int rows)
    {
        try
        {
            await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync().ConfigureAwait(false);
            await using SqliteCommand select = connection.CreateCommand();
            select.CommandText = $"SELECT metadata_value FROM app_metadata WHERE metadata_key = '{MarkerKey}'";
            return await select.ExecuteScalarAsync().ConfigureAwait(false) is string value
                && value == rows.ToString(CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
