using System.Diagnostics.CodeAnalysis;
using System.Net.Mail;

namespace ChatOpsBot.Alerts.Delivery;

/// <summary>
/// Where one delivery goes, as stored in <c>alert_deliveries.target</c>: <c>mail:&lt;address&gt;</c> or
/// <c>conversation:&lt;channel id&gt;:&lt;conversation id&gt;</c> (a conversation the bot has a stored reference for;
/// the conversation id may itself contain colons, the channel id may not).
/// </summary>
public sealed record AlertTarget(string Scheme, string Address)
{
    public const string MailScheme = "mail";
    public const string ConversationScheme = "conversation";
    public const int MaxLength = 1200;

    public string Value => Scheme + ":" + Address;

    public static AlertTarget Mail(string address) => new(MailScheme, address);

    public static AlertTarget Conversation(string channelId, string conversationId) => new(ConversationScheme, channelId + ":" + conversationId);

    /// <summary>The channel id and conversation id of a conversation target.</summary>
    public bool TryGetConversation([NotNullWhen(true)] out string? channelId, [NotNullWhen(true)] out string? conversationId)
    {
        channelId = null;
        conversationId = null;
        int colon = Address.IndexOf(':', StringComparison.Ordinal);
        if (Scheme != ConversationScheme || colon <= 0 || colon == Address.Length - 1)
        {
            return false;
        }

        channelId = Address[..colon];
        conversationId = Address[(colon + 1)..];
        return true;
    }

    public static bool TryParse(string? value, [NotNullWhen(true)] out AlertTarget? target, [NotNullWhen(false)] out string? problem)
    {
        target = null;
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxLength || value.Any(char.IsControl))
        {
            problem = $"must be 'mail:<address>' or 'conversation:<channel>:<conversation id>', at most {MaxLength} characters.";
            return false;
        }

        int colon = value.IndexOf(':', StringComparison.Ordinal);
        string scheme = colon > 0 ? value[..colon] : "";
        string address = colon > 0 ? value[(colon + 1)..] : "";
        switch (scheme)
        {
            case MailScheme when MailAddressText.IsPlainAddress(address):
                target = new AlertTarget(MailScheme, address);
                problem = null;
                return true;
            case MailScheme:
                problem = "is not a plain e-mail address after 'mail:'.";
                return false;
            case ConversationScheme:
                var candidate = new AlertTarget(ConversationScheme, address);
                if (candidate.TryGetConversation(out string? channel, out _) && channel.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                {
                    target = candidate;
                    problem = null;
                    return true;
                }

                problem = "must be 'conversation:<channel id>:<conversation id>'.";
                return false;
            default:
                problem = "must start with 'mail:' or 'conversation:'.";
                return false;
        }
    }

    public override string ToString() => Value;
}

internal static class MailAddressText
{
    public const int MaxLength = 254;

    /// <summary>A bare <c>local@domain</c> address: no display name, no spaces or control characters, parseable.</summary>
    public static bool IsPlainAddress(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxLength || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or ','))
        {
            return false;
        }

        int at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1)
        {
            return false;
        }

        return MailAddress.TryCreate(value, out MailAddress? parsed) && string.Equals(parsed.Address, value, StringComparison.Ordinal);
    }
}
