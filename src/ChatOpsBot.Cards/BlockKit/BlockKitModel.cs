using System.Text.Json.Serialization;

namespace ChatOpsBot.Cards.BlockKit;

// The Block Kit subset our cards render to (docs.slack.dev/reference/block-kit; names as in @slack/types). Property
// names are fixed with attributes, so the blocks serialise the same inside any request body.

/// <summary>
/// A text object. Build it with <see cref="Plain"/> or <see cref="Mrkdwn"/> from text already made safe by
/// <see cref="SlackMrkdwn"/>: the constructors do not escape.
/// </summary>
public sealed record SlackText
{
    public const string PlainType = "plain_text";
    public const string MrkdwnType = "mrkdwn";

    [JsonConstructor]
    private SlackText(string type, string text, bool? emoji, bool? verbatim)
    {
        Type = type;
        Text = text;
        Emoji = emoji;
        Verbatim = verbatim;
    }

    [JsonPropertyName("type")]
    [JsonPropertyOrder(-10)]
    public string Type { get; }

    [JsonPropertyName("text")]
    public string Text { get; }

    /// <summary>Always false on our plain text: <c>:name:</c> from a mail stays text, not an emoji.</summary>
    [JsonPropertyName("emoji")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Emoji { get; }

    /// <summary>Always true on our mrkdwn: Slack neither links URLs or channel names nor parses mentions in it.</summary>
    [JsonPropertyName("verbatim")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Verbatim { get; }

    /// <summary>A <c>plain_text</c> object (headers, button labels) that shows emoji codes as typed.</summary>
    public static SlackText Plain(string safeText) => new(PlainType, safeText, emoji: false, verbatim: null);

    /// <summary>A verbatim <c>mrkdwn</c> object.</summary>
    public static SlackText Mrkdwn(string safeMrkdwn) => new(MrkdwnType, safeMrkdwn, emoji: null, verbatim: true);
}

/// <summary>A top-level block of a message.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(SlackHeaderBlock), "header")]
[JsonDerivedType(typeof(SlackSectionBlock), "section")]
[JsonDerivedType(typeof(SlackDividerBlock), "divider")]
[JsonDerivedType(typeof(SlackContextBlock), "context")]
[JsonDerivedType(typeof(SlackActionsBlock), "actions")]
[JsonDerivedType(typeof(SlackImageBlock), "image")]
public abstract record SlackBlock
{
    /// <summary>The characters of text this block shows (text objects, button labels): Slack's per-message budget counts them.</summary>
    public abstract int CountTextChars();
}

/// <summary>Large bold text; <c>plain_text</c>, at most <see cref="BlockKitLimits.HeaderChars"/> characters.</summary>
public sealed record SlackHeaderBlock(
    [property: JsonPropertyName("text")] SlackText Text) : SlackBlock
{
    public override int CountTextChars() => Text.Text.Length;
}

/// <summary>Text, fields (two columns), or both.</summary>
public sealed record SlackSectionBlock : SlackBlock
{
    [JsonPropertyName("text")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SlackText? Text { get; init; }

    [JsonPropertyName("fields")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SlackText>? Fields { get; init; }

    public override int CountTextChars() => (Text?.Text.Length ?? 0) + (Fields?.Sum(f => f.Text.Length) ?? 0);
}

public sealed record SlackDividerBlock : SlackBlock
{
    public override int CountTextChars() => 0;
}

/// <summary>Small grey text.</summary>
public sealed record SlackContextBlock(
    [property: JsonPropertyName("elements")] IReadOnlyList<SlackText> Elements) : SlackBlock
{
    public override int CountTextChars() => Elements.Sum(e => e.Text.Length);
}

public sealed record SlackActionsBlock(
    [property: JsonPropertyName("elements")] IReadOnlyList<SlackButton> Elements) : SlackBlock
{
    public override int CountTextChars() => Elements.Sum(e => e.Text.Text.Length);
}

/// <summary>An image Slack fetches from <see cref="ImageUrl"/>; only our own URLs, never one from mail.</summary>
public sealed record SlackImageBlock(
    [property: JsonPropertyName("image_url")] string ImageUrl,
    [property: JsonPropertyName("alt_text")] string AltText) : SlackBlock
{
    public override int CountTextChars() => AltText.Length;
}

/// <summary>
/// A button. Pressed, Slack sends a <c>block_actions</c> payload with this <see cref="ActionId"/> and
/// <see cref="Value"/> (the Adaptive Card's submit data as JSON, <c>{"verb": ..., args}</c>).
/// </summary>
public sealed record SlackButton
{
    public const string PrimaryStyle = "primary";
    public const string DangerStyle = "danger";

    [JsonPropertyName("type")]
    [JsonPropertyOrder(-10)]
    public string Type { get; } = "button";

    [JsonPropertyName("text")]
    public required SlackText Text { get; init; }

    [JsonPropertyName("action_id")]
    public required string ActionId { get; init; }

    [JsonPropertyName("value")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Value { get; init; }

    [JsonPropertyName("url")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Url { get; init; }

    /// <summary><see cref="PrimaryStyle"/>, <see cref="DangerStyle"/> or null (default).</summary>
    [JsonPropertyName("style")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Style { get; init; }
}

/// <summary>
/// A card rendered for Slack: <see cref="Text"/> is the message's top-level <c>text</c> (notifications, screen
/// readers; mrkdwn-escaped), <see cref="Blocks"/> what the message shows.
/// </summary>
public sealed record BlockKitMessage(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("blocks")] IReadOnlyList<SlackBlock> Blocks)
{
    /// <summary>How many blocks Slack's limits left out (a visible notice in the message says so); 0 when none.</summary>
    [JsonIgnore]
    public int OmittedBlocks { get; init; }

    /// <summary>Characters of text across every block, the measure of <see cref="BlockKitLimits.MessageTextChars"/>.</summary>
    public int CountTextChars() => Blocks.Sum(b => b.CountTextChars());
}
