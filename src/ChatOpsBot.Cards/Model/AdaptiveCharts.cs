using System.Text.Json.Serialization;

namespace ChatOpsBot.Cards.Model;

// Teams chart elements (learn.microsoft.com "Charts in Adaptive Cards"; property names from Microsoft's Teams SDK card
// types, @microsoft/teams.cards 2.1.0). They are a Teams host feature outside the 1.5 schema: Teams desktop and web
// render them, the reference renderer, Teams iOS and other hosts do not, so every chart carries a Fallback.

/// <summary>Teams' <c>Chart.VerticalBar</c>: one bar per x value.</summary>
public sealed record AdaptiveVerticalBarChart : AdaptiveElement
{
    public const string TypeName = "Chart.VerticalBar";

    public string? Title { get; init; }

    public string? XAxisTitle { get; init; }

    public string? YAxisTitle { get; init; }

    public IList<AdaptiveBarChartValue> Data { get; init; } = [];

    /// <summary>A Teams chart colour name (<c>"good"</c>, <c>"warning"</c>, <c>"attention"</c>, <c>"categoricalBlue"</c>, ...).</summary>
    public string? Color { get; init; }

    public bool ShowBarValues { get; init; }
}

public sealed record AdaptiveBarChartValue(string X, double Y);

/// <summary>Teams' <c>Chart.Line</c>: one line per series.</summary>
public sealed record AdaptiveLineChart : AdaptiveElement
{
    public const string TypeName = "Chart.Line";

    public string? Title { get; init; }

    public string? XAxisTitle { get; init; }

    public string? YAxisTitle { get; init; }

    public IList<AdaptiveLineChartSeries> Data { get; init; } = [];

    public string? Color { get; init; }
}

public sealed record AdaptiveLineChartSeries
{
    public string? Legend { get; init; }

    public IList<AdaptiveLineChartValue> Values { get; init; } = [];

    [JsonPropertyOrder(10)]
    public string? Color { get; init; }
}

public sealed record AdaptiveLineChartValue(string X, double Y);
