using System.Text.Json.Serialization;

namespace ChatOpsBot.Cards.Model;

/// <summary>
/// A card body element. The <c>type</c> discriminator is the schema's element name; properties at their default
/// value are not written.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(AdaptiveTextBlock), "TextBlock")]
[JsonDerivedType(typeof(AdaptiveFactSet), "FactSet")]
[JsonDerivedType(typeof(AdaptiveColumnSet), "ColumnSet")]
[JsonDerivedType(typeof(AdaptiveContainer), "Container")]
[JsonDerivedType(typeof(AdaptiveImage), "Image")]
[JsonDerivedType(typeof(AdaptiveTable), "Table")]
[JsonDerivedType(typeof(AdaptiveActionSet), "ActionSet")]
[JsonDerivedType(typeof(AdaptiveTextInput), "Input.Text")]
[JsonDerivedType(typeof(AdaptiveNumberInput), "Input.Number")]
[JsonDerivedType(typeof(AdaptiveDateInput), "Input.Date")]
[JsonDerivedType(typeof(AdaptiveTimeInput), "Input.Time")]
[JsonDerivedType(typeof(AdaptiveToggleInput), "Input.Toggle")]
[JsonDerivedType(typeof(AdaptiveChoiceSetInput), "Input.ChoiceSet")]
[JsonDerivedType(typeof(AdaptiveVerticalBarChart), AdaptiveVerticalBarChart.TypeName)]
[JsonDerivedType(typeof(AdaptiveLineChart), AdaptiveLineChart.TypeName)]
public abstract record AdaptiveElement
{
    /// <summary>Unique within the card; targets of <see cref="AdaptiveToggleVisibilityAction"/> need one.</summary>
    [JsonPropertyOrder(-5)]
    public string? Id { get; init; }

    public AdaptiveSpacing Spacing { get; init; }

    public bool Separator { get; init; }

    /// <summary>Null means visible (the schema default); false hides the element until an action shows it.</summary>
    public bool? IsVisible { get; init; }

    [JsonPropertyOrder(100)]
    public AdaptiveFallback? Fallback { get; init; }
}

public sealed record AdaptiveTextBlock : AdaptiveElement
{
    public AdaptiveTextBlock()
    {
    }

    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    public AdaptiveTextBlock(string text) => Text = text;

    /// <summary>Rendered with the TextBlock markdown subset: text from mail or users goes through <see cref="CardText"/>.</summary>
    [JsonPropertyOrder(-4)]
    public required string Text { get; init; }

    public bool Wrap { get; init; }

    public AdaptiveTextSize Size { get; init; }

    public AdaptiveTextWeight Weight { get; init; }

    public AdaptiveTextColor Color { get; init; }

    public bool IsSubtle { get; init; }

    public AdaptiveFontType FontType { get; init; }

    public int? MaxLines { get; init; }

    public AdaptiveHorizontalAlignment HorizontalAlignment { get; init; }

    public AdaptiveTextBlockStyle Style { get; init; }
}

public sealed record AdaptiveFactSet : AdaptiveElement
{
    public IList<AdaptiveFact> Facts { get; init; } = [];
}

/// <summary>One title/value line of a <see cref="AdaptiveFactSet"/>; both are rendered as markdown.</summary>
public sealed record AdaptiveFact(string Title, string Value);

public sealed record AdaptiveColumnSet : AdaptiveElement
{
    public IList<AdaptiveColumn> Columns { get; init; } = [];

    public AdaptiveContainerStyle Style { get; init; }

    public bool Bleed { get; init; }

    public string? MinHeight { get; init; }

    public AdaptiveHorizontalAlignment HorizontalAlignment { get; init; }

    public AdaptiveAction? SelectAction { get; init; }
}

/// <summary>A column of a <see cref="AdaptiveColumnSet"/> (not a body element of its own).</summary>
public sealed record AdaptiveColumn
{
    [JsonPropertyOrder(-10)]
    public string Type { get; } = "Column";

    [JsonPropertyOrder(-5)]
    public string? Id { get; init; }

    /// <summary><c>"auto"</c>, <c>"stretch"</c>, a weight such as <c>"2"</c>, or pixels such as <c>"50px"</c>.</summary>
    public string? Width { get; init; }

    public IList<AdaptiveElement> Items { get; init; } = [];

    public AdaptiveContainerStyle Style { get; init; }

    public bool Bleed { get; init; }

    public AdaptiveVerticalAlignment VerticalContentAlignment { get; init; }

    public AdaptiveSpacing Spacing { get; init; }

    public bool Separator { get; init; }

    public bool? IsVisible { get; init; }

    public AdaptiveAction? SelectAction { get; init; }
}

public sealed record AdaptiveContainer : AdaptiveElement
{
    public IList<AdaptiveElement> Items { get; init; } = [];

    public AdaptiveContainerStyle Style { get; init; }

    public bool Bleed { get; init; }

    public string? MinHeight { get; init; }

    public AdaptiveVerticalAlignment VerticalContentAlignment { get; init; }

    public AdaptiveAction? SelectAction { get; init; }
}

/// <summary>An image by URL. Builders never use a URL that came from mail (it would be fetched: a tracking pixel).</summary>
public sealed record AdaptiveImage : AdaptiveElement
{
    [JsonPropertyOrder(-4)]
    public required string Url { get; init; }

    public string? AltText { get; init; }

    public AdaptiveImageSize Size { get; init; }

    public AdaptiveImageStyle Style { get; init; }

    public string? Width { get; init; }

    public string? Height { get; init; }

    public AdaptiveHorizontalAlignment HorizontalAlignment { get; init; }

    public AdaptiveAction? SelectAction { get; init; }
}

/// <summary>
/// A table (1.5). The first row is the header row (the schema default; <c>firstRowAsHeaders</c> is left unset
/// because the 1.5 schema file does not list it although renderers accept it).
/// </summary>
public sealed record AdaptiveTable : AdaptiveElement
{
    public IList<AdaptiveTableColumnDefinition> Columns { get; init; } = [];

    public IList<AdaptiveTableRow> Rows { get; init; } = [];

    /// <summary>Null means shown (the schema default).</summary>
    public bool? ShowGridLines { get; init; }

    public AdaptiveContainerStyle GridStyle { get; init; }

    public AdaptiveHorizontalAlignment HorizontalCellContentAlignment { get; init; }

    public AdaptiveVerticalAlignment VerticalCellContentAlignment { get; init; }
}

public sealed record AdaptiveTableColumnDefinition
{
    /// <summary>Relative weight of the column.</summary>
    public int Width { get; init; } = 1;

    public AdaptiveHorizontalAlignment HorizontalCellContentAlignment { get; init; }
}

public sealed record AdaptiveTableRow
{
    [JsonPropertyOrder(-10)]
    public string Type { get; } = "TableRow";

    public IList<AdaptiveTableCell> Cells { get; init; } = [];

    public AdaptiveContainerStyle Style { get; init; }
}

public sealed record AdaptiveTableCell
{
    [JsonPropertyOrder(-10)]
    public string Type { get; } = "TableCell";

    public IList<AdaptiveElement> Items { get; init; } = [];

    public AdaptiveContainerStyle Style { get; init; }

    public AdaptiveVerticalAlignment VerticalContentAlignment { get; init; }
}

public sealed record AdaptiveActionSet : AdaptiveElement
{
    public IList<AdaptiveAction> Actions { get; init; } = [];
}
