using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Integrations.Mimecast;
using ChatOpsBot.Storage;

namespace ChatOpsBot.Commands.Mimecast;

/// <summary>How every command that calls Mimecast answers when it cannot: the same words for the same failure, with
/// Mimecast's code and request id, and never a card that reads like success or like "nothing found".</summary>
internal static class MimecastReplies
{
    public static CommandResult NotConfigured(string what) => CommandResult.Unusable(NoticeCard.Build(
        "Mimecast is not configured",
        $"{what} needs the Mimecast API: an administrator sets Mimecast:ClientId and Mimecast:ClientSecret (an API 2.0 application's keys) for this bot.",
        NoticeStyle.Warning));

    public static CommandResult Failed(MimecastApiException exception, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.Kind == MimecastErrorKind.NotConfigured)
        {
            return NotConfigured("This");
        }

        string title = exception.Kind switch
        {
            MimecastErrorKind.Forbidden => "Mimecast refused: the API application lacks a permission",
            MimecastErrorKind.InvalidCredentials or MimecastErrorKind.Unauthorized => "Mimecast refused the bot's credentials",
            MimecastErrorKind.RateLimited => "Mimecast is rate limiting the bot",
            MimecastErrorKind.ServerError or MimecastErrorKind.Unavailable => "Mimecast is unavailable",
            MimecastErrorKind.MalformedResponse => "Mimecast's answer was unusable",
            MimecastErrorKind.NotFound => "Not found in Mimecast",
            _ => "Mimecast refused the request",
        };
        AdaptiveCard card = MimecastProblemCard.Build(title, exception.Message, exception.MimecastCode, exception.RequestId, correlationId);
        return new CommandResult(card, AuditOutcome.Failed);
    }
}
