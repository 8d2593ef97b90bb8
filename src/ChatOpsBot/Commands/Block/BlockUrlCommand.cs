using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Mimecast;
using ChatOpsBot.Commands.Parsing;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Integrations.Mimecast;

namespace ChatOpsBot.Commands.Block;

/// <summary>
/// <c>block url &lt;url&gt;</c>: a Mimecast managed URL with action "block" (this URL exactly), so URL Protect blocks
/// clicks on it for everyone. A response action: confirmed first, audited twice (asked, confirmed).
/// </summary>
internal sealed class BlockUrlCommand(IMimecastClient mimecast) : IChatCommand
{
    private const string UrlArgumentName = "url";

    public string Name => "block url";

    public Role RequiredRole => Role.Responder;

    // Nothing to confirm when nothing can happen: without Mimecast the command says so at once.
    public bool RequiresConfirmation => mimecast.IsConfigured;

    public string ProgressSubject => "the block";

    public string ConfirmationTitle => "Block URL";

    public CommandHelp Help { get; } = new(
        "block url",
        "block url <url>",
        "Blocks clicks on a URL for the whole organisation (a Mimecast managed URL); defanged input is accepted; asks for confirmation first.",
        ["block url hxxps://login-micros0ft[.]example/reset"]);

    public string ConfirmationPrompt(IReadOnlyDictionary<string, string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return $"Block {arguments[UrlArgumentName]} for the whole organisation? Mimecast URL Protect will block every click on this exact URL.";
    }

    public ArgumentBinding Bind(CommandInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Arguments.Single(input, UrlArgumentName, "block url takes one URL.", "Give the URL to block.", text =>
        {
            (string? url, string? problem) = UrlArgument.Parse(text);
            if (url is null)
            {
                return ArgumentBinding.Fail(problem!);
            }

            // A fragment never reaches the server and Mimecast refuses one in a managed URL: what is blocked is the URL without it.
            int hash = url.IndexOf('#', StringComparison.Ordinal);
            return ArgumentBinding.Ok(new Dictionary<string, string> { [UrlArgumentName] = hash >= 0 ? url[..hash] : url });
        });
    }

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!mimecast.IsConfigured)
        {
            return MimecastReplies.NotConfigured("Blocking a URL");
        }

        string url = context.Arguments[UrlArgumentName];
        MimecastBlockUrlResult result;
        try
        {
            result = await mimecast.BlockUrlAsync(url, MimecastUrlMatchType.Explicit, $"Blocked via ChatOpsBot, request {context.CorrelationId}", cancellationToken)
                .ConfigureAwait(false);
        }
        catch (MimecastApiException ex)
        {
            return MimecastReplies.Failed(ex, context.CorrelationId);
        }

        var details = new List<KeyValuePair<string, string>>
        {
            new("URL", url),
            new("Match", "this URL exactly"),
            new("Requested by", context.Caller.DisplayName ?? context.Caller.Id),
        };
        if (result.Entry?.Id is { } id)
        {
            details.Add(new("Mimecast entry id", id));
        }

        return result.Outcome == MimecastWriteOutcome.Created
            ? CommandResult.Success(ResponseActionCard.Build(new ResponseActionResult(
                "URL blocked",
                "Mimecast URL Protect now blocks clicks on this URL for the whole organisation.",
                NoticeStyle.Success,
                details)))
            : CommandResult.Unusable(ResponseActionCard.Build(new ResponseActionResult(
                "Already managed",
                "Mimecast already has a managed URL entry for this URL, so nothing changed; check in the Mimecast console that its action is block.",
                NoticeStyle.Warning,
                details)));
    }
}
