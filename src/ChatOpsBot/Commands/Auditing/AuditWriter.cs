using System.Security.Cryptography;
using System.Text;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Storage;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Commands.Auditing;

/// <summary>
/// Appends one <see cref="AuditEntry"/> per command or card action, with arguments already redacted. A failing store
/// never costs the user their answer: the entry is logged instead (redacted, like the store would have kept it).
/// </summary>
internal sealed partial class AuditWriter(IAuditLog auditLog, TimeProvider timeProvider, ILogger<AuditWriter> logger)
{
    /// <summary>Longest argument text kept per entry.</summary>
    public const int MaxArgumentChars = 1000;

    /// <summary>Typed arguments longer than this are content (a pasted block), kept as size and hash only.</summary>
    public const int MaxVerbatimArgumentChars = 200;

    private static readonly TimeSpan s_appendTimeout = TimeSpan.FromSeconds(10);

    public async Task AppendAsync(ChatRequest request, string command, string arguments, AuditOutcome outcome, TimeSpan duration)
    {
        var entry = new AuditEntry(
            timeProvider.GetUtcNow(),
            string.IsNullOrWhiteSpace(request.Actor.Id) ? "(none)" : request.Actor.Id,
            request.Actor.DisplayName is null ? null : SecretRedactor.ForAudit(request.Actor.DisplayName, 128),
            request.Channel,
            request.Conversation.Id,
            command,
            PrintableText.OneLine(arguments, MaxArgumentChars),
            outcome,
            duration,
            request.CorrelationId);

        // The entry is written even while the host stops: the trail matters most for work that was cut short.
        using var timeout = new CancellationTokenSource(s_appendTimeout);
        try
        {
            await auditLog.AppendAsync(entry, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogAppendFailed(logger, ex, entry.Command, entry.Arguments, entry.Outcome, entry.ActorId, entry.CorrelationId);
        }
    }

    // Arguments reach AppendAsync already described by the methods below: whatever a user wrote is redacted there, and
    // what the bot computed (sizes, hashes) is added after, so the redactor cannot mistake a SHA-256 for a key.

    /// <summary>Named arguments as <c>key=value, ...</c>, redacted; content arguments as their size and SHA-256.</summary>
    public static string DescribeArguments(IReadOnlyDictionary<string, string> values, IReadOnlySet<string> contentKeys) =>
        string.Join(", ", values.Select(kv => contentKeys.Contains(kv.Key) || kv.Value.Length > MaxVerbatimArgumentChars
            ? $"{SecretRedactor.Redact(kv.Key)}={Fingerprint(kv.Value)}"
            : SecretRedactor.Redact($"{kv.Key}={kv.Value}")));

    /// <summary>Typed text that was not bound (refused or wrong): short text redacted, long text as size and hash.</summary>
    public static string DescribeRaw(string raw) => raw.Length <= MaxVerbatimArgumentChars ? SecretRedactor.Redact(raw) : Fingerprint(raw);

    /// <summary>Files that were not read: redacted name and the size the channel declared.</summary>
    public static string DescribeUnreadFiles(IReadOnlyList<InboundFile> files) =>
        string.Join(", ", files.Select(f => $"{SecretRedactor.Redact(PrintableText.OneLine(f.Name, 128))} (declared {(f.Size is long size ? $"{size} bytes" : "size unknown")}, not read)"));

    public static string Fingerprint(string content) =>
        $"<{content.Length} chars, sha256 {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))}>";

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Could not append to the audit log: {Command} {Arguments} -> {Outcome} by {ActorId} ({CorrelationId})")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, string command, string arguments, AuditOutcome outcome, string actorId, string correlationId);
}
