using System.Globalization;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.TtpMetrics;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Files;
using ChatOpsBot.Commands.Mimecast;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Integrations.Mimecast;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Commands.Metrics;

/// <summary>
/// <c>metrics [days]</c>: threat totals, top threat types and targeted users, ATT&amp;CK techniques and the daily trend,
/// from an attached TTP log export or, with no file, from the live TTP logs of the Mimecast API. With <c>days</c>, only
/// records dated in the last that many days (UTC, today included) are counted; live metrics default to
/// <see cref="DefaultLiveDays"/>.
/// </summary>
internal sealed class MetricsCommand(TimeProvider timeProvider, IMimecastClient mimecast, IOptions<MimecastOptions> mimecastOptions) : IChatCommand
{
    public const int MaxDays = 366;

    /// <summary>Days of live logs read when none are given: a week of TTP events.</summary>
    public const int DefaultLiveDays = 7;

    private const string DaysArgument = "days";
    private const string What = "the TTP log export";

    public string Name => "metrics";

    public Role RequiredRole => Role.Analyst;

    public string ProgressSubject => "the log export";

    public CommandHelp Help { get; } = new(
        "metrics",
        "metrics [days] (live from Mimecast, or attach a TTP log export)",
        "TTP threat metrics: totals, top threat types, most targeted users, ATT&CK techniques and the daily trend, from the live Mimecast logs (default 7 days) or an attached export; days limits it to the last days.",
        ["metrics", "metrics 30", "metrics + ttp_logs.json", "metrics 7 + ttp_logs.json"]);

    public ArgumentBinding Bind(CommandInput input)
    {
        ArgumentBinding days = Arguments.OptionalInteger(input, Name, DaysArgument, 1, MaxDays);
        if (days.Problem is not null || input.Files.Count == 0)
        {
            return days;
        }

        return SingleFile.Problem(input, What + " (JSON or NDJSON)") is { } problem ? ArgumentBinding.Fail(problem) : days;
    }

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        int? days = Arguments.Integer(context.Arguments, DaysArgument);
        if (context.Files.Count == 0)
        {
            return await LiveAsync(days ?? DefaultLiveDays, context.CorrelationId, cancellationToken).ConfigureAwait(false);
        }

        AttachmentContent content = await SingleFile.ReadJsonAsync(context, long.MaxValue, What, cancellationToken).ConfigureAwait(false);
        string name = AttachmentReader.DisplayName(content.Name);
        try
        {
            ReadOnlyMemory<byte> records = content.Bytes;
            if (days is int period)
            {
                DateOnly today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
                FilteredLog filtered = LogPeriodFilter.Filter(content.Bytes, today.AddDays(1 - period));
                if (filtered.Kept == 0)
                {
                    return CommandResult.Unusable(NoticeCard.Build($"No records in the last {period} days", NothingInPeriod(name, period, filtered)));
                }

                records = filtered.Json;
            }

            using var stream = new MemoryStream(records.ToArray(), writable: false);
            return CommandResult.Success(MetricsCard.Build(TtpLogAnalyzer.Analyze(stream), days));
        }
        catch (InvalidInputException ex)
        {
            throw new CommandInputException($"{name}: {ex.Message}", ex);
        }
    }

    private async Task<CommandResult> LiveAsync(int days, string correlationId, CancellationToken cancellationToken)
    {
        if (!mimecast.IsConfigured)
        {
            return MimecastReplies.NotConfigured("Live metrics (metrics without a file)");
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        var from = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).AddDays(1 - days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        LiveTtpLogs logs;
        try
        {
            // The three walks are independent; a failure of any one fails the card rather than showing part of the period as all of it.
            Task<MimecastLogResult<MimecastClickLog>> clicks = mimecast.GetUrlLogsAsync(new MimecastUrlLogQuery(from, now), cancellationToken);
            Task<MimecastLogResult<MimecastAttachmentLog>> attachments = mimecast.GetAttachmentLogsAsync(new MimecastAttachmentLogQuery(from, now), cancellationToken);
            Task<MimecastLogResult<MimecastImpersonationLog>> impersonations = mimecast.GetImpersonationLogsAsync(new MimecastImpersonationLogQuery(from, now), cancellationToken);
            await Task.WhenAll(clicks, attachments, impersonations).ConfigureAwait(false);
            logs = new LiveTtpLogs(await clicks.ConfigureAwait(false), await attachments.ConfigureAwait(false), await impersonations.ConfigureAwait(false));
        }
        catch (MimecastApiException ex)
        {
            return MimecastReplies.Failed(ex, correlationId);
        }

        try
        {
            return CommandResult.Success(MetricsCard.BuildLive(logs.Analyze(), days, logs.Notes(mimecastOptions.Value.MaxPages)));
        }
        catch (InvalidInputException ex)
        {
            // Our own rewrite of Mimecast's records; a record the analyzer refuses is Mimecast's data, not the user's input.
            throw new CommandInputException($"Mimecast's TTP logs could not be analysed: {ex.Message}", ex);
        }
    }

    private static string NothingInPeriod(string name, int days, FilteredLog filtered)
    {
        string newest = filtered.Newest is { } date
            ? $"its newest record is from {date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"
            : "none of its records has a date I can read";
        return $"{name} has no record from the last {days} days (UTC): {newest}. Send metrics without a number to see the whole export.";
    }
}
