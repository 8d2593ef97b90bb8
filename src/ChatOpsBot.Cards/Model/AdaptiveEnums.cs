namespace ChatOpsBot.Cards.Model;

// Every enum's first member is the schema's default, so the serializer (which omits defaults) writes nothing for it.
// Names serialize in camelCase: ExtraLarge -> "extraLarge", as the Adaptive Card schema spells them.

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

public enum AdaptiveTextSize
{
    Default,
    Small,
    Medium,
    Large,
    ExtraLarge,
}

public enum AdaptiveTextWeight
{
    Default,
    Lighter,
    Bolder,
}

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

public enum AdaptiveTextBlockStyle
{
    Default,
    Heading,
}

public enum AdaptiveFontType
{
    Default,
    Monospace,
}

public enum AdaptiveHorizontalAlignment
{
    Left,
    Center,
    Right,
}

public enum AdaptiveVerticalAlignment
{
    Top,
    Center,
    Bottom,
}

public enum AdaptiveContainerStyle
{
    Default,
    Emphasis,
    Good,
    Attention,
    Warning,
    Accent,
}

public enum AdaptiveImageSize
{
    Auto,
    Stretch,
    Small,
    Medium,
    Large,
}

public enum AdaptiveImageStyle
{
    Default,
    Person,
}

public enum AdaptiveActionStyle
{
    Default,
    Positive,
    Destructive,
}

public enum AdaptiveActionMode
{
    Primary,
    Secondary,
}

public enum AdaptiveAssociatedInputs
{
    Auto,
    None,
}

public enum AdaptiveTextInputStyle
{
    Text,
    Tel,
    Url,
    Email,
    Password,
}

public enum AdaptiveChoiceInputStyle
{
    Compact,
    Expanded,
    Filtered,
}
