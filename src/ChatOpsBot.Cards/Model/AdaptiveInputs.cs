using System.Text.Json.Serialization;

namespace ChatOpsBot.Cards.Model;

/// <summary>An input; its value is submitted under <see cref="AdaptiveElement.Id"/>, which is therefore required.</summary>
public abstract record AdaptiveInput : AdaptiveElement
{
    [JsonPropertyOrder(-3)]
    public string? Label { get; init; }

    public bool IsRequired { get; init; }

    public string? ErrorMessage { get; init; }
}

public sealed record AdaptiveTextInput : AdaptiveInput
{
    public string? Placeholder { get; init; }

    public string? Value { get; init; }

    public bool IsMultiline { get; init; }

    public int? MaxLength { get; init; }

    public AdaptiveTextInputStyle Style { get; init; }

    public string? Regex { get; init; }

    public AdaptiveAction? InlineAction { get; init; }
}

public sealed record AdaptiveNumberInput : AdaptiveInput
{
    public string? Placeholder { get; init; }

    public double? Value { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }
}

/// <summary>Dates are <c>YYYY-MM-DD</c> strings.</summary>
public sealed record AdaptiveDateInput : AdaptiveInput
{
    public string? Placeholder { get; init; }

    public string? Value { get; init; }

    public string? Min { get; init; }

    public string? Max { get; init; }
}

/// <summary>Times are <c>HH:MM</c> strings.</summary>
public sealed record AdaptiveTimeInput : AdaptiveInput
{
    public string? Placeholder { get; init; }

    public string? Value { get; init; }

    public string? Min { get; init; }

    public string? Max { get; init; }
}

public sealed record AdaptiveToggleInput : AdaptiveInput
{
    [JsonPropertyOrder(-2)]
    public required string Title { get; init; }

    public string? Value { get; init; }

    public string? ValueOn { get; init; }

    public string? ValueOff { get; init; }

    public bool Wrap { get; init; }
}

public sealed record AdaptiveChoiceSetInput : AdaptiveInput
{
    public IList<AdaptiveChoice> Choices { get; init; } = [];

    public bool IsMultiSelect { get; init; }

    public AdaptiveChoiceInputStyle Style { get; init; }

    /// <summary>The selected value (comma-separated when <see cref="IsMultiSelect"/>).</summary>
    public string? Value { get; init; }

    public string? Placeholder { get; init; }

    public bool Wrap { get; init; }
}

public sealed record AdaptiveChoice(string Title, string Value);
