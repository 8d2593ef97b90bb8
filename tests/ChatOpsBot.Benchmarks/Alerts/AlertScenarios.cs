using System.Data;
using System.Globalization;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Integrations.Mimecast;
using Microsoft.Data.Sqlite;

namespace ChatOpsBot.Benchmarks.Alerts;

/// <summary>
/// One URL monitor run over <see cref="Records"/> new click records, through the real path: the monitor reads its
/// checkpoint, asks Mimecast (in process, <see cref="ClickLogMimecastHandler"/>) for every 6-hour chunk of its 30-day
/// window, parses the pages, maps and normalises each record and fingerprints it, stores the new ones, detects, raises
/// alerts with their outbox rows and moves the checkpoint, one transaction per chunk. The records span the 12 hours
/// before <see cref="ClickHistoryDatabase.Now"/>, so two chunks hold them all.
/// <para>
/// Into an empty database (<see cref="PrepareEmptyAsync"/>: a fresh file per run) or into the 5,000,000-click history
/// (<see cref="PrepareIntoHistoryAsync"/>: what the run added is deleted again afterwards, so the shared file stays
/// as built).
/// </para>
/// </summary>
internal sealed class IngestionScenario : IAsyncDisposable
{
    private readonly List<GeneratedClick> _clicks;
    private readonly ClickLogMimecastHandler _mimecast;
    private readonly string[] _fingerprints;
    private AlertBenchHost? _host;
    private string? _folder;

    public IngestionScenario(int records)
    {
        Records = records;
        // The same 500,000 destinations as the stored history, so malicious records find earlier clickers there.
        _clicks = ClickLogWire.Generate(
            records, ClickHistoryDatabase.Now - TimeSpan.FromHours(12), ClickHistoryDatabase.Now - TimeSpan.FromMinutes(1),
            ClickHistoryDatabase.UrlPool, ClickHistoryDatabase.UserPool, seed: 7);
        _mimecast = new ClickLogMimecastHandler(_clicks);
        _fingerprints = [.. _clicks.Select(c => StoredClick.FingerprintOf(ToLog(c)))];
    }

    public int Records { get; }

    public async Task PrepareEmptyAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "chatopsbot-benchmarks", "ingest-" + Guid.NewGuid().ToString("N"));
        _host = await AlertBenchHost.StartAsync(Path.Combine(_folder, "chatops.db"), new FixedClock(ClickHistoryDatabase.Now), _mimecast).ConfigureAwait(false);
    }

    public async Task PrepareIntoHistoryAsync(string historyPath)
    {
        _host = await AlertBenchHost.StartAsync(historyPath, new FixedClock(ClickHistoryDatabase.Now), _mimecast).ConfigureAwait(false);
        await RemoveWhatARunAddedAsync().ConfigureAwait(false);
    }

    public async Task<JobRunResult> RunAsync()
    {
        JobRunResult result = await _host!.Monitor.RunOnceAsync(CancellationToken.None).ConfigureAwait(false);
        if (result.Outcome != JobRunResult.Succeeded || result.RecordsNew != Records)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture, $"The monitor run did not ingest the {Records} records: {result}"));
        }

        return result;
    }

    public async Task CleanupAsync()
    {
        if (_host is not null)
        {
            if (_folder is null)
            {
                await RemoveWhatARunAddedAsync().ConfigureAwait(false);
            }

            await _host.DisposeAsync().ConfigureAwait(false);
            _host = null;
        }

        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
            _folder = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CleanupAsync().ConfigureAwait(false);
        _mimecast.Dispose();
    }

    private async Task RemoveWhatARunAddedAsync()
    {
        await _host!.Database.WriteAsync(
            async (connection, transaction) =>
            {
                // The benchmark history is SQLite (AlertBenchHost); the typed command keeps SqliteType parameters.
                await using SqliteCommand delete = ((SqliteConnection)connection).CreateCommand();
                delete.Transaction = (SqliteTransaction)transaction;
                delete.CommandText = "DELETE FROM url_clicks WHERE fingerprint = @fingerprint";
                SqliteParameter fingerprint = delete.Parameters.Add("@fingerprint", SqliteType.Text);
                delete.Prepare();
                foreach (string value in _fingerprints)
                {
                    fingerprint.Value = value;
                    await delete.ExecuteNonQueryAsync().ConfigureAwait(false);
                }

                // The history holds no alerts and no checkpoints of its own: everything there came from a run.
                delete.Parameters.Clear();
                delete.CommandText = "DELETE FROM alert_deliveries; DELETE FROM alerts; DELETE FROM job_checkpoints;";
                await delete.ExecuteNonQueryAsync().ConfigureAwait(false);
                return 0;
            },
            CancellationToken.None).ConfigureAwait(false);
    }

    private static MimecastClickLog ToLog(GeneratedClick click) => new(
        click.At,
        click.Url,
        click.User,
        click.Sender,
        click.Subject,
        click.Kind switch
        {
            ClickKind.Warned => "warn",
            ClickKind.Malicious => "block",
            _ => "allow",
        },
        null,
        click.Kind == ClickKind.Malicious ? "malicious" : "clean",
        null,
        null,
        click.Kind == ClickKind.EntryScan ? "Entry Scan" : "User Click",
        null,
        null,
        null,
        null,
        null,
        click.MessageId,
        [],
        new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>());
}

