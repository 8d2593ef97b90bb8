using Microsoft.Extensions.Options;

namespace ChatOpsBot.Scheduling;

internal sealed class SchedulingOptionsValidator : IValidateOptions<SchedulingOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        CheckTiming(failures, nameof(SchedulingOptions.ClusterCheckinInterval), options.ClusterCheckinInterval);
        CheckTiming(failures, nameof(SchedulingOptions.ClusterCheckinMisfireThreshold), options.ClusterCheckinMisfireThreshold);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckTiming(List<string> failures, string key, TimeSpan value)
    {
        if (value < SchedulingOptions.MinClusterTiming || value > SchedulingOptions.MaxClusterTiming)
        {
            failures.Add($"{SchedulingOptions.SectionName}:{key} must be between {SchedulingOptions.MinClusterTiming} and {SchedulingOptions.MaxClusterTiming} (got {value}).");
        }
    }
}
