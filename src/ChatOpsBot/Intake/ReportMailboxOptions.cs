using System.Text.RegularExpressions;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Integrations.Graph;
using Microsoft.Extensions.Options;
using Quartz;

namespace ChatOpsBot.Intake;

/// <summary>Configuration section <c>ReportMailbox</c>: the shared mailbox users forward suspicious mail to.</summary>
public sealed class ReportMailboxOptions
{
    public const string SectionName = "ReportMailbox";
    public const string GraphSectionName = SectionName + ":Graph";
    public const string DefaultSchedule = "0 * * * * ?";

    /// <summary>Off unless configured: the job then does nothing.</summary>
    public bool Enabled { get; set; }

    /// <summary>The shared mailbox's address (or Entra object id), e.g. <c>phish-report@contoso.com</c>.</summary>
    public string Mailbox { get; set; } = "";

    /// <summary>The folder read for new reports: a well-known name (<c>inbox</c>) or a folder id.</summary>
    public string Folder { get; set; } = "inbox";

    /// <summary>
    /// Display name of a top-level folder of the mailbox that processed reports are moved to (create it first). Empty:
    /// processed reports are only marked read, and only unread messages are read.
    /// </summary>
    public string ProcessedFolder { get; set; } = "Processed";

    /// <summary>Quartz cron: how often the mailbox is read (every minute by default).</summary>
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>Messages handled per run at most; the rest wait for the next run.</summary>
    public int MaxMessagesPerRun { get; set; } = 50;

    /// <summary>Messages asked for per Graph page.</summary>
    public int PageSize { get; set; } = 25;

    /// <summary>Largest reported message analysed (its full MIME); a larger one is reported to the SOC as not analysed.</summary>
    public long MaxMessageBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>Whether the reporter gets an acknowledgement before the analysis (then the verdict after it).</summary>
    public bool SendAcknowledgement { get; set; } = true;

    /// <summary>
    /// Domains whose reporters get replies. Empty: only the mailbox's own domain, so mail from outside (spam sent
    /// straight to the report address) never makes the bot send mail to whoever the From line names (backscatter).
    /// </summary>
    public IList<string> ReplyDomains { get; } = [];

    /// <summary>
    /// Replies in the reporter's personal chat with the bot when there is one (their address resolved to an Entra user
    /// by Graph, which then needs the <c>User.ReadBasic.All</c> application permission too); e-mail otherwise.
    /// </summary>
    public bool ReplyInTeams { get; set; }

    /// <summary>How many times a failed reporter reply is tried again, one try per run.</summary>
    public int MaxReplyAttempts { get; set; } = 5;

    /// <summary>Reporter-facing texts, edited by admins.</summary>
    public ReportMailboxTemplates Templates { get; set; } = new();

    public IReadOnlyList<string> EffectiveReplyDomains =>
        ReplyDomains.Count > 0
            ? [.. ReplyDomains.Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0)]
            : Mailbox.LastIndexOf('@') is var at and > 0 ? [Mailbox[(at + 1)..].Trim().ToLowerInvariant()] : [];
}

/// <summary>
/// The reporter replies: plain text, never HTML. Placeholders: <c>{subject}</c> (the reported message's subject, made
/// printable, one line, links and addresses defanged), <c>{verdict}</c>, <c>{score}</c>, <c>{reportId}</c>. Nothing
/// else from the reported message is ever put in a reply, and the reply is a new message, never a reply that would
/// quote the suspicious mail back.
/// </summary>
public sealed class ReportMailboxTemplates
{
    public string AcknowledgementSubject { get; set; } = "We received your report: {subject}";

    public string Acknowledgement { get; set; } =
        "Thank you for reporting \"{subject}\". We are analysing it now and will tell you what we find.\n\nReport id: {reportId}";

    public string VerdictSubject { get; set; } = "Your report: {verdict}: {subject}";

    public string Malicious { get; set; } =
        "Thank you: the message \"{subject}\" you reported is malicious. Do not open its links or attachments, and delete it. "
        + "If you already clicked a link or entered a password, contact the security team right away.\n\nReport id: {reportId}";

    public string Suspicious { get; set; } =
        "Thank you: the message \"{subject}\" you reported looks suspicious. Please do not act on it; the security team is reviewing it.\n\nReport id: {reportId}";

