namespace ChatOpsBot.BotFramework.Bot;

/// <summary>A bot: handles one activity per turn (Bot Builder's <c>IBot</c>).</summary>
public interface IBot
{
    Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken);
}
