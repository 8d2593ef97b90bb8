using System.Globalization;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Alerts.Cards;

/// <summary>
/// The proactive alert card: what happened, who is exposed, the message, the ATT&amp;CK technique, and the buttons
/// Block sender, Block URL (<c>block sender</c> / <c>block url</c>: responder commands the command layer confirms),
/// Acknowledge and Snooze 24 h (<c>alert ack</c> / <c>alert snooze</c> with the alert id). An acknowledged alert's card
/// has no buttons and says who acknowledged it and when. Every string from mail or Mimecast goes through
/// <see cref="CardText"/> (escaped, URLs and addresses defanged), so nothing in a message can format, link or mention.
/// </summary>
public static class AlertCard
{
    public const string BlockSenderVerb = "block sender";
    public const string BlockUrlVerb = "block url";
    public const string AcknowledgeVerb = "alert ack";
    public const string SnoozeVerb = "alert snooze";

    /// <summary>Button data keys.</summary>
    public const string AlertIdKey = "alertId";
    public const string SenderKey = "sender";
    public const string UrlKey = "url";

    private const int TextChars = 200;
    private const int UrlChars = 400;

    private static readonly int[] s_exposedLimits = [20, 8, 3];

    public static AdaptiveCard Build(AlertRecord alert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Payload.CardJson is { Length: > 0 } stored)
        {
            try
            {
                return CardJson.Deserialize(stored);
            }
            catch (System.Text.Json.JsonException)
            {
                // A stored card this build cannot read (written by another version): the generic card still says what happened.
            }
        }

        AdaptiveCard card = null!;
        foreach (int listed in s_exposedLimits)
        {
            card = Build(alert, now, listed);
            if (CardJson.Utf8ByteCount(card) <= CardJson.MaxCardBytes)
            {
                return card;
            }
        }

