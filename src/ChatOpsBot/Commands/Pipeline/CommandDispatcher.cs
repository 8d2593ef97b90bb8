using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Commands.Auditing;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Confirmation;
using ChatOpsBot.Commands.Parsing;
using ChatOpsBot.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Commands.Pipeline;

/// <summary>
/// The one pipeline every message and card action goes through: parse → authorise → bind → run (with typing, a
/// progress card for slow work, and an error card instead of silence) → render, and one audit entry at the end.
/// </summary>
internal sealed partial class CommandDispatcher(
    CommandCatalog catalog,
    RoleResolver roles,
    PendingConfirmations pendingConfirmations,
    AuditWriter auditWriter,
    IOptions<CommandOptions> options,
    TimeProvider timeProvider,
    ILogger<CommandDispatcher> logger)
{
    public const int MaxCardArgs = 32;
    public const int MaxCardArgKeyChars = 64;
    public const int MaxCardArgValueChars = 4096;

    // The last word to a request that was cut short uses its own short deadline: the request's token is already cancelled.
    private static readonly TimeSpan s_noticeTimeout = TimeSpan.FromSeconds(2);

    public async Task DispatchAsync(ChatRequest request, IChatResponder responder, CancellationToken stopping)
    {
        long started = timeProvider.GetTimestamp();
        using var timeout = new CancellationTokenSource(options.Value.CommandTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        CancellationToken cancellationToken = linked.Token;
        var caller = new CallerIdentity(request.Actor.Id, request.Actor.DisplayName, request.Channel, roles.RoleOf(request.Actor.Id));
        var turn = new Turn(request, caller, responder);
        using IDisposable? scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = request.CorrelationId });
        try
        {
            await SendTypingAsync(responder, cancellationToken).ConfigureAwait(false);
            turn.Outcome = request.Action is { } action
                ? await HandleActionAsync(turn, action, cancellationToken).ConfigureAwait(false)
                : await HandleMessageAsync(turn, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            turn.Outcome = AuditOutcome.Failed;
            bool stoppingNow = stopping.IsCancellationRequested;
            turn.Notes.Add(stoppingNow ? "cancelled: the bot was stopping" : "cancelled: took longer than the command timeout");
            if (!stoppingNow)
            {
                LogTimedOut(logger, turn.Command, options.Value.CommandTimeout, request.CorrelationId);
            }

            await NotifyInterruptedAsync(turn, stoppingNow
                ? NoticeCard.Build("Interrupted", "I was restarting and could not finish this. Please try again in a minute.", NoticeStyle.Warning)
                : ErrorCard.Build($"{turn.Command} took too long and was stopped. Please try again; if it keeps happening, report the correlation id.", request.CorrelationId))
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A command's own failures are error cards already; this is the channel refusing an answer, or a bug in the
            // pipeline. Either way the user is told, if the channel lets us.
            LogDispatchFailed(logger, ex, turn.Command, request.CorrelationId);
            turn.Outcome ??= AuditOutcome.Failed;
            turn.Notes.Add($"not completed: {ex.GetType().Name}");
            await NotifyInterruptedAsync(turn, ErrorCard.Build(
                "I could not complete this because of an internal error. If it happens again, report the correlation id below.", request.CorrelationId)).ConfigureAwait(false);
        }
        finally
        {
            await auditWriter.AppendAsync(
                request, turn.Command, turn.DescribeForAudit(), turn.Outcome ?? AuditOutcome.Failed, timeProvider.GetElapsedTime(started)).ConfigureAwait(false);
        }
    }

    private async Task<AuditOutcome> HandleMessageAsync(Turn turn, CancellationToken cancellationToken)
    {
        ChatRequest request = turn.Request;
        string text = request.Text ?? string.Empty;
        int maxChars = options.Value.MaxTextChars;
        if (text.Length > maxChars)
        {
            turn.Command = "(message)";
            turn.Arguments = AuditWriter.Fingerprint(text);
            return await ReplyPrivatelyAsync(turn, NoticeCard.Build(
                "That message is too long",
                $"I read messages of up to {maxChars:N0} characters; this one has {text.Length:N0}. Send large content as a file.",
                NoticeStyle.Warning), AuditOutcome.Usage, cancellationToken).ConfigureAwait(false);
        }

        CommandText parsed = CommandText.Parse(text);
        IReadOnlyList<InboundFile> files = request.Files ?? [];
        if (parsed.IsEmpty)
        {
            return files.Count > 0
                ? await RunAsync(turn, Required(AnalyzeCommandName), new CommandInput([], string.Empty, null, files, BareFile: true), cancellationToken).ConfigureAwait(false)
                : await RunAsync(turn, Required(HelpCommandName), new CommandInput([], string.Empty, null, files), cancellationToken).ConfigureAwait(false);
        }

        string[] words = [.. parsed.Tokens.Select(t => t.Value)];
        switch (catalog.Resolve(words, turn.Caller.Role))
        {
            case CommandResolution.Found found:
                return await RunAsync(
                    turn, found.Command, new CommandInput(words[found.WordsUsed..], parsed.RestAfter(found.WordsUsed), null, files), cancellationToken).ConfigureAwait(false);

            case CommandResolution.Group group:
                turn.Command = group.Name;
                turn.Arguments = AuditWriter.DescribeRaw(parsed.RestAfter(1));
                return group.AnyVisible
                    ? await ReplyPrivatelyAsync(turn, UsageCard.Build(group.Help, group.Problem, group.DidYouMean), AuditOutcome.Usage, cancellationToken).ConfigureAwait(false)
                    : await DenyAsync(turn, group.Name, Role.Analyst, cancellationToken).ConfigureAwait(false);

            case CommandResolution.Unknown unknown when files.Count > 0 && unknown.DidYouMean is null:
                // Words that are no command, with a file: someone forwarding mail with a comment ("is this phishing?").
                return await RunAsync(turn, Required(AnalyzeCommandName), new CommandInput([], string.Empty, null, files, BareFile: true), cancellationToken).ConfigureAwait(false);

            case CommandResolution.Unknown unknown:
                turn.Command = "(unknown)";
                turn.Arguments = AuditWriter.DescribeRaw(parsed.Text);
                string word = PrintableText.OneLine(unknown.Word, 40);
                return await ReplyPrivatelyAsync(
                    turn,
                    unknown.Help is { } help
                        ? UsageCard.Build(help, $"I don't know the command '{word}'.", unknown.DidYouMean)
                        : NoticeCard.Build("I don't know that command", $"'{word}' is not one of my commands. Type help to see what you can ask me."),
                    AuditOutcome.Usage,
                    cancellationToken).ConfigureAwait(false);

            default:
                throw new InvalidOperationException("Unhandled command resolution.");
        }
    }

    private async Task<AuditOutcome> HandleActionAsync(Turn turn, ChatCardAction action, CancellationToken cancellationToken)
    {
        string verb = CommandText.NormalizeName(action.Verb ?? string.Empty).Trim();
        turn.Command = verb.Length is > 0 and <= MaxCardArgKeyChars ? PrintableText.OneLine(verb) : "(card action)";
        IReadOnlyDictionary<string, string> args = action.Args ?? new Dictionary<string, string>();
        if (args.Count > MaxCardArgs || args.Any(kv => kv.Key.Length > MaxCardArgKeyChars || (kv.Value?.Length ?? 0) > MaxCardArgValueChars))
        {
            turn.Arguments = $"<{args.Count} arguments, over the limits>";
            return await ReplyPrivatelyAsync(
                turn, NoticeCard.Build("That button sent too much", "I could not use that button's data.", NoticeStyle.Warning), AuditOutcome.Usage, cancellationToken).ConfigureAwait(false);
        }

        if (verb == CardActions.ConfirmVerb || verb == CardActions.CancelVerb)
        {
            return await ConfirmOrCancelAsync(turn, action, args, confirm: verb == CardActions.ConfirmVerb, cancellationToken).ConfigureAwait(false);
        }

        if (catalog.Find(verb) is not { } command)
        {
            turn.Arguments = AuditWriter.DescribeArguments(args, new HashSet<string>());
            return await ReplyPrivatelyAsync(
                turn, NoticeCard.Build("That button no longer works", "Type help to see what you can ask me."), AuditOutcome.Usage, cancellationToken).ConfigureAwait(false);
        }

        return await RunAsync(turn, command, new CommandInput([], string.Empty, args, []), cancellationToken).ConfigureAwait(false);
    }

    private async Task<AuditOutcome> RunAsync(Turn turn, IChatCommand command, CommandInput input, CancellationToken cancellationToken)
    {
        turn.Command = command.Name;
        if (!turn.Caller.Has(command.RequiredRole))
        {
            turn.Arguments = DescribeUnbound(input);
            return await DenyAsync(turn, command.Name, command.RequiredRole, cancellationToken).ConfigureAwait(false);
        }

        ArgumentBinding binding = command.Bind(input);
        if (binding.Problem is { } problem)
        {
            turn.Arguments = DescribeUnbound(input);
            return await ReplyPrivatelyAsync(turn, UsageCard.Build(command.Help, problem, null), AuditOutcome.Usage, cancellationToken).ConfigureAwait(false);
        }

        turn.Arguments = AuditWriter.DescribeArguments(binding.Values, binding.ContentKeys);
        if (command.RequiresConfirmation)
        {
            return await AskConfirmationAsync(turn, command, binding, cancellationToken).ConfigureAwait(false);
        }

        var context = new CommandContext(turn.Request, turn.Caller, binding, input, catalog.VisibleTo(turn.Caller.Role), options.Value.MaxAttachmentBytes);
        string? pressedCard = command.UpdatesPressedCard ? turn.Request.Action?.CardMessageId : null;
        return await ExecuteAsync(turn, command, context, replaceMessageId: pressedCard, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AuditOutcome> AskConfirmationAsync(Turn turn, IChatCommand command, ArgumentBinding binding, CancellationToken cancellationToken)
    {
        ChatRequest request = turn.Request;
        PendingConfirmation? pending = await pendingConfirmations.AddAsync(
            command.Name, binding.Values, binding.ContentKeys, request.Actor.Id, request.Channel, request.Conversation.Id, cancellationToken).ConfigureAwait(false);
        if (pending is null)
        {
            turn.Notes.Add("too many pending confirmations");
            return await ReplyPrivatelyAsync(
                turn, NoticeCard.Build("I'm busy", "Too many actions are waiting for confirmation. Please try again in a few minutes.", NoticeStyle.Warning),
                AuditOutcome.Busy, cancellationToken).ConfigureAwait(false);
        }

        turn.Notes.Add("confirmation requested");
        var card = new PendingAction(command.Name, command.ConfirmationTitle, command.ConfirmationPrompt(binding.Values), pending.Token)
        {
            Details = [.. binding.Values.Where(kv => !binding.ContentKeys.Contains(kv.Key))],
            ExpiresAt = pending.ExpiresAt,
        };
        await turn.Responder.SendCardAsync(ConfirmationCard.Build(card), cancellationToken).ConfigureAwait(false);
        return AuditOutcome.Succeeded;
    }

    private async Task<AuditOutcome> ConfirmOrCancelAsync(
        Turn turn, ChatCardAction action, IReadOnlyDictionary<string, string> args, bool confirm, CancellationToken cancellationToken)
    {
        ChatRequest request = turn.Request;
        (ClaimStatus status, PendingConfirmation? pending) = await pendingConfirmations.TryClaimAsync(
            args.GetValueOrDefault(CardActions.TokenKey), request.Actor.Id, request.Channel, request.Conversation.Id, cancellationToken).ConfigureAwait(false);
        if (pending is not null)
        {
            turn.Command = pending.CommandName;
            turn.Arguments = AuditWriter.DescribeArguments(pending.Arguments, pending.ContentKeys);
        }

        turn.Notes.Add(confirm ? "confirm pressed" : "cancel pressed");
        switch (status)
        {
            case ClaimStatus.Gone:
                return await ReplyPrivatelyAsync(turn, NoticeCard.Build(
                    "Nothing to confirm", "This confirmation expired or was already used. Run the command again if you still want it."),
                    AuditOutcome.Usage, cancellationToken).ConfigureAwait(false);

            case ClaimStatus.NotYours:
                return await ReplyPrivatelyAsync(turn, NoticeCard.Build(
                    "Not yours to confirm", "Only the person who asked for this action can confirm or cancel it.", NoticeStyle.Warning),
                    AuditOutcome.Denied, cancellationToken).ConfigureAwait(false);
        }

        PendingConfirmation claimed = pending!;
        if (!confirm)
        {
            await ReplaceOrSendAsync(turn.Responder, action.CardMessageId, NoticeCard.Build("Cancelled", $"{claimed.CommandName} was cancelled; nothing changed."), cancellationToken).ConfigureAwait(false);
            return AuditOutcome.Succeeded;
        }

        // Defence in depth: the requester held the role when asking; every execution passes the same gate anyway.
        IChatCommand command = Required(claimed.CommandName);
        if (!turn.Caller.Has(command.RequiredRole))
        {
            return await DenyAsync(turn, command.Name, command.RequiredRole, cancellationToken).ConfigureAwait(false);
        }

        var binding = ArgumentBinding.Ok(claimed.Arguments, [.. claimed.ContentKeys]);
        var input = new CommandInput([], string.Empty, claimed.Arguments, []);
        var context = new CommandContext(request, turn.Caller, binding, input, catalog.VisibleTo(turn.Caller.Role), options.Value.MaxAttachmentBytes);
        return await ExecuteAsync(turn, command, context, action.CardMessageId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AuditOutcome> ExecuteAsync(Turn turn, IChatCommand command, CommandContext context, string? replaceMessageId, CancellationToken cancellationToken)
    {
        turn.ReplaceMessageId = replaceMessageId;

        // On the thread pool, so analysis that runs synchronously cannot hold back the progress card.
        Task<CommandResult> work = Task.Run(() => RunSafelyAsync(command, context, cancellationToken), cancellationToken);
        if (!command.RepliesPrivately && !work.IsCompleted)
        {
            using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task delay = Task.Delay(options.Value.ProgressDelay, timeProvider, delayCancellation.Token);
            Task first = await Task.WhenAny(work, delay).ConfigureAwait(false);
            await delayCancellation.CancelAsync().ConfigureAwait(false);
            if (first == delay && !work.IsCompleted)
            {
                turn.ProgressMessageId = await ShowProgressAsync(turn.Responder, ProgressCard.Build(command.ProgressSubject), replaceMessageId, cancellationToken).ConfigureAwait(false);
            }
        }

        CommandResult result = await work.ConfigureAwait(false);
        turn.Outcome = result.Outcome;
        turn.Files.AddRange(context.AuditedFiles);
        await DeliverAsync(turn, result, cancellationToken).ConfigureAwait(false);
        return result.Outcome;
    }

    private async Task<CommandResult> RunSafelyAsync(IChatCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is CommandInputException or InvalidInputException)
        {
            Type exceptionType = ex.GetType();
            LogBadInput(logger, exceptionType, command.Name, context.CorrelationId);
            return new CommandResult(ErrorCard.Build(ex.Message, context.CorrelationId), AuditOutcome.Failed);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogCommandFailed(logger, ex, command.Name, context.CorrelationId);
            return new CommandResult(
                ErrorCard.Build($"I could not finish {command.Name} because of an internal error. If it happens again, report the correlation id below.", context.CorrelationId),
                AuditOutcome.Failed);
        }
    }

    private async Task<string?> ShowProgressAsync(IChatResponder responder, AdaptiveCard progress, string? replaceMessageId, CancellationToken cancellationToken)
    {
        try
        {
            if (replaceMessageId is not null)
            {
                await responder.UpdateCardAsync(replaceMessageId, progress, cancellationToken).ConfigureAwait(false);
                return replaceMessageId;
            }

            return await responder.SendCardAsync(progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The result still goes out as its own message.
            LogProgressFailed(logger, ex);
            return null;
        }
    }

    private async Task DeliverAsync(Turn turn, CommandResult result, CancellationToken cancellationToken)
    {
        string? target = turn.ProgressMessageId ?? turn.ReplaceMessageId;
        if (result.Private)
        {
            if (turn.ProgressMessageId is not null)
            {
                await ReplaceOrSendAsync(turn.Responder, turn.ProgressMessageId, NoticeCard.Build("Done", "I answered you privately."), cancellationToken).ConfigureAwait(false);
            }

            await turn.Responder.SendPrivateCardAsync(result.Card, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ReplaceOrSendAsync(turn.Responder, target, result.Card, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReplaceOrSendAsync(IChatResponder responder, string? messageId, AdaptiveCard card, CancellationToken cancellationToken)
    {
        if (messageId is not null)
        {
            try
            {
                await responder.UpdateCardAsync(messageId, card, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogUpdateFailed(logger, ex);
            }
        }

        await responder.SendCardAsync(card, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<AuditOutcome> DenyAsync(Turn turn, string commandName, Role required, CancellationToken cancellationToken) =>
        await ReplyPrivatelyAsync(
            turn,
            NoticeCard.Build(
                "Not allowed",
                $"{commandName} needs the {RoleNames.Of(required)} role, and you have the {RoleNames.Of(turn.Caller.Role)} role. Ask an admin of this bot if you need it; type whoami to see your id.",
                NoticeStyle.Warning),
            AuditOutcome.Denied,
            cancellationToken).ConfigureAwait(false);

    private static async Task<AuditOutcome> ReplyPrivatelyAsync(Turn turn, AdaptiveCard card, AuditOutcome outcome, CancellationToken cancellationToken)
    {
        // Decided before the reply goes out, so a channel failure cannot turn a refusal into "Failed" in the trail.
        turn.Outcome = outcome;
        await turn.Responder.SendPrivateCardAsync(card, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    private async Task SendTypingAsync(IChatResponder responder, CancellationToken cancellationToken)
    {
        try
        {
            await responder.SendTypingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogTypingFailed(logger, ex);
        }
    }

    private async Task NotifyInterruptedAsync(Turn turn, AdaptiveCard card)
    {
        using var timeout = new CancellationTokenSource(s_noticeTimeout);
        try
        {
            await ReplaceOrSendAsync(turn.Responder, turn.ProgressMessageId ?? turn.ReplaceMessageId, card, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNoticeFailed(logger, ex, turn.Command, turn.Request.CorrelationId);
        }
    }

    private static string DescribeUnbound(CommandInput input)
    {
        string arguments = input.CardArgs is { } cardArgs
            ? AuditWriter.DescribeArguments(cardArgs, new HashSet<string>())
            : AuditWriter.DescribeRaw(input.RawArguments);
        return input.Files.Count == 0 ? arguments : $"{arguments} files: {AuditWriter.DescribeUnreadFiles(input.Files)}".Trim();
    }

    private IChatCommand Required(string name) =>
        catalog.Find(name) ?? throw new InvalidOperationException($"The '{name}' command is not registered.");

    internal const string AnalyzeCommandName = "analyze";
    internal const string HelpCommandName = "help";

    /// <summary>What one dispatch learned, for its reply and its audit entry.</summary>
    private sealed class Turn(ChatRequest request, CallerIdentity caller, IChatResponder responder)
    {
        public ChatRequest Request { get; } = request;

        public CallerIdentity Caller { get; } = caller;

        public IChatResponder Responder { get; } = responder;

        public string Command { get; set; } = "(none)";

        public string Arguments { get; set; } = string.Empty;

        public List<string> Files { get; } = [];

        public List<string> Notes { get; } = [];

        public AuditOutcome? Outcome { get; set; }

        public string? ProgressMessageId { get; set; }

        public string? ReplaceMessageId { get; set; }

        public string DescribeForAudit()
        {
            var parts = new List<string>();
            if (Arguments.Length > 0)
            {
                parts.Add(Arguments);
            }

            if (Files.Count > 0)
            {
                parts.Add("files: " + string.Join(", ", Files));
            }

            parts.AddRange(Notes);
            return string.Join("; ", parts);
        }
    }

    // Only the type: the message may echo file content, and the user already sees it on the error card.
    [LoggerMessage(Level = LogLevel.Information, Message = "{Command}: input refused ({ExceptionType}), correlation id {CorrelationId}")]
    private static partial void LogBadInput(ILogger logger, Type exceptionType, string command, string correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Command} failed, correlation id {CorrelationId}")]
    private static partial void LogCommandFailed(ILogger logger, Exception exception, string command, string correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not complete {Command}, correlation id {CorrelationId}")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, string command, string correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the user that {Command} was interrupted, correlation id {CorrelationId}")]
    private static partial void LogNoticeFailed(ILogger logger, Exception exception, string command, string correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} stopped after the command timeout of {Timeout}, correlation id {CorrelationId}")]
    private static partial void LogTimedOut(ILogger logger, string command, TimeSpan timeout, string correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not show the progress card; the result will be sent as a new message")]
    private static partial void LogProgressFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not update a card in place; sending a new message instead")]
    private static partial void LogUpdateFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not send the typing indicator")]
    private static partial void LogTypingFailed(ILogger logger, Exception exception);
}
