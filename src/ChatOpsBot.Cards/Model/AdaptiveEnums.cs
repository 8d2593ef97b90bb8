using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatOpsBot.Cards.Model;

// Every enum's first member is the schema's default, so the serializer (which omits defaults) writes nothing for it.
// The Adaptive Card schema compares enum values case-insensitively; each enum is written in the casing Microsoft's
// Teams SDK card types use ("Small", "Bolder", "Attention" but "emphasis", "positive", "heading"), so the cards also
// type-check against @microsoft/teams.cards (cardcheck's check-teams-types.mjs).

/// <summary>Writes an enum by its member name: <c>ExtraLarge</c>.</summary>
public sealed class PascalCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(namingPolicy: null, allowIntegerValues: false)
    where TEnum : struct, Enum;

/// <summary>Writes an enum in camelCase: <c>Emphasis</c> → <c>emphasis</c>.</summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;

[JsonConverter(typeof(PascalCaseEnumConverter<AdaptiveSpacing>))]
public enum AdaptiveSpacing
{
    Default,
    None,
    Small,
    Medium,
    Large,
    ExtraLarge,
    Padding,
}

[JsonConverter(typeof(PascalCaseEnumConverter<AdaptiveTextSize>))]
public enum AdaptiveTextSize
{
    Default,
    Small,
    Medium,
    Large,
    ExtraLarge,
}

[JsonConverter(typeof(PascalCaseEnumConverter<AdaptiveTextWeight>))]
public enum AdaptiveTextWeight
{
    Default,
    Lighter,
    Bolder,
}

[JsonConverter(typeof(PascalCaseEnumConverter<AdaptiveTextColor>))]
public enum AdaptiveTextColor
{
    Default,
    Dark,
    Light,
    Accent,
    Good,
    Warning,
    Attention,
}

[JsonConverter(typeof(CamelCaseEnumConverter<AdaptiveTextBlockStyle>))]
public enum AdaptiveTextBlockStyle
{
    Default,
    Heading,
}

[JsonConverter(typeof(PascalCaseEnumConverter<AdaptiveFontType>))]
public enum AdaptiveFontType
{
    Default,
    Monospace,
}

[JsonConverter(typeof(PascalCaseEnumConverter<AdaptiveHorizontalAlignment>))]
public enum AdaptiveHorizontalAlignment
{
    Left,
    Center,
    Right,
}

[JsonConverter(typeof(PascalCaseEnumConverter<AdaptiveVerticalAlignment>))]
public enum AdaptiveVerticalAlignment
{
    Top,
    Center,
    Bottom,
}

[JsonConverter(typeof(CamelCaseEnumConverter<AdaptiveContainerStyle>))]
public enum AdaptiveContainerStyle
{
    Default,
    Emphasis,
    Good,
    Attention,
    Warning,
    Accent,
}

[JsonConverter(typeof(PascalCaseEnumConverter<AdaptiveImageSize>))]
public enum AdaptiveImageSize
{
    Auto,
    Stretch,
    Small,
    Medium,
    Large,
}

[JsonConverter(typeof(PascalCaseEnumConverter<AdaptiveImageStyle>))]
public enum AdaptiveImageStyle
{
    Default,
    Person,
}

[JsonConverter(typeof(CamelCaseEnumConverter<AdaptiveActionStyle>))]
public enum AdaptiveActionStyle
{
    Default,
    Positive,
    Destructive,
}

[JsonConverter(typeof(CamelCaseEnumConverter<AdaptiveActionMode>))]
public enum AdaptiveActionMode
{
    Primary,
    Secondary,
}

[JsonConverter(typeof(CamelCaseEnumConverter<AdaptiveAssociatedInputs>))]
public enum AdaptiveAssociatedInputs
{
    Auto,
    None,
}

[JsonConverter(typeof(PascalCaseEnumConverter<AdaptiveTextInputStyle>))]
public enum AdaptiveTextInputStyle
{
    Text,
    Tel,
    Url,
    Email,
    Password,
}

[JsonConverter(typeof(CamelCaseEnumConverter<AdaptiveChoiceInputStyle>))]
public enum AdaptiveChoiceInputStyle
{
    Compact,
    Expanded,
    Filtered,
}
