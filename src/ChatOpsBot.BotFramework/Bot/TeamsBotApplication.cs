using System.Text.RegularExpressions;
using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Bot;

/// <summary>
/// A bot built from handlers, in the shape of the Teams SDK's <c>TeamsBotApplication</c>:
/// <c>OnMessage("^help$", ...)</c>, <c>OnCardAction(...)</c>, <c>OnInstall(...)</c>. Routing per activity:
/// <list type="bullet">
/// <item>message with an object <c>value</c> and no text (Action.Submit) → <see cref="OnCardAction"/>;</item>
/// <item>message with Teams file attachments in personal chat → <see cref="OnFile"/>;</item>
/// <item>other messages → the first <see cref="OnMessage(string, Func{ITurnContext, CancellationToken, Task})"/>
/// pattern matching the mention-stripped text (case-insensitive), else the fallback;</item>
/// <item>invoke <c>adaptiveCard/action</c> (Action.Execute) → <see cref="OnCardAction"/>, its result the invoke response;</item>
/// <item>other invokes → <see cref="OnInvoke"/> by name, else 501 as the SDK answers;</item>
/// <item>installationUpdate <c>add</c>, or conversationUpdate with the bot among <c>membersAdded</c> → <see cref="OnInstall"/>
/// (once per activity; Teams sends both on an install, so de-duplicate the welcome by conversation);</item>
/// <item>every conversationUpdate → <see cref="OnConversationUpdate"/>;</item>
/// <item>anything else is acknowledged and ignored.</item>
/// </list>
/// Register handlers at start-up; the routing tables are not meant to change while turns run.
/// </summary>
public sealed class TeamsBotApplication : IBot
{
    /// <summary>What an Action.Execute gets when the handler has nothing to say: the text Teams shows for Action.Submit.</summary>
    public const string DefaultExecuteMessage = "Your response was sent to the app.";

    /// <summary>Patterns run on user text; a pathological pattern or input must not stall a turn.</summary>
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(200);

    private readonly List<(Regex Pattern, Func<ITurnContext, CancellationToken, Task> Handler)> _messageRoutes = [];
    private readonly Dictionary<string, Func<ITurnContext, CancellationToken, Task<InvokeResponse>>> _invokeRoutes = new(StringComparer.Ordinal);
    private readonly List<Func<ITurnContext, CancellationToken, Task>> _conversationUpdateHandlers = [];
    private readonly List<Func<ITurnContext, CancellationToken, Task>> _installHandlers = [];
    private Func<ITurnContext, CancellationToken, Task>? _messageFallback;
    private Func<ITurnContext, IReadOnlyList<TeamsFile>, CancellationToken, Task>? _fileHandler;
    private Func<ITurnContext, CardAction, CancellationToken, Task<AdaptiveCardInvokeResponse?>>? _cardActionHandler;

