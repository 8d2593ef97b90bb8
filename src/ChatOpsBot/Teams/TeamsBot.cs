using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.Commands;

namespace ChatOpsBot.Teams;

/// <summary>
/// The Teams bot: a <see cref="TeamsBotApplication"/> whose handlers translate every turn into a
/// <see cref="ChatRequest"/> for <see cref="IChatCommandGateway"/> and return at once; answers come later through a
/// <see cref="TeamsChatResponder"/>. Messages (typed, <c>/</c>-prefixed or after an @mention), personal-chat files,
/// Action.Submit and Action.Execute all take that one path; installs store the conversation and welcome once.
/// </summary>
internal sealed class TeamsBot : IBot
{
    /// <summary>What Teams shows under an Action.Execute button while the answer is on its way.</summary>
    public const string ExecuteAcceptedMessage = "Working on it…";

    public const string ExecuteBusyMessage = "I'm busy. Please try again in a minute.";

    private readonly TeamsBotApplication _application;
    private readonly IChatCommandGateway _gateway;
    private readonly TeamsInboundFiles _files;

    public TeamsBot(IChatCommandGateway gateway, TeamsInstallations installations, TeamsInboundFiles files)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(installations);
        ArgumentNullException.ThrowIfNull(files);
        _gateway = gateway;
        _files = files;
        _application = new TeamsBotApplication()
            .OnMessage(OnMessageAsync)
            .OnFile(OnFilesAsync)
            .OnCardAction(OnCardActionAsync)
            .OnInstall(installations.OnInstallAsync);
    }

    public Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken) =>
        _application.OnTurnAsync(turnContext, cancellationToken);

    // Inline images and the text/html rendering are not files (TeamsFile reads only file download attachments), so a
    // message with a pasted screenshot is read for its text alone.
    private Task OnMessageAsync(ITurnContext turnContext, CancellationToken cancellationToken) =>
        SubmitAsync(turnContext, TeamsRequests.Message(turnContext, []), cancellationToken).AsTask();

    private Task OnFilesAsync(ITurnContext turnContext, IReadOnlyList<TeamsFile> files, CancellationToken cancellationToken) =>
        SubmitAsync(turnContext, TeamsRequests.Message(turnContext, _files.From(files)), cancellationToken).AsTask();

    private async Task<AdaptiveCardInvokeResponse?> OnCardActionAsync(ITurnContext turnContext, CardAction action, CancellationToken cancellationToken)
    {
        SubmitResult result = await SubmitAsync(turnContext, TeamsRequests.CardAction(turnContext, action), cancellationToken).ConfigureAwait(false);

        // Action.Execute must be answered now; the result arrives as a message, so the card itself stays as it is (a
        // refused button leaves it unchanged). Action.Submit ignores the return value.
        return AdaptiveCardInvokeResponse.Message(result == SubmitResult.Accepted ? ExecuteAcceptedMessage : ExecuteBusyMessage);
    }

    private ValueTask<SubmitResult> SubmitAsync(ITurnContext turnContext, ChatRequest request, CancellationToken cancellationToken) =>
        _gateway.SubmitAsync(request, new TeamsChatResponder(turnContext.Adapter, turnContext.ConversationReference), cancellationToken);
}