        return card;
    }

    private static AdaptiveCard Build(AlertRecord alert, DateTimeOffset now, int exposedListed)
    {
        AlertPayload p = alert.Payload;
        bool acknowledged = alert.Status == AlertStatuses.Acknowledged;
        bool snoozed = alert.IsSnoozedAt(now);
        var body = new List<AdaptiveElement>
        {
            new AdaptiveContainer
            {
                Style = acknowledged ? AdaptiveContainerStyle.Good : AdaptiveContainerStyle.Attention,
                Bleed = true,
                Items =
                [
                    new AdaptiveTextBlock(Escape(p.Headline)) { Size = AdaptiveTextSize.Large, Weight = AdaptiveTextWeight.Bolder, Wrap = true, Style = AdaptiveTextBlockStyle.Heading },
                    new AdaptiveTextBlock(Escape(p.DetectedBy) + (p.DetectionDetail is null ? "" : " (" + Escape(p.DetectionDetail) + ")")) { Wrap = true, Spacing = AdaptiveSpacing.Small },
                ],
            },
        };

        var facts = new List<AdaptiveFact>();
        AddFact(facts, "URL", p.Url is null ? null : CardText.Escape(p.Url, UrlChars));
        AddFact(facts, "Alert type", Escape(p.AlertType));
        AddFact(facts, "ATT&CK", p.TechniqueId is null ? null : Escape($"{p.TechniqueId} {p.TechniqueName}"));
        AddFact(facts, "From", Escape(p.Sender));
        AddFact(facts, "To", Escape(p.Recipient));
        AddFact(facts, "Subject", Escape(p.Subject));
        AddFact(facts, "Message-ID", Escape(p.MessageId));
        AddFact(facts, "Detail", Escape(p.Detail));
        AddFact(facts, "Events", p.EventCount > 1 ? Count(p.EventCount) + " (" + Utc(p.FirstEventAt) + " to " + Utc(p.LastEventAt) + ")" : Utc(p.LastEventAt));
        AddFact(facts, "Alert id", alert.AlertId);
        body.Add(new AdaptiveFactSet { Facts = facts, Spacing = AdaptiveSpacing.Medium });

        if (p.ExposedTotal > 0)
        {
            body.Add(new AdaptiveTextBlock($"Exposed: {Count(p.ExposedTotal)} earlier click(s) Mimecast allowed")
            {
                Weight = AdaptiveTextWeight.Bolder,
                Wrap = true,
                Separator = true,
                Spacing = AdaptiveSpacing.Medium,
            });
            foreach (ExposedClick click in p.Exposed.Take(exposedListed))
            {
                string line = $"{Utc(click.ClickedAt)}: {CardText.Escape(click.User, 120)}"
                    + (click.Sender is null ? "" : " from " + CardText.Escape(click.Sender, 120))
                    + (click.Subject is null ? "" : ", \u201C" + CardText.Escape(click.Subject, 120) + "\u201D");
                body.Add(new AdaptiveTextBlock(line) { Wrap = true, Spacing = AdaptiveSpacing.Small });
                body.Add(new AdaptiveTextBlock(CardText.Escape(click.Url, UrlChars))
                {
                    Wrap = true,
                    IsSubtle = true,
                    Size = AdaptiveTextSize.Small,
                    FontType = AdaptiveFontType.Monospace,
                    Spacing = AdaptiveSpacing.None,
                });
            }

            int more = p.ExposedTotal - Math.Min(exposedListed, p.Exposed.Count);
            if (more > 0)
            {
                body.Add(new AdaptiveTextBlock($"…and {Count(more)} more") { Wrap = true, IsSubtle = true, Size = AdaptiveTextSize.Small });
            }
        }

        if (alert.SuppressedRepeats > 0)
        {
            body.Add(new AdaptiveTextBlock($"Repeats since posted: {Count(alert.SuppressedRepeats)} (last {Utc(alert.LastRepeatAt)})")
            {
                Wrap = true,
                IsSubtle = true,
                Size = AdaptiveTextSize.Small,
                Spacing = AdaptiveSpacing.Medium,
            });
        }

        var actions = new List<AdaptiveAction>();
        if (acknowledged)
        {
            body.Add(new AdaptiveTextBlock($"Acknowledged by {Escape(alert.AcknowledgedBy?.Name ?? alert.AcknowledgedBy?.Id)} at {Utc(alert.AcknowledgedAt)}")
            {
                Wrap = true,
                Weight = AdaptiveTextWeight.Bolder,
                Color = AdaptiveTextColor.Good,
                Separator = true,
            });
        }
        else
        {
            if (snoozed)
            {
                body.Add(new AdaptiveTextBlock($"Snoozed by {Escape(alert.SnoozedBy?.Name ?? alert.SnoozedBy?.Id)} until {Utc(alert.SnoozedUntil)}")
                {
                    Wrap = true,
                    Color = AdaptiveTextColor.Warning,
                    Separator = true,
                });
            }

            if (IsButtonValue(p.Sender))
            {
                actions.Add(CardActions.Submit("Block sender", BlockSenderVerb, [new(SenderKey, p.Sender!), new(AlertIdKey, alert.AlertId)], AdaptiveActionStyle.Destructive));
            }

            if (IsButtonValue(p.Url))
            {
                actions.Add(CardActions.Submit("Block URL", BlockUrlVerb, [new(UrlKey, p.Url!), new(AlertIdKey, alert.AlertId)], AdaptiveActionStyle.Destructive));
            }

            actions.Add(CardActions.Submit("Acknowledge", AcknowledgeVerb, [new(AlertIdKey, alert.AlertId)], AdaptiveActionStyle.Positive));
            actions.Add(CardActions.Submit("Snooze 24 h", SnoozeVerb, [new(AlertIdKey, alert.AlertId)]));
        }

        return new AdaptiveCard
        {
            FallbackText = CardText.Plain(p.Headline + (p.Url is null ? "" : ": " + p.Url), 400),
            Body = body,
            Actions = actions,
            MsTeams = TeamsCardProperties.FullWidth,
        };
    }

    // Button data is not rendered; it goes back to the command layer, which treats it as untrusted input. Very long
    // or control-laden values are left off rather than cut, because a cut address or URL would block the wrong thing.
    private static bool IsButtonValue(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= 2048 && !value.Any(char.IsControl);

    private static void AddFact(List<AdaptiveFact> facts, string title, string? escapedValue)
    {
        if (!string.IsNullOrEmpty(escapedValue))
        {
            facts.Add(new AdaptiveFact(title, escapedValue));
        }
    }

    private static string Escape(string? text) => CardText.Escape(text, TextChars);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Utc(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "";
}
