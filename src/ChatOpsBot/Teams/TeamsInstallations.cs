using System.Text.Json;
using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Commands;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Storage;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Teams;

/// <summary>
/// The bot being added to a chat or team: its conversation reference is stored (for proactive messages, also after a
/// restart) and the welcome card is sent the first time only. Teams announces an install twice
/// (<c>installationUpdate</c> and <c>conversationUpdate</c>); the store's insert decides which one welcomes.
/// </summary>
internal sealed partial class TeamsInstallations(
    IConversationStore conversations,
    CommandCatalog catalog,
    RoleResolver roles,
    TeamsOutbox outbox,
    TimeProvider timeProvider,
    ILogger<TeamsInstallations> logger)
{
    public async Task OnInstallAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        Activity activity = turnContext.Activity;

        // Stored without the activity id: a proactive message must be a new post, not a reply to the install event.
        ConversationReference reference = turnContext.ConversationReference with { ActivityId = null };
        if (string.IsNullOrEmpty(reference.Conversation?.Id) || string.IsNullOrEmpty(reference.ServiceUrl))
        {
            LogUnusableReference(logger);
            return;
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        var stored = new StoredConversation(
            reference.ChannelId ?? Channels.MsTeams,
            reference.Conversation.Id,
            reference.ServiceUrl,
            activity.GetTenantId(),
            reference.Conversation.ConversationType ?? string.Empty,
            JsonSerializer.Serialize(reference, BotJson.Options),
            now,
            now);

        bool isNew;
        try
        {
            isNew = await conversations.UpsertAsync(stored, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            // Over the store's field limits: not a conversation Teams would create.
            LogRefusedReference(logger, ex.ParamName);
            return;
        }

        if (!isNew)
        {
            return;
        }

        AdaptiveCard welcome = Welcome(activity);
        var responder = new TeamsChatResponder(turnContext.Adapter, reference);
        outbox.TryEnqueue("welcome card", ct => responder.SendCardAsync(welcome, ct));
    }

    private AdaptiveCard Welcome(Activity activity)
    {
        // In a personal chat the installer reads it, so it lists what they may do; elsewhere everyone reads it.
        bool personal = TeamsRequests.KindOf(activity.Conversation) == ConversationKind.Personal;
        ChatActor installer = TeamsRequests.Actor(activity.From);
        Role role = personal ? roles.RoleOf(installer.Id) : Role.Reader;
        IReadOnlyList<CommandHelp> commands = [.. catalog.VisibleTo(role).Select(c => c.Help)];
        return WelcomeCard.Build(personal ? installer.DisplayName : null, commands);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Install event without a conversation id or service URL; nothing stored")]
    private static partial void LogUnusableReference(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Install event refused by the conversation store ({Field} out of bounds); nothing stored")]
    private static partial void LogRefusedReference(ILogger logger, string? field);
}
