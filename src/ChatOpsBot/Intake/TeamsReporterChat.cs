using System.Text.Json;
using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Integrations.Graph;
using ChatOpsBot.Storage;
using ChatOpsBot.Teams;

namespace ChatOpsBot.Intake;

/// <summary>
/// Reporter replies in Teams, when the bot can reach the reporter there. The mapping from a mail address to a chat is
/// never guessed from names: Graph resolves the address to the user's Entra object id (<c>/users/{address}</c>, then
/// the primary SMTP address), and the reply goes to the stored <b>personal</b> conversation whose reference's user has
/// exactly that <c>aadObjectId</c> (Teams sets it; the user cannot). No user, no personal chat with the bot, no Teams
/// in this process, or any failure: false, and the caller sends e-mail instead.
/// </summary>
internal sealed partial class TeamsReporterChat(
    IGraphMailClient graph,
    IConversationStore conversations,
    IServiceProvider services,
    ILogger<TeamsReporterChat> logger)
{
    public async Task<bool> TrySendAsync(string address, AdaptiveCard card, CancellationToken cancellationToken)
    {
        if (services.GetService<BotAdapter>() is not { } adapter)
        {
            return false;
        }

        string? userId;
        try
        {
            userId = await graph.FindUserIdAsync(address, cancellationToken).ConfigureAwait(false);
        }
        catch (GraphApiException ex)
        {
            LogLookupFailed(logger, ex.Kind, ex.Message);
            return false;
        }

        if (userId is null)
        {
            return false;
        }

        ConversationReference? reference = null;
        foreach (StoredConversation stored in await conversations.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (stored.ChannelId != Channels.MsTeams || !string.Equals(stored.Scope, "personal", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            ConversationReference? candidate = Read(stored.ReferenceJson);
            if (candidate?.User?.AadObjectId is { } aad && string.Equals(aad, userId, StringComparison.OrdinalIgnoreCase))
            {
                reference = candidate;
                break;
            }
        }

        if (reference is null)
        {
            return false;
        }

        try
        {
            await new TeamsChatResponder(adapter, reference).SendCardAsync(card, cancellationToken).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // Any failure here means "not delivered in Teams as far as we know": e-mail follows.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogSendFailed(logger, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>A reporter-facing card: the template's subject as the heading, its text below, both escaped.</summary>
    public static AdaptiveCard Card(GraphOutgoingMail mail, string? verdict) =>
        NoticeCard.Build(mail.Subject, mail.PlainTextBody, verdict switch
        {
            "malicious" => NoticeStyle.Error,
            "suspicious" => NoticeStyle.Warning,
            "clean" => NoticeStyle.Success,
            _ => NoticeStyle.Info,
        });

    private static ConversationReference? Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ConversationReference>(json, BotJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report mailbox: could not look the reporter up in the directory ({Kind}: {Error}); replying by e-mail (Teams replies need User.ReadBasic.All)")]
    private static partial void LogLookupFailed(ILogger logger, GraphErrorKind kind, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report mailbox: the Teams reply failed ({Error}); replying by e-mail")]
    private static partial void LogSendFailed(ILogger logger, string error);
}
