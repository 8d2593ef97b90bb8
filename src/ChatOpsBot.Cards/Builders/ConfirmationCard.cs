using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>
/// Asks before a response action runs. Confirm sends <c>{"verb":"confirm","action":&lt;command&gt;,"token":&lt;id&gt;}</c>,
/// Cancel sends <c>{"verb":"cancel","token":&lt;id&gt;}</c>; the command layer checks the presser's role again.
/// </summary>
public static class ConfirmationCard
{
    private const int MaxDetails = 10;

    public static AdaptiveCard Build(PendingAction pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var body = new List<AdaptiveElement>
        {
            CardParts.Banner(AdaptiveContainerStyle.Warning, $"Confirm: {CardText.Escape(pending.Title, 80)}", AdaptiveTextColor.Default, CardText.Escape(pending.WhatWillHappen, 600)),
            CardParts.Facts(pending.Details.Take(MaxDetails).Select(d => (CardText.Escape(d.Key, 40), (string?)CardText.Escape(d.Value, 300)))),
        };
        if (pending.ExpiresAt is { } expires)
        {
            body.Add(CardParts.Subtle($"Nothing happens unless you confirm. This request expires at {CardParts.Utc(expires)}."));
        }
        else
        {
            body.Add(CardParts.Subtle("Nothing happens unless you confirm."));
        }

        return CardParts.Card(
            CardText.Plain($"Confirm {pending.Title}: {pending.WhatWillHappen}", 400),
            body,
            [CardActions.Confirm(CardText.Plain(pending.Title, 40), pending.Command, pending.Token), CardActions.Cancel("Cancel", pending.Token)]);
    }
}
