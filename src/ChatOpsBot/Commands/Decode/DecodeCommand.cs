using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Mimecast;
using ChatOpsBot.Commands.Parsing;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Integrations.Mimecast;

namespace ChatOpsBot.Commands.Decode;

/// <summary><c>decode &lt;url&gt;</c>: where a Mimecast-rewritten link leads (Mimecast decode-url), defanged.</summary>
internal sealed class DecodeCommand(IMimecastClient mimecast) : IChatCommand
{
    private const string UrlArgumentName = "url";

    public string Name => "decode";

    public Role RequiredRole => Role.Analyst;

    public string ProgressSubject => "the rewritten URL";

    public CommandHelp Help { get; } = new(
        "decode",
        "decode <url>",
        "Shows where a Mimecast-rewritten URL leads (Mimecast decode-url); the result is defanged, never a link. Defanged input (hxxps, [.]) is accepted.",
        ["decode https://protect-eu.mimecast.com/s/AbCdEfGhIj?domain=example.com"]);

    public ArgumentBinding Bind(CommandInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Arguments.Single(input, UrlArgumentName, "decode takes one URL.", "Give the rewritten URL to decode.", text =>
        {
            (string? url, string? problem) = UrlArgument.Parse(text);
            return url is null ? ArgumentBinding.Fail(problem!) : ArgumentBinding.Ok(new Dictionary<string, string> { [UrlArgumentName] = url });
        });
    }

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!mimecast.IsConfigured)
        {
            return MimecastReplies.NotConfigured("Decoding a rewritten URL");
        }

        string url = context.Arguments[UrlArgumentName];
        IReadOnlyList<MimecastDecodedUrl> decoded;
        try
        {
            decoded = await mimecast.DecodeUrlsAsync([url], cancellationToken).ConfigureAwait(false);
        }
        catch (MimecastApiException ex)
        {
            return MimecastReplies.Failed(ex, context.CorrelationId);
        }

        MimecastDecodedUrl answer = decoded.Count == 1 ? decoded[0] : new MimecastDecodedUrl(url, null, "Mimecast gave no answer for this URL.");
        return answer.DecodedUrl is { } original
            ? CommandResult.Success(DecodedUrlCard.Build(url, original, null))
            : CommandResult.Unusable(DecodedUrlCard.Build(url, null, answer.Error));
    }
}