    /// <summary>Handles messages whose mention-stripped text matches <paramref name="pattern"/> (case-insensitive). First registered match wins.</summary>
    public TeamsBotApplication OnMessage(string pattern, Func<ITurnContext, CancellationToken, Task> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return OnMessage(new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternTimeout), handler);
    }

    /// <summary>As <see cref="OnMessage(string, Func{ITurnContext, CancellationToken, Task})"/>; the pattern is made case-insensitive and given a match timeout.</summary>
    public TeamsBotApplication OnMessage(Regex pattern, Func<ITurnContext, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(handler);
        TimeSpan timeout = pattern.MatchTimeout == Regex.InfiniteMatchTimeout ? PatternTimeout : pattern.MatchTimeout;
        var caseInsensitive = new Regex(pattern.ToString(), pattern.Options | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, timeout);
        _messageRoutes.Add((caseInsensitive, handler));
        return this;
    }

    /// <summary>Handles messages no pattern matched.</summary>
    public TeamsBotApplication OnMessage(Func<ITurnContext, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _messageFallback = handler;
        return this;
    }

    /// <summary>Handles personal-chat messages carrying files (<c>application/vnd.microsoft.teams.file.download.info</c>).</summary>
    public TeamsBotApplication OnFile(Func<ITurnContext, IReadOnlyList<TeamsFile>, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _fileHandler = handler;
        return this;
    }

    /// <summary>
    /// Handles card button clicks, Action.Submit and Action.Execute alike. For Action.Execute the result is the invoke
    /// response (<see cref="AdaptiveCardInvokeResponse.Card"/> replaces the card, <see cref="AdaptiveCardInvokeResponse.Message"/>
    /// shows a message; null shows <see cref="DefaultExecuteMessage"/>); for Action.Submit it is ignored (update the
    /// card with <see cref="ITurnContext.UpdateActivityAsync"/> instead).
    /// </summary>
    public TeamsBotApplication OnCardAction(Func<ITurnContext, CardAction, CancellationToken, Task<AdaptiveCardInvokeResponse?>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _cardActionHandler = handler;
        return this;
    }

    /// <summary>Handles every conversationUpdate (members added or removed, channel and team events).</summary>
    public TeamsBotApplication OnConversationUpdate(Func<ITurnContext, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _conversationUpdateHandlers.Add(handler);
        return this;
    }

    /// <summary>Handles the bot being installed in a conversation (installationUpdate add, or the bot among membersAdded).</summary>
    public TeamsBotApplication OnInstall(Func<ITurnContext, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _installHandlers.Add(handler);
        return this;
    }

    /// <summary>Handles invokes named <paramref name="name"/> (exact match); the handler's result is the HTTP answer.</summary>
    public TeamsBotApplication OnInvoke(string name, Func<ITurnContext, CancellationToken, Task<InvokeResponse>> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(handler);
        _invokeRoutes[name] = handler;
        return this;
    }

    public async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        Activity activity = turnContext.Activity;
        if (activity.IsType(ActivityTypes.Message))
        {
            await OnMessageActivityAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
        else if (activity.IsType(ActivityTypes.Invoke))
        {
            turnContext.InvokeResponse = await OnInvokeActivityAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
        else if (activity.IsType(ActivityTypes.ConversationUpdate))
        {
            if (BotWasAdded(activity))
            {
                await RunAllAsync(_installHandlers, turnContext, cancellationToken).ConfigureAwait(false);
            }

            await RunAllAsync(_conversationUpdateHandlers, turnContext, cancellationToken).ConfigureAwait(false);
        }
        else if (activity.IsType(ActivityTypes.InstallationUpdate)
            && string.Equals(activity.Action, InstallationUpdateActions.Add, StringComparison.OrdinalIgnoreCase))
        {
            await RunAllAsync(_installHandlers, turnContext, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (CardAction.FromSubmit(turnContext.Activity) is { } submit)
        {
            if (_cardActionHandler is not null)
            {
                // Action.Submit has no response channel: whatever the handler returns has nowhere to go.
                _ = await _cardActionHandler(turnContext, submit, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (_fileHandler is not null && TeamsFile.FromActivity(turnContext.Activity) is { Count: > 0 } files)
        {
            await _fileHandler(turnContext, files, cancellationToken).ConfigureAwait(false);
            return;
        }

        string text = turnContext.Text;
        foreach ((Regex pattern, Func<ITurnContext, CancellationToken, Task> handler) in _messageRoutes)
        {
            bool matches;
            try
            {
                matches = pattern.IsMatch(text);
            }
            catch (RegexMatchTimeoutException)
            {
                matches = false;
            }

            if (matches)
            {
                await handler(turnContext, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        if (_messageFallback is not null)
        {
            await _messageFallback(turnContext, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<InvokeResponse> OnInvokeActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        Activity activity = turnContext.Activity;
        if (activity.Name == ActivityNames.AdaptiveCardAction && _cardActionHandler is not null)
        {
            if (CardAction.FromExecute(activity) is not { } execute)
            {
                // The SDK's answer to a malformed adaptiveCard/action (statusCode 400, an error body).
                return new InvokeResponse(
                    StatusCodes.OK,
                    AdaptiveCardInvokeResponse.Error(StatusCodes.BadRequest, "BadRequest", "The invoke has no Action.Execute action."));
            }

            AdaptiveCardInvokeResponse? result = await _cardActionHandler(turnContext, execute, cancellationToken).ConfigureAwait(false);
            return new InvokeResponse(StatusCodes.OK, result ?? AdaptiveCardInvokeResponse.Message(DefaultExecuteMessage));
        }

        if (activity.Name is { } name && _invokeRoutes.TryGetValue(name, out Func<ITurnContext, CancellationToken, Task<InvokeResponse>>? handler))
        {
            return await handler(turnContext, cancellationToken).ConfigureAwait(false);
        }

        return new InvokeResponse(StatusCodes.NotImplemented);
    }

    private static bool BotWasAdded(Activity activity) =>
        activity.Recipient?.Id is { Length: > 0 } botId
        && activity.MembersAdded is not null
        && activity.MembersAdded.Any(m => string.Equals(m?.Id, botId, StringComparison.Ordinal));

    private static async Task RunAllAsync(List<Func<ITurnContext, CancellationToken, Task>> handlers, ITurnContext turnContext, CancellationToken cancellationToken)
    {
        foreach (Func<ITurnContext, CancellationToken, Task> handler in handlers)
        {
            await handler(turnContext, cancellationToken).ConfigureAwait(false);
        }
    }

    private static class StatusCodes
    {
        public const int OK = 200;
        public const int BadRequest = 400;
        public const int NotImplemented = 501;
    }
}
