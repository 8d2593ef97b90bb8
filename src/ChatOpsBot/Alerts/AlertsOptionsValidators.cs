using System.Net;
using ChatOpsBot.Alerts.Delivery;
using Microsoft.Extensions.Options;
using Quartz;

namespace ChatOpsBot.Alerts;

internal sealed class MonitorOptionsValidator : IValidateOptions<MonitorOptions>
{
    public const int MaxWindowDays = 365;

    public ValidateOptionsResult Validate(string? name, MonitorOptions options)
    {
        var failures = new List<string>();
        Schedules.Check("Monitor:Schedule", options.Schedule, failures);
        Schedules.Check("Monitor:RecheckSchedule", options.RecheckSchedule, failures);
        if (options.AllowedClickWindowDays is < 1 or > MaxWindowDays)
        {
            failures.Add($"Monitor:AllowedClickWindowDays must be between 1 and {MaxWindowDays} (got {options.AllowedClickWindowDays}).");
        }

        Range("Monitor:OverlapWindow", options.OverlapWindow, TimeSpan.Zero, TimeSpan.FromDays(1), failures);
        Range("Monitor:QueryChunk", options.QueryChunk, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7), failures);
        Range("Monitor:RecheckDeadline", options.RecheckDeadline, TimeSpan.FromSeconds(1), TimeSpan.FromHours(12), failures);
        if (options.MaxExposedListed is < 1 or > 500)
        {
            failures.Add($"Monitor:MaxExposedListed must be between 1 and 500 (got {options.MaxExposedListed}).");
        }

        if (options.RecheckLookbackDays is < 1 or > MaxWindowDays)
        {
            failures.Add($"Monitor:RecheckLookbackDays must be between 1 and {MaxWindowDays} (got {options.RecheckLookbackDays}); only clicks still kept are re-checked.");
        }

        if (options.RecheckMaxUrls is < 1 or > 10_000)
        {
            failures.Add($"Monitor:RecheckMaxUrls must be between 1 and 10000 (got {options.RecheckMaxUrls}).");
        }

        foreach (string parameter in options.TrackingParameters)
        {
            int star = parameter?.IndexOf('*', StringComparison.Ordinal) ?? -1;
            if (string.IsNullOrWhiteSpace(parameter) || parameter.Length > 100 || (star >= 0 && star != parameter.Length - 1))
            {
                failures.Add("Monitor:TrackingParameters entries must be parameter names of at most 100 characters, optionally ending in '*'.");
                break;
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static void Range(string key, TimeSpan value, TimeSpan min, TimeSpan max, List<string> failures)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key} must be between {min} and {max} (got {value}).");
        }
    }
}

internal sealed class AlertsOptionsValidator : IValidateOptions<AlertsOptions>
{
    public const int MaxTargets = 200;

    public ValidateOptionsResult Validate(string? name, AlertsOptions options)
    {
        var failures = new List<string>();
        Schedules.Check("Alerts:ThreatFeedSchedule", options.ThreatFeedSchedule, failures);
        Schedules.Check("Alerts:DeliverySchedule", options.DeliverySchedule, failures);
        MonitorOptionsValidator.Range("Alerts:ThreatFeedInitialLookback", options.ThreatFeedInitialLookback, TimeSpan.Zero, TimeSpan.FromDays(30), failures);
        MonitorOptionsValidator.Range("Alerts:ThreatFeedOverlap", options.ThreatFeedOverlap, TimeSpan.Zero, TimeSpan.FromDays(1), failures);
        MonitorOptionsValidator.Range("Alerts:BurstWindow", options.BurstWindow, TimeSpan.Zero, TimeSpan.FromDays(1), failures);
        MonitorOptionsValidator.Range("Alerts:RetryBaseDelay", options.RetryBaseDelay, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), failures);
        MonitorOptionsValidator.Range("Alerts:RetryMaxDelay", options.RetryMaxDelay, options.RetryBaseDelay, TimeSpan.FromDays(1), failures);
        MonitorOptionsValidator.Range("Alerts:DeliveryDeadline", options.DeliveryDeadline, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30), failures);
        MonitorOptionsValidator.Range("Alerts:DeliveryLease", options.DeliveryLease, TimeSpan.FromSeconds(30), TimeSpan.FromHours(6), failures);
        MonitorOptionsValidator.Range("Alerts:AlertLifetime", options.AlertLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365), failures);
        MonitorOptionsValidator.Range("Alerts:SnoozeDuration", options.SnoozeDuration, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30), failures);
        if (options.DeliveryBatchSize is < 1 or > 10_000)
        {
            failures.Add($"Alerts:DeliveryBatchSize must be between 1 and 10000 (got {options.DeliveryBatchSize}).");
        }

        if (options.Targets.Count > MaxTargets)
        {
            failures.Add($"Alerts:Targets has {options.Targets.Count} entries; at most {MaxTargets} are allowed.");
        }

        for (int i = 0; i < options.Targets.Count; i++)
        {
            if (!AlertTarget.TryParse(options.Targets[i], out _, out string? problem))
            {
                failures.Add($"Alerts:Targets[{i}] {problem}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        var failures = new List<string>();
        if (options.Recipients.Count > AlertsOptionsValidator.MaxTargets)
        {
            failures.Add($"Smtp:Recipients has {options.Recipients.Count} entries; at most {AlertsOptionsValidator.MaxTargets} are allowed.");
        }

        for (int i = 0; i < options.Recipients.Count; i++)
        {
            if (!MailAddressText.IsPlainAddress(options.Recipients[i]))
            {
                failures.Add($"Smtp:Recipients[{i}] is not a plain e-mail address (local@domain, no display name).");
            }
        }

        if (!options.IsConfigured)
        {
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        if (options.Host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || options.Host.Length > 253)
        {
            failures.Add("Smtp:Host must be a host name or address (SMTP_SERVER).");
        }

        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"Smtp:Port must be between 1 and 65535 (got {options.Port}).");
        }

        if (!options.UseStartTls && !IsLoopback(options.Host))
        {
            failures.Add("Smtp:UseStartTls is off for a host that is not loopback: alert mail and the SMTP password would cross the network in clear.");
        }

        if (!MailAddressText.IsPlainAddress(options.EffectiveFrom))
        {
            failures.Add("Smtp:From (or Smtp:Username, SMTP_USER, when From is empty) must be a plain e-mail address.");
        }

        if (options.Username.Length > 0 != options.Password.Length > 0)
        {
            failures.Add("Smtp:Username and Smtp:Password are given together or not at all.");
        }

        MonitorOptionsValidator.Range("Smtp:Timeout", options.Timeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out IPAddress? address) && IPAddress.IsLoopback(address));
}

internal static class Schedules
{
    public static void Check(string key, string? expression, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(expression) || !CronExpression.TryParse(expression, out _))
        {
            failures.Add($"{key} must be a Quartz cron expression with seconds, e.g. \"0 0/20 * * * ?\".");
        }
    }
}
