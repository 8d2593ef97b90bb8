namespace ChatOpsBot.Cards.BlockKit;

/// <summary>
/// Slack's message limits (docs.slack.dev block reference, @slack/types; teams-and-slack.md B6.6). The renderer keeps
/// every message inside them and says visibly where it cut.
/// </summary>
public static class BlockKitLimits
{
    public const int MessageBlocks = 50;

    public const int SectionTextChars = 3000;

    public const int SectionFields = 10;

    public const int FieldChars = 2000;

    public const int HeaderChars = 150;

    public const int ContextElements = 10;

    public const int ContextElementChars = 3000;

    public const int ActionsElements = 25;

    public const int ButtonLabelChars = 75;

    public const int ButtonValueChars = 2000;

    public const int ButtonUrlChars = 3000;

    public const int ActionIdChars = 255;

    public const int ImageUrlChars = 3000;

    public const int ImageAltTextChars = 2000;

    /// <summary>
    /// Text across all blocks of one message. Slack answers <c>msg_blocks_too_long</c> somewhere between about 12,000
    /// and 13,300 characters (undocumented; bolt-js#2509, #2867), so we stay well under.
    /// </summary>
    public const int MessageTextChars = 11_000;

    /// <summary>The top-level <c>text</c> is only the notification line; Slack advises at most 4,000.</summary>
    public const int NotificationTextChars = 1000;

    /// <summary>Content a card hides behind a button (raw headers): Slack cannot expand it, so a cut preview is shown.</summary>
    public const int HiddenDetailsChars = 1500;
}