    public string Clean { get; set; } =
        "Thank you: we found nothing malicious in \"{subject}\". Reporting was the right call; keep doing it whenever something looks off.\n\nReport id: {reportId}";

    public string Unknown { get; set; } =
        "Thank you for reporting \"{subject}\". We could not analyse it automatically; the security team will look at it.\n\nReport id: {reportId}";

    public IEnumerable<(string Key, string Value)> All() =>
    [
        (nameof(AcknowledgementSubject), AcknowledgementSubject),
        (nameof(Acknowledgement), Acknowledgement),
        (nameof(VerdictSubject), VerdictSubject),
        (nameof(Malicious), Malicious),
        (nameof(Suspicious), Suspicious),
        (nameof(Clean), Clean),
        (nameof(Unknown), Unknown),
    ];
}

internal sealed partial class ReportMailboxOptionsValidator(IOptions<GraphOptions> graphOptions) : IValidateOptions<ReportMailboxOptions>
{
    public const int MaxTemplateChars = 4000;
    public const int MaxRunLimit = 1000;

    public static IReadOnlyList<string> Placeholders { get; } = ["subject", "verdict", "score", "reportId"];

    public ValidateOptionsResult Validate(string? name, ReportMailboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        const string P = ReportMailboxOptions.SectionName;
        if (options.Enabled)
        {
            if (!MailAddressText.IsPlainAddress(options.Mailbox) && !Guid.TryParse(options.Mailbox, out _))
            {
                problems.Add($"{P}:Mailbox must be the shared mailbox's address (or its object id) when {P}:Enabled is true.");
            }

            if (!graphOptions.Value.IsConfigured)
            {
                problems.Add($"{P}:Graph:ClientId, ClientSecret and TenantId must be set when {P}:Enabled is true.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.Folder) || options.Folder.Length > 512 || options.Folder.Any(char.IsControl))
        {
            problems.Add($"{P}:Folder must be a well-known folder name (inbox) or a folder id.");
        }

        if (options.ProcessedFolder.Length > 255 || options.ProcessedFolder.Any(char.IsControl))
        {
            problems.Add($"{P}:ProcessedFolder must be a folder display name of at most 255 characters, or empty.");
        }

        if (string.IsNullOrWhiteSpace(options.Schedule) || !CronExpression.TryParse(options.Schedule, out _))
        {
            problems.Add($"{P}:Schedule is not a valid Quartz cron expression.");
        }

        if (options.MaxMessagesPerRun is < 1 or > MaxRunLimit)
        {
            problems.Add($"{P}:MaxMessagesPerRun must be between 1 and {MaxRunLimit}.");
        }

        if (options.PageSize is < 1 or > 100)
        {
            problems.Add($"{P}:PageSize must be between 1 and 100.");
        }

        if (options.MaxMessageBytes is < 1024 or > 150L * 1024 * 1024)
        {
            problems.Add($"{P}:MaxMessageBytes must be between 1 KiB and 150 MiB (Exchange Online's largest message).");
        }

        if (options.MaxReplyAttempts is < 1 or > 50)
        {
            problems.Add($"{P}:MaxReplyAttempts must be between 1 and 50.");
        }

        foreach (string domain in options.ReplyDomains)
        {
            if (string.IsNullOrWhiteSpace(domain) || domain.Contains('@', StringComparison.Ordinal) || domain.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                problems.Add($"{P}:ReplyDomains entries must be bare domain names such as contoso.com.");
                break;
            }
        }

        foreach ((string key, string value) in (options.Templates ?? new ReportMailboxTemplates()).All())
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > MaxTemplateChars)
            {
                problems.Add($"{P}:Templates:{key} must be between 1 and {MaxTemplateChars} characters.");
                continue;
            }

            foreach (Match placeholder in PlaceholderPattern().Matches(value))
            {
                if (!Placeholders.Contains(placeholder.Groups[1].Value, StringComparer.Ordinal))
                {
                    problems.Add($"{P}:Templates:{key} uses the unknown placeholder {{{placeholder.Groups[1].Value}}}; known: {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}.");
                }
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    [GeneratedRegex(@"\{([A-Za-z]+)\}", RegexOptions.CultureInvariant)]
    internal static partial Regex PlaceholderPattern();
}
