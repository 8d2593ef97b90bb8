using System.Globalization;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>
/// The building blocks every builder shares, so cards look alike. Methods taking <c>escaped</c> text expect the
/// caller to have passed untrusted parts through <see cref="CardText"/>; literals of ours need no escaping.
/// </summary>
internal static class CardParts
{
    public static AdaptiveCard Card(string fallbackText, IEnumerable<AdaptiveElement> body, IEnumerable<AdaptiveAction>? actions = null) => new()
    {
        FallbackText = fallbackText,
        Body = [.. body],
        Actions = [.. actions ?? []],
    };

    /// <summary>A coloured band across the top: the answer first.</summary>
    public static AdaptiveContainer Banner(AdaptiveContainerStyle style, string title, AdaptiveTextColor titleColor, params IEnumerable<string> escapedLines) => new()
    {
        Style = style,
        Bleed = true,
        Items =
        [
            new AdaptiveTextBlock(title) { Size = AdaptiveTextSize.Large, Weight = AdaptiveTextWeight.Bolder, Color = titleColor, Wrap = true, Style = AdaptiveTextBlockStyle.Heading },
            .. escapedLines.Where(l => l.Length > 0).Select(l => new AdaptiveTextBlock(l) { Wrap = true, Spacing = AdaptiveSpacing.Small }),
        ],
    };

    public static AdaptiveTextBlock Heading(string text) =>
        new(text) { Size = AdaptiveTextSize.Large, Weight = AdaptiveTextWeight.Bolder, Wrap = true, Style = AdaptiveTextBlockStyle.Heading };

    public static AdaptiveTextBlock Section(string title) =>
        new(title) { Weight = AdaptiveTextWeight.Bolder, Wrap = true, Spacing = AdaptiveSpacing.Medium, Separator = true };

    public static AdaptiveTextBlock Text(string escaped) => new(escaped) { Wrap = true };

    public static AdaptiveTextBlock Subtle(string escaped) => new(escaped) { Wrap = true, IsSubtle = true, Size = AdaptiveTextSize.Small, Spacing = AdaptiveSpacing.Small };

    public static AdaptiveTextBlock Mono(string escaped) => new(escaped) { Wrap = true, FontType = AdaptiveFontType.Monospace, Size = AdaptiveTextSize.Small, Spacing = AdaptiveSpacing.None };

    /// <summary>A fact set of the non-empty values (values already escaped).</summary>
    public static AdaptiveFactSet Facts(params IEnumerable<(string Title, string? EscapedValue)> facts) => new()
    {
        Facts = [.. facts.Where(f => !string.IsNullOrEmpty(f.EscapedValue)).Select(f => new AdaptiveFact(f.Title, f.EscapedValue!))],
    };

    /// <summary>"…and 140 more findings" when a list was cut; nothing otherwise.</summary>
    public static IEnumerable<AdaptiveElement> More(int total, int shown, string noun)
    {
        if (total > shown)
        {
            yield return Subtle(string.Create(CultureInfo.InvariantCulture, $"…and {total - shown:N0} more {noun}"));
        }
    }

    /// <summary>A label column (severity, verdict) beside a text column.</summary>
    public static AdaptiveColumnSet Labelled(string label, AdaptiveTextColor labelColor, IEnumerable<AdaptiveElement> items, AdaptiveSpacing spacing = AdaptiveSpacing.Small) => new()
    {
        Spacing = spacing,
        Columns =
        [
            new AdaptiveColumn
            {
                Width = "70px",
                Items = [new AdaptiveTextBlock(label) { Weight = AdaptiveTextWeight.Bolder, Color = labelColor, Size = AdaptiveTextSize.Small }],
            },
            new AdaptiveColumn { Width = "stretch", Items = [.. items] },
        ],
    };

    public static string SeverityLabel(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Critical => "CRITICAL",
        FindingSeverity.High => "HIGH",
        FindingSeverity.Medium => "MEDIUM",
        FindingSeverity.Low => "LOW",
        _ => "INFO",
    };

    public static AdaptiveTextColor SeverityColor(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Critical or FindingSeverity.High => AdaptiveTextColor.Attention,
        FindingSeverity.Medium => AdaptiveTextColor.Warning,
        FindingSeverity.Low => AdaptiveTextColor.Accent,
        _ => AdaptiveTextColor.Default,
    };

    public static string Utc(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : string.Empty;

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };

    public static string Duration(TimeSpan duration) => duration.TotalSeconds < 1
        ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.#} s");

    /// <summary>A table whose first row is the header (bold), all cells wrapped text (already escaped).</summary>
    public static AdaptiveTable Table(IReadOnlyList<(string Header, int Weight)> columns, IEnumerable<IReadOnlyList<string>> escapedRows) => new()
    {
        Columns = [.. columns.Select(c => new AdaptiveTableColumnDefinition { Width = c.Weight })],
        Rows =
        [
            new AdaptiveTableRow { Cells = [.. columns.Select(c => Cell(c.Header, bold: true))] },
            .. escapedRows.Select(r => new AdaptiveTableRow { Cells = [.. r.Select(v => Cell(v, bold: false))] }),
        ],
    };

    private static AdaptiveTableCell Cell(string text, bool bold) => new()
    {
        Items = [new AdaptiveTextBlock(text) { Wrap = true, Size = AdaptiveTextSize.Small, Weight = bold ? AdaptiveTextWeight.Bolder : AdaptiveTextWeight.Default }],
    };
}
