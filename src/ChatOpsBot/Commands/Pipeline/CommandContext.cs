using System.Security.Cryptography;
using ChatOpsBot.Commands.Auditing;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Files;

namespace ChatOpsBot.Commands.Pipeline;

/// <summary>Everything a command may use about the request it runs for.</summary>
public sealed class CommandContext
{
    private readonly List<string> _auditedFiles = [];
    private readonly long _maxAttachmentBytes;

    internal CommandContext(
        ChatRequest request,
        CallerIdentity caller,
        ArgumentBinding arguments,
        CommandInput input,
        IReadOnlyList<IChatCommand> availableCommands,
        long maxAttachmentBytes)
    {
        Request = request;
        AvailableCommands = availableCommands;
        Caller = caller;
        Arguments = arguments.Values;
        Input = input;
        _maxAttachmentBytes = maxAttachmentBytes;
    }

    public ChatRequest Request { get; }

    public CallerIdentity Caller { get; }

    /// <summary>The bound arguments (see <see cref="IChatCommand.Bind"/>).</summary>
    public IReadOnlyDictionary<string, string> Arguments { get; }

    public CommandInput Input { get; }

    /// <summary>The commands the caller may run, in name order.</summary>
    public IReadOnlyList<IChatCommand> AvailableCommands { get; }

    public IReadOnlyList<InboundFile> Files => Input.Files;

    public string CorrelationId => Request.CorrelationId;

    /// <summary>Files read so far, as the audit trail records them: name, size and SHA-256, never content.</summary>
    internal IReadOnlyList<string> AuditedFiles => _auditedFiles;

    /// <summary>
    /// Downloads <paramref name="file"/> into memory, refusing it (with a <see cref="CommandInputException"/> the caller
    /// sees) when it is larger than <paramref name="maxBytes"/> or the configured attachment limit, whichever is lower,
    /// or when it cannot be downloaded.
    /// </summary>
    public async Task<AttachmentContent> ReadFileAsync(InboundFile file, long? maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        long limit = Math.Min(maxBytes ?? long.MaxValue, _maxAttachmentBytes);
        AttachmentContent content = await AttachmentReader.ReadAsync(file, limit, cancellationToken).ConfigureAwait(false);
        _auditedFiles.Add(AuditFacts(content));
        return content;
    }

    private static string AuditFacts(AttachmentContent content) =>
        $"{SecretRedactor.ForAudit(content.Name, 128)} ({content.Bytes.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(content.Bytes.Span))})";
}
