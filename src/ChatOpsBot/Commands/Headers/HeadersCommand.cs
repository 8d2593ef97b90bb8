using System.Text;
using System.Text.RegularExpressions;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Parsing;
using ChatOpsBot.Commands.Pipeline;

namespace ChatOpsBot.Commands.Headers;

/// <summary>
/// <c>headers &lt;pasted header block&gt;</c>: hops, authentication, IPs and findings of a header block copied from a
/// mail client ("Show original", "View message source"), fenced in ``` or not. It is analysed as a message without a body.
/// </summary>
internal sealed partial class HeadersCommand : IChatCommand
{
    public const string BlockArgument = "headers";

    public string Name => "headers";

    public Role RequiredRole => Role.Analyst;

    public string ProgressSubject => "the header block";

    public CommandHelp Help { get; } = new(
        "headers",
        "headers <pasted header block>",
        "Analyses a pasted header block: Received hops and delays, SPF/DKIM/DMARC, IPs and findings.",
        ["headers ```Received: from ... Authentication-Results: ...```"]);

    public ArgumentBinding Bind(CommandInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string raw = input.IsCardAction ? Arguments.Card(input, BlockArgument) ?? string.Empty : input.RawArguments;
        string block = CodeFence.Strip(raw);
        if (block.Length == 0)
        {
            return ArgumentBinding.Fail("Paste the header block after the word headers (a code block with ``` keeps its lines).");
        }

        if (!HeaderLine().IsMatch(block))
        {
            return ArgumentBinding.Fail("That does not look like a header block: I expected lines such as 'Received: ...' or 'From: ...'.");
        }

        return ArgumentBinding.Ok(new Dictionary<string, string> { [BlockArgument] = block }, BlockArgument);
    }

    public Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        byte[] message = Encoding.UTF8.GetBytes(ToMessage(context.Arguments[BlockArgument]));
        try
        {
            return Task.FromResult(CommandResult.Success(HeadersCard.Build(EmailAnalyzer.Analyze(message))));
        }
        catch (InvalidInputException ex)
        {
            throw new CommandInputException($"I could not read that header block: {ex.Message}", ex);
        }
    }

    /// <summary>The block with CRLF line ends and the blank line that ends a header section.</summary>
    internal static string ToMessage(string block)
    {
        string normalized = block.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

        // A blank line inside a paste would end the header section early; pasted blocks never mean one.
        string[] lines = [.. normalized.Split('\n').Where(line => line.Trim().Length > 0)];
        return string.Join("\r\n", lines) + "\r\n\r\n";
    }

    [GeneratedRegex(@"^[!-9;-~]{1,76}:", RegexOptions.Multiline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HeaderLine();
}
