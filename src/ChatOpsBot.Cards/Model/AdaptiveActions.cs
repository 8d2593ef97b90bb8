using System.Text.Json.Serialization;

namespace ChatOpsBot.Cards.Model;

/// <summary>A card action. Our buttons are made by <see cref="CardActions"/>, which fixes the data convention.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(AdaptiveSubmitAction), "Action.Submit")]
[JsonDerivedType(typeof(AdaptiveExecuteAction), "Action.Execute")]
[JsonDerivedType(typeof(AdaptiveOpenUrlAction), "Action.OpenUrl")]
[JsonDerivedType(typeof(AdaptiveShowCardAction), "Action.ShowCard")]
[JsonDerivedType(typeof(AdaptiveToggleVisibilityAction), "Action.ToggleVisibility")]
public abstract record AdaptiveAction
{
    [JsonPropertyOrder(-5)]
    public string? Id { get; init; }

    [JsonPropertyOrder(-4)]
    public string? Title { get; init; }

    public string? IconUrl { get; init; }

    public AdaptiveActionStyle Style { get; init; }

    public string? Tooltip { get; init; }

    /// <summary>Null means enabled (the schema default).</summary>
    public bool? IsEnabled { get; init; }

    public AdaptiveActionMode Mode { get; init; }
}

/// <summary>
/// Sends <see cref="Data"/> (and the card's inputs) back to the bot as a message activity's <c>value</c>.
/// </summary>
public sealed record AdaptiveSubmitAction : AdaptiveAction
{
    public IReadOnlyDictionary<string, string>? Data { get; init; }

    public AdaptiveAssociatedInputs AssociatedInputs { get; init; }
}

/// <summary>Universal Action (invoke <c>adaptiveCard/action</c>): <see cref="Verb"/> and <see cref="Data"/>.</summary>
public sealed record AdaptiveExecuteAction : AdaptiveAction
{
    public string? Verb { get; init; }

    public IReadOnlyDictionary<string, string>? Data { get; init; }

    public AdaptiveAssociatedInputs AssociatedInputs { get; init; }
}

/// <summary>Opens a URL. Only for our own links, never a URL that came from mail or a user.</summary>
public sealed record AdaptiveOpenUrlAction : AdaptiveAction
{
    public required Uri Url { get; init; }
}

public sealed record AdaptiveShowCardAction : AdaptiveAction
{
    /// <summary>The card shown in place; leave its <see cref="AdaptiveCard.Version"/> null.</summary>
    public required AdaptiveCard Card { get; init; }
}

/// <summary>Shows, hides or toggles elements by id, client-side (expandable sections).</summary>
public sealed record AdaptiveToggleVisibilityAction : AdaptiveAction
{
    public IList<AdaptiveTargetElement> TargetElements { get; init; } = [];
}

/// <summary>A target of <see cref="AdaptiveToggleVisibilityAction"/>; a null <see cref="IsVisible"/> toggles.</summary>
public sealed record AdaptiveTargetElement(string ElementId, bool? IsVisible = null);