/// <summary>
/// 1,000 new malicious clicks arriving in one monitor chunk against the 5,000,000 stored allowed clicks: the monitor's
/// own chunk work minus the Mimecast call, i.e. <see cref="ClickStore.InsertNewAsync"/> of the 1,000 clicks, then
/// <see cref="UrlMonitor.DetectAsync"/> (look-ups of earlier allowed clicks, one alert per URL with its outbox row), in
/// the write transaction the monitor uses. <see cref="EndAsync"/> rolls it back, so every run meets the same database.
/// <see cref="ClicksOnStoredUrls"/> of the 1,000 are on destinations people clicked before (each raises an alert
/// listing about ten earlier clickers); the rest are on destinations nobody clicked.
/// </summary>
internal sealed class DetectionScenario : IAsyncDisposable
{
    public const int MaliciousClicks = 1_000;

    private readonly AlertBenchHost _host;
    private readonly List<StoredClick> _malicious;
    private SqliteConnection? _connection;
    private SqliteTransaction? _transaction;

    private DetectionScenario(AlertBenchHost host, List<StoredClick> malicious, int clicksOnStoredUrls)
    {
        _host = host;
        _malicious = malicious;
        ClicksOnStoredUrls = clicksOnStoredUrls;
    }

    public int ClicksOnStoredUrls { get; }

    public static DateTimeOffset WindowStart => ClickHistoryDatabase.Now - TimeSpan.FromDays(30);

    public static async Task<DetectionScenario> StartAsync(string historyPath, int clicksOnStoredUrls)
    {
        AlertBenchHost host = await AlertBenchHost.StartAsync(historyPath, new FixedClock(ClickHistoryDatabase.Now)).ConfigureAwait(false);
        UrlNormalizer normalizer = ClickHistoryDatabase.Normalizer();
        var random = new Random(11);
        var malicious = new List<StoredClick>(MaliciousClicks);
        for (int i = 0; i < MaliciousClicks; i++)
        {
            // Spread over the stored destinations; the others are past the end of the pool, so never stored.
            int url = i < clicksOnStoredUrls ? i * (ClickHistoryDatabase.UrlPool / MaliciousClicks) : ClickHistoryDatabase.UrlPool + i;
            var log = new MimecastClickLog(
                ClickHistoryDatabase.Now - TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(i % 300),
                ClickLogWire.Url(url, random),
                ClickLogWire.User(random.Next(ClickHistoryDatabase.UserPool)),
                "billing@attacker.example",
                "Invoice overdue",
                "block",
                "Block",
                "malicious",
                "Compromised",
                "Inbound URL 'Aggressive'",
                "User Click",
                "inbound",
                "N/A",
                "None",
                "N/A",
                "198.51.100.7",
                string.Create(CultureInfo.InvariantCulture, $"<malicious-{i}@attacker.example>"),
                ["Body"],
                new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>());
            malicious.Add(StoredClick.From(log, normalizer));
        }

        return new DetectionScenario(host, malicious, clicksOnStoredUrls);
    }

    /// <summary>Opens the write transaction as <see cref="AlertDatabase.WriteAsync{T}"/> does (BEGIN IMMEDIATE).</summary>
    public async Task BeginAsync()
    {
        _connection = await _host.Connections.OpenSqliteAsync(CancellationToken.None).ConfigureAwait(false);
        _transaction = _connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
    }

    /// <returns>Alerts raised.</returns>
    public async Task<int> RunAsync()
    {
        List<StoredClick> inserted = await ClickStore.InsertNewAsync(_connection!, _transaction!, _malicious, ClickHistoryDatabase.Now, CancellationToken.None)
            .ConfigureAwait(false);
        return await _host.Monitor.DetectAsync(_connection!, _transaction!, inserted, WindowStart, ClickHistoryDatabase.Now, CancellationToken.None)
            .ConfigureAwait(false);
    }

    public async Task EndAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.RollbackAsync().ConfigureAwait(false);
            await _transaction.DisposeAsync().ConfigureAwait(false);
            _transaction = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await EndAsync().ConfigureAwait(false);
        await _host.DisposeAsync().ConfigureAwait(false);
    }
}
