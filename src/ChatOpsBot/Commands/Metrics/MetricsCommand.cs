using System.Globalization;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.TtpMetrics;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Files;
using ChatOpsBot.Commands.Pipeline;

namespace ChatOpsBot.Commands.Metrics;

/// <summary>
/// <c>metrics [days]</c> with an attached TTP log export: threat totals, top threat types and targeted users, daily
/// trend. With <c>days</c>, only records dated in the last that many days (UTC, today included) are counted.
/// </summary>
internal sealed class MetricsCommand(TimeProvider timeProvider) : IChatCommand
{
    public const int MaxDays = 366;

    private const string DaysArgument = "days";
    private const string What = "the TTP log export";

    public string Name => "metrics";

    public Role RequiredRole => Role.Analyst;

    public string ProgressSubject => "the log export";

    public CommandHelp Help { get; } = new(
        "metrics",
        "metrics [days] (attach the TTP log export)",
        "TTP threat metrics from a log export: totals, top threat types, most targeted users and the daily trend; days limits it to the last days.",
        ["metrics + ttp_logs.json", "metrics 7 + ttp_logs.json"]);

    public ArgumentBinding Bind(CommandInput input)
    {
        ArgumentBinding days = Arguments.OptionalInteger(input, Name, DaysArgument, 1, MaxDays);
        return days.Problem is not null ? days : SingleFile.Problem(input, What + " (JSON or NDJSON)") is { } problem ? ArgumentBinding.Fail(problem) : days;
    }

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        int? days = Arguments.Integer(context.Arguments, DaysArgument);
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

    private static string NothingInPeriod(string name, int days, FilteredLog filtered)
    {
        string newest = filtered.Newest is { } date
            ? $"its newest record is from {date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"
            : "none of its records has a date I can read";
        return $"{name} has no record from the last {days} days (UTC): {newest}. Send metrics without a number to see the whole export.";
    }
}
