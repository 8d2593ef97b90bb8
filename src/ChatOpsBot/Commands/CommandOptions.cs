using Microsoft.Extensions.Options;

namespace ChatOpsBot.Commands;

/// <summary>Limits and pacing of the command layer (configuration section <c>Commands</c>).</summary>
public sealed class CommandOptions
{
    public const string SectionName = "Commands";

    /// <summary>Requests waiting for a worker; one more is answered "busy, try again".</summary>
    public int QueueCapacity { get; set; } = 64;

    /// <summary>Requests processed at the same time.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>Work still running after this long gets an "Analyzing…" card, later replaced by the result.</summary>
    public TimeSpan ProgressDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A request still running after this long is stopped and answered with an error card, so one stuck download or
    /// channel call cannot hold a worker for ever.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Largest attachment read; bigger files are refused before or while downloading.</summary>
    public long MaxAttachmentBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Longest message text accepted (a pasted header block is the longest legitimate one).</summary>
    public int MaxTextChars { get; set; } = 64 * 1024;

    /// <summary>How long a confirmation card's buttons stay valid.</summary>
    public TimeSpan ConfirmationTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

internal sealed class CommandOptionsValidator : IValidateOptions<CommandOptions>
{
    public const int MaxQueueCapacity = 10_000;
    public const int MaxWorkers = 64;
    public const long MaxAttachmentBytesLimit = 256L * 1024 * 1024;
    public const int MaxTextCharsLimit = 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, CommandOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.QueueCapacity is < 1 or > MaxQueueCapacity)
        {
            errors.Add($"Commands:QueueCapacity must be between 1 and {MaxQueueCapacity}, got {options.QueueCapacity}");
        }

        if (options.Workers is < 1 or > MaxWorkers)
        {
            errors.Add($"Commands:Workers must be between 1 and {MaxWorkers}, got {options.Workers}");
        }

        if (options.ProgressDelay < TimeSpan.Zero || options.ProgressDelay > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Commands:ProgressDelay must be between 00:00:00 and 00:01:00, got {options.ProgressDelay}");
        }

        if (options.CommandTimeout < TimeSpan.FromSeconds(5) || options.CommandTimeout > TimeSpan.FromMinutes(30))
        {
            errors.Add($"Commands:CommandTimeout must be between 00:00:05 and 00:30:00, got {options.CommandTimeout}");
        }

        if (options.MaxAttachmentBytes is < 1024 or > MaxAttachmentBytesLimit)
        {
            errors.Add($"Commands:MaxAttachmentBytes must be between 1024 and {MaxAttachmentBytesLimit}, got {options.MaxAttachmentBytes}");
        }

        if (options.MaxTextChars is < 256 or > MaxTextCharsLimit)
        {
            errors.Add($"Commands:MaxTextChars must be between 256 and {MaxTextCharsLimit}, got {options.MaxTextChars}");
        }

        if (options.ConfirmationTimeout < TimeSpan.FromSeconds(10) || options.ConfirmationTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"Commands:ConfirmationTimeout must be between 00:00:10 and 01:00:00, got {options.ConfirmationTimeout}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
