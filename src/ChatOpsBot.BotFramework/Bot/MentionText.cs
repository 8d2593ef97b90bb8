using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Bot;

/// <summary>
/// The SDK's <c>RemoveRecipientMention</c>: in channels and group chats Teams delivers only messages that @mention
/// the bot, as <c>&lt;at&gt;Bot&lt;/at&gt; help</c>. The bot's own mention is found through the mention entities whose
/// <c>mentioned.id</c> is the recipient's (entities, not the text, say who was mentioned), and its text removed.
/// Mentions of anyone else stay.
/// </summary>
public static class MentionText
{
    public static string RemoveRecipientMention(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        string text = activity.Text ?? string.Empty;
        string? botId = activity.Recipient?.Id;
        if (text.Length == 0 || string.IsNullOrEmpty(botId))
        {
            return text.Trim();
        }

        foreach (Mention mention in activity.GetMentions())
        {
            if (!string.Equals(mention.Mentioned.Id, botId, StringComparison.Ordinal))
            {
                continue;
            }

            string? mentionText = !string.IsNullOrEmpty(mention.Text)
                ? mention.Text
                : string.IsNullOrEmpty(mention.Mentioned.Name) ? null : $"<at>{mention.Mentioned.Name}</at>";
            if (mentionText is not null)
            {
                text = text.Replace(mentionText, string.Empty, StringComparison.OrdinalIgnoreCase);
            }
        }

        return text.Trim();
    }
}
