using System.Globalization;
using System.Text.RegularExpressions;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Tests.Alerts.Support;
using ChatOpsBot.Tests.Teams.Support;
using ChatOpsBot.TestSupport;
using Npgsql;

namespace ChatOpsBot.Tests.Cluster;

/// <summary>
/// What two bot instances share in the cluster tests: one PostgreSQL database, a fake Mimecast (click logs), a fake
/// SMTP server (alert mail to <see cref="AlertRecipient"/>) and a fake Bot Connector, all on 127.0.0.1. Instances are
/// separate processes (<see cref="BotProcess"/>) started with <see cref="StartInstanceAsync"/>; disposing kills every
/// one of them first, then stops the fakes and drops the database.
/// </summary>
internal sealed partial class ClusterEnvironment : IAsyncDisposable
{
    public const string AlertRecipient = "soc@corp.example";

    private readonly List<BotProcess> _instances = [];

    private ClusterEnvironment(PostgresTestDatabase database, FakeMimecastServer mimecast, FakeSmtpServer smtp, FakeConnector connector)
    {
        Database = database;
        Mimecast = mimecast;
        Smtp = smtp;
        Connector = connector;
    }

    public PostgresTestDatabase Database { get; }

    public FakeMimecastServer Mimecast { get; }

    public FakeSmtpServer Smtp { get; }

    public FakeConnector Connector { get; }

    public IReadOnlyList<BotProcess> Instances => _instances;

    /// <summary>"Scheduler: url-monitor run for trigger … fire time … on node … (recovering: …)", as the job logs each run.</summary>
    [GeneratedRegex(@"Scheduler: url-monitor run for trigger (\S+) fire time (\S+) on node (\S+) \(recovering: (True|False)\)")]
    public static partial Regex MonitorRunPattern();

    public static async Task<ClusterEnvironment> StartAsync()
    {
        PostgresTestDatabase database = await PostgresTestDatabase.CreateAsync();
        FakeMimecastServer mimecast = await FakeMimecastServer.StartAsync();
        mimecast.ClickLogs = [];
        mimecast.AttachmentLogs = [];
        mimecast.ImpersonationLogs = [];
        FakeSmtpServer smtp = FakeSmtpServer.Start(offerStartTls: false);
        FakeConnector connector = await FakeConnector.StartAsync();
        return new ClusterEnvironment(database, mimecast, smtp, connector);
    }

    /// <summary>
    /// The configuration of every instance: PostgreSQL, the scheduler clustered with the given timings, the URL monitor
    /// on <paramref name="monitorSchedule"/> (threat feed and re-check off), alerts mailed to <see cref="AlertRecipient"/>,
    /// Teams in anonymous local mode with the fake Connector trusted.
    /// </summary>
    public Dictionary<string, string> Settings(string monitorSchedule, TimeSpan checkinInterval, TimeSpan checkinMisfireThreshold)
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:ChatOps"] = Database.ConnectionString,
            ["Scheduling:Enabled"] = "true",
            ["Scheduling:ClusterCheckinInterval"] = checkinInterval.ToString("c", CultureInfo.InvariantCulture),
            ["Scheduling:ClusterCheckinMisfireThreshold"] = checkinMisfireThreshold.ToString("c", CultureInfo.InvariantCulture),
            ["Monitor:Schedule"] = monitorSchedule,
            ["Monitor:AllowedClickWindowDays"] = "1",
            ["Monitor:QueryChunk"] = "1.00:00:00",
            ["Monitor:RecheckEnabled"] = "false",
            ["Alerts:ThreatFeedEnabled"] = "false",
            ["Alerts:Targets:0"] = "mail:" + AlertRecipient,
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = Smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Smtp:UseStartTls"] = "false",
            ["Smtp:From"] = "chatops@corp.example",
            ["Bot:TrustedServiceUrls:0"] = Connector.ServiceUrl,
            ["Bot:AllowInsecureServiceUrls"] = "true",
            // The Teams test user may run response actions (block sender asks for confirmation first).
            ["Security:Responders:0"] = TeamsActivities.Analyst.AadObjectId!,
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        foreach ((string key, string? value) in IntegrationHostSettings.Mimecast(Mimecast))
        {
            settings[key] = value!;
        }

        return settings;
    }

    /// <summary>Starts instances with the same settings at the same time (so their migrations race, as in a real rollout).</summary>
    public async Task<BotProcess[]> StartInstancesAsync(IReadOnlyDictionary<string, string> settings, params string[] names)
    {
        Task<BotProcess>[] starting = [.. names.Select(name => BotProcess.StartAsync(name, settings))];
        try
        {
            await Task.WhenAll(starting);
        }
        finally
        {
            foreach (Task<BotProcess> task in starting.Where(t => t.IsCompletedSuccessfully))
            {
                _instances.Add(task.Result);
            }
        }

        return [.. starting.Select(t => t.Result)];
    }

    /// <summary>Every URL monitor run any instance logged: (instance, trigger, scheduled fire time, node id, recovering).</summary>
    public IReadOnlyList<MonitorRun> MonitorRuns() =>
        [.. _instances.SelectMany(instance => instance.Matches(MonitorRunPattern()).Select(m => new MonitorRun(
            instance.Name,
            m.Groups[1].Value,
            DateTimeOffset.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            m.Groups[3].Value,
            m.Groups[4].Value == "True")))];

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>POSTs a Bot Framework activity to one instance's <c>/api/messages</c> (anonymous local mode).</summary>
    public static async Task<System.Net.HttpStatusCode> PostActivityAsync(BotProcess instance, System.Text.Json.Nodes.JsonObject activity)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(activity);
        using var client = new HttpClient { BaseAddress = instance.BaseUrl };
        using var content = new StringContent(activity.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await client.PostAsync(new Uri("api/messages", UriKind.Relative), content);
        return response.StatusCode;
    }

    /// <summary>Every instance's recent log, for a failure message.</summary>
    public string DescribeInstances() => string.Join("\n", _instances.Select(i => i.Describe()));

    /// <summary>Polls <paramref name="condition"/> until it holds; a safety net, not a timing assertion.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new ShouldAssertException($"Gave up waiting for {what} after {limit}.\n{DescribeInstances()}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    public Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan limit) => WaitUntilAsync(() => Task.FromResult(condition()), what, limit);

    public async ValueTask DisposeAsync()
    {
        // Processes first: nothing may outlive the test, and the database cannot be dropped under live sessions anyway.
        foreach (BotProcess instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await Connector.DisposeAsync();
        await Smtp.DisposeAsync();
        await Mimecast.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>One URL monitor run as an instance logged it.</summary>
internal sealed record MonitorRun(string Instance, string Trigger, DateTimeOffset ScheduledFireTime, string NodeId, bool Recovering);
