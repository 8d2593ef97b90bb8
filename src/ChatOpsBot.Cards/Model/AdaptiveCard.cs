using System.Text.Json.Serialization;

namespace ChatOpsBot.Cards.Model;

/// <summary>
/// An Adaptive Card 1.5 (adaptivecards.io/explorer). Serialise with <see cref="CardJson"/>; builders produce cards
/// that pass the official 1.5 schema, so host extensions (<see cref="MsTeams"/>) are added by the channel that
/// sends them, not by the builders.
/// </summary>
public sealed record AdaptiveCard
{
    /// <summary>The attachment content type of an Adaptive Card in a Bot Framework activity.</summary>
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    public const string CurrentVersion = "1.5";

    [JsonPropertyOrder(-10)]
    public string Type { get; } = "AdaptiveCard";

    /// <summary>Required on a top-level card; a card inside <see cref="AdaptiveShowCardAction"/> leaves it null.</summary>
    [JsonPropertyOrder(-9)]
    public string? Version { get; init; } = CurrentVersion;

    /// <summary>What clients that cannot render the card show, and what notifications and previews say.</summary>
    public string? FallbackText { get; init; }

    public string? Speak { get; init; }

    public string? Lang { get; init; }

    public string? MinHeight { get; init; }

    public AdaptiveVerticalAlignment VerticalContentAlignment { get; init; }

    public IList<AdaptiveElement> Body { get; init; } = [];

    public IList<AdaptiveAction> Actions { get; init; } = [];

    public AdaptiveAction? SelectAction { get; init; }

    /// <summary>
    /// Teams' card extension (<c>"msteams": {"width": "Full"}</c>). Not part of the 1.5 schema, whose
    /// <c>AdaptiveCard</c> forbids extra properties: only the Teams channel sets it, with <see cref="ForTeams"/>.
    /// </summary>
    [JsonPropertyName("msteams")]
    public TeamsCardProperties? MsTeams { get; init; }

    /// <summary>This card with Teams' full-width extension, for sending to Teams.</summary>
    public AdaptiveCard ForTeams() => this with { MsTeams = TeamsCardProperties.FullWidth };
}

/// <summary>Teams' <c>msteams</c> card property (learn.microsoft.com, "Format cards in Teams": full-width cards).</summary>
public sealed record TeamsCardProperties
{
    public static TeamsCardProperties FullWidth { get; } = new() { Width = "Full" };

    public string? Width { get; init; }
}
