using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.BlockKit;

/// <summary>
/// Renders the cards of this library as Slack Block Kit, from the same <see cref="AdaptiveCard"/> the builders make
/// for Teams (no second set of builders):
/// <list type="bullet">
/// <item>the first heading becomes a <c>header</c> block; text blocks become <c>section</c> text (bold kept, monospace
/// as code), small/subtle text a <c>context</c> block, separators <c>divider</c>s;</item>
/// <item>fact sets, side-by-side tiles and two-column tables become section <c>fields</c>; wider tables one line per
/// row; label columns (severity beside a finding) one line;</item>
/// <item>a Teams chart shows its fallback (the table of numbers); content the card hides behind a toggle (raw
/// headers) a cut preview, as Slack cannot expand it;</item>
/// <item>submit buttons become <c>button</c>s with <c>action_id</c> = the verb and <c>value</c> = the submit data as
/// JSON, so a press reads like the Teams one; images only where the card has an http(s) URL;</item>
/// <item>Slack's limits (<see cref="BlockKitLimits"/>) are kept with visible truncation: cut text ends in
/// <c>… [truncated N chars]</c>, and blocks left out are counted in a closing note above the buttons, which are always kept.</item>
/// </list>
/// All text goes through <see cref="SlackMrkdwn"/>.
/// </summary>
public static class BlockKitRenderer
{
    /// <summary>Room kept for the note that counts left-out blocks.</summary>
    private const int OmittedNoticeChars = 160;

    private const int FactTitleChars = 200;

    private const string DefaultNotification = "ChatOpsBot";

    private static readonly JsonSerializerOptions s_valueJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static BlockKitMessage Render(AdaptiveCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var state = new RenderState();
        foreach (AdaptiveElement element in card.Body)
        {
            Walk(element, state, group: element);
        }

        IReadOnlyList<SlackBlock> body = state.Writer.Blocks;
        List<SlackBlock> trailing = [.. ActionBlocks(card.Actions, state.Notes)];
        if (state.Notes.Count > 0)
        {
            trailing.Insert(0, Note(string.Join('\n', state.Notes)));
        }

        (List<SlackBlock> blocks, int omitted) = Fit(body, trailing);
        string notification = card.FallbackText is { Length: > 0 } fallback ? fallback : state.HeaderText ?? DefaultNotification;
        string text = SlackMrkdwn.Escape(notification, BlockKitLimits.NotificationTextChars);
        if (blocks.Count == 0)
        {
            blocks.Add(new SlackSectionBlock { Text = SlackText.Mrkdwn(text) });
        }

        return new BlockKitMessage(text, blocks) { OmittedBlocks = omitted };
    }

    private static void Walk(AdaptiveElement element, RenderState state, object group)
    {
        if (element.IsVisible == false)
        {
            Hidden(element, state);
            return;
        }

        if (element.Separator)
        {
            state.Writer.Divider();
        }

        switch (element)
        {
            case AdaptiveTextBlock text:
                TextBlock(text, state, group);
                break;
            case AdaptiveFactSet facts:
                state.Writer.Fields(facts.Facts.Select(Field));
                break;
            case AdaptiveContainer container:
                foreach (AdaptiveElement item in container.Items)
                {
                    Walk(item, state, container);
                }

                break;
            case AdaptiveColumnSet columns:
                ColumnSet(columns, state, group);
                break;
            case AdaptiveTable table:
                Table(table, state, group);
                break;
            case AdaptiveImage image:
                Image(image, state);
                break;
            case AdaptiveActionSet actionSet:
                foreach (SlackBlock block in ActionBlocks(actionSet.Actions, state.Notes))
                {
                    state.Writer.Add(block);
                }

                break;
            case AdaptiveInput input:
                // Slack message inputs work differently; the card's commands can be typed instead.
                state.Writer.AddLine(LineKind.Subtle, SlackMrkdwn.FromCardText(
                    $"{input.Label ?? input.Id} (answer in Teams or type the command)", BlockWriter.MaxLineChars(LineKind.Subtle)), group);
                break;
            case AdaptiveVerticalBarChart or AdaptiveLineChart when element.Fallback?.Element is { } fallback:
                Walk(fallback, state, fallback);
                break;
            case AdaptiveVerticalBarChart bars:
                ChartLines(bars.Title, bars.Data.Select(d => (d.X, d.Y)), state, group);
                break;
            case AdaptiveLineChart lines:
                foreach (AdaptiveLineChartSeries series in lines.Data)
                {
                    ChartLines(series.Legend ?? lines.Title, series.Values.Select(v => (v.X, v.Y)), state, group);
                }

                break;
            default:
                if (element.Fallback?.Element is { } otherFallback)
                {
                    Walk(otherFallback, state, otherFallback);
                }

                break;
        }
    }

    private static void TextBlock(AdaptiveTextBlock text, RenderState state, object group)
    {
        if (text.Style == AdaptiveTextBlockStyle.Heading && state.HeaderText is null)
        {
            string header = SlackMrkdwn.PlainFromCardText(text.Text, BlockKitLimits.HeaderChars);
            if (header.Length > 0)
            {
                state.HeaderText = CardMarkdown.Literal(text.Text);
                state.Writer.Add(new SlackHeaderBlock(SlackText.Plain(header)));
                return;
            }
        }

        LineKind kind = text.IsSubtle || (text.Size == AdaptiveTextSize.Small && text.FontType != AdaptiveFontType.Monospace)
            ? LineKind.Subtle
            : LineKind.Prose;
        state.Writer.AddLine(kind, Inline(text, BlockWriter.MaxLineChars(kind)), group);
    }

    /// <summary>One TextBlock as mrkdwn: bold when the block is bold, a code span when it is monospace.</summary>
    private static string Inline(AdaptiveTextBlock text, int maxChars)
    {
        if (text.FontType == AdaptiveFontType.Monospace)
        {
            string code = SlackMrkdwn.CodeFromCardText(text.Text, maxChars - 2);
            return code.Length == 0 ? string.Empty : $"`{code}`";
        }

        bool bold = text.Weight == AdaptiveTextWeight.Bolder || text.Style == AdaptiveTextBlockStyle.Heading;
        return SlackMrkdwn.FromCardText(text.Text, maxChars, bold);
    }

    private static string Field(AdaptiveFact fact)
    {
        string title = SlackMrkdwn.FromCardText(fact.Title, FactTitleChars, allBold: true);
        string prefix = title.Length == 0 ? string.Empty : title + "\n";
        return prefix + SlackMrkdwn.FromCardText(fact.Value, BlockKitLimits.FieldChars - prefix.Length);
    }

    private static void ColumnSet(AdaptiveColumnSet columnSet, RenderState state, object group)
    {
        IList<AdaptiveColumn> columns = columnSet.Columns;
        if (columns.Count == 0)
        {
            return;
        }

        // A fixed-width column is a label beside its text (a severity, a verdict): one line. Equal columns are tiles
        // side by side: fields.
        bool labelled = columns.Any(c => c.Width is { } width && (width == "auto" || width.EndsWith("px", StringComparison.Ordinal)));
        if (labelled)
        {
            int share = BlockKitLimits.SectionTextChars / columns.Count;
            state.Writer.AddLine(LineKind.Prose, string.Join(' ', columns.Select(c => InlineItems(c.Items, "\n", share)).Where(t => t.Length > 0)), group);
        }
        else
        {
            state.Writer.Fields(columns.Select(c => InlineItems(c.Items, "\n", BlockKitLimits.FieldChars)));
        }
    }

    private static void Table(AdaptiveTable table, RenderState state, object group)
    {
        int columnCount = Math.Max(table.Columns.Count, table.Rows.Count == 0 ? 0 : table.Rows.Max(r => r.Cells.Count));
        if (columnCount == 0)
        {
            return;
        }

        if (columnCount == 2)
        {
            state.Writer.Fields(table.Rows.SelectMany(row => row.Cells.Select(cell => InlineItems(cell.Items, " ", BlockKitLimits.FieldChars)).Select(OrDash)));
            return;
        }

        int share = BlockKitLimits.SectionTextChars / columnCount;
        foreach (AdaptiveTableRow row in table.Rows)
        {
            state.Writer.AddLine(LineKind.Prose, string.Join(" · ", row.Cells.Select(cell => OrDash(InlineItems(cell.Items, " ", share)))), group);
        }
    }

    private static void ChartLines(string? title, IEnumerable<(string X, double Y)> points, RenderState state, object group)
    {
        int max = BlockWriter.MaxLineChars(LineKind.Prose);
        if (!string.IsNullOrWhiteSpace(title))
        {
            state.Writer.AddLine(LineKind.Prose, SlackMrkdwn.Escape(title, max), group);
        }

        foreach ((string x, double y) in points)
        {
            state.Writer.AddLine(LineKind.Prose, SlackMrkdwn.Escape(string.Create(CultureInfo.InvariantCulture, $"{x}: {y:0.##}"), max), group);
        }
    }

    private static void Image(AdaptiveImage image, RenderState state)
    {
        if (Uri.TryCreate(image.Url, UriKind.Absolute, out Uri? uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && image.Url.Length <= BlockKitLimits.ImageUrlChars)
        {
            string alt = SlackMrkdwn.Plain(string.IsNullOrWhiteSpace(image.AltText) ? "image" : image.AltText, BlockKitLimits.ImageAltTextChars);
            state.Writer.Add(new SlackImageBlock(image.Url, alt));
        }
    }

    /// <summary>
    /// An element the card shows only on request (raw headers behind "Show raw headers"): Slack cannot toggle, so its
    /// title and a cut preview of its monospace lines as a code block.
    /// </summary>
    private static void Hidden(AdaptiveElement element, RenderState state)
    {
        var titles = new List<string>();
        var code = new List<string>();
        foreach (AdaptiveTextBlock text in TextBlocksOf(element))
        {
            (text.FontType == AdaptiveFontType.Monospace ? code : titles).Add(CardMarkdown.Literal(text.Text));
        }

        var lines = new List<string>();
        if (titles.Count > 0)
        {
            lines.Add(SlackMrkdwn.Prose([new TextRun(string.Join(" · ", titles), Bold: true)], 300));
        }

        if (code.Count > 0)
        {
            lines.Add("```" + SlackMrkdwn.Code(string.Join('\n', code), BlockKitLimits.HiddenDetailsChars) + "```");
        }

        if (lines.Count > 0)
        {
            state.Writer.Divider();
            state.Writer.Add(new SlackSectionBlock { Text = SlackText.Mrkdwn(string.Join('\n', lines)) });
        }
    }

    /// <summary>The items of a column or cell as one mrkdwn string (TextBlocks, facts and nested containers).</summary>
    private static string InlineItems(IEnumerable<AdaptiveElement> items, string separator, int maxChars)
    {
        List<AdaptiveTextBlock> texts = [.. items.SelectMany(TextBlocksOf)];
        List<string> facts = [.. items.SelectMany(FactsOf)];
        int count = texts.Count + facts.Count;
        if (count == 0)
        {
            return string.Empty;
        }

        int share = Math.Max(1, (maxChars - (separator.Length * (count - 1))) / count);
        return string.Join(separator, texts.Select(t => Inline(t, share)).Concat(facts.Select(f => SlackMrkdwn.FromCardText(f, share))).Where(t => t.Length > 0));
    }

    private static IEnumerable<AdaptiveTextBlock> TextBlocksOf(AdaptiveElement element) => element switch
    {
        AdaptiveTextBlock text => [text],
        AdaptiveContainer container => container.Items.SelectMany(TextBlocksOf),
        AdaptiveColumnSet columns => columns.Columns.SelectMany(c => c.Items).SelectMany(TextBlocksOf),
        _ => [],
    };

    private static IEnumerable<string> FactsOf(AdaptiveElement element) => element switch
    {
        AdaptiveFactSet facts => facts.Facts.Select(f => $"{f.Title}: {f.Value}"),
        AdaptiveContainer container => container.Items.SelectMany(FactsOf),
        _ => [],
    };

    private static string OrDash(string text) => text.Length == 0 ? "—" : text;

    /// <summary>Buttons for a list of card actions, at most <see cref="BlockKitLimits.ActionsElements"/> a block.</summary>
    private static IEnumerable<SlackBlock> ActionBlocks(IEnumerable<AdaptiveAction> actions, List<string> notes)
    {
        var buttons = new List<SlackButton>();
        foreach (AdaptiveAction action in actions)
        {
            string label = SlackMrkdwn.Plain(string.IsNullOrWhiteSpace(action.Title) ? "Open" : action.Title, BlockKitLimits.ButtonLabelChars);
            string? style = action.Style switch
            {
                AdaptiveActionStyle.Positive => SlackButton.PrimaryStyle,
                AdaptiveActionStyle.Destructive => SlackButton.DangerStyle,
                _ => null,
            };
            switch (action)
            {
                case AdaptiveSubmitAction submit:
                    AddSubmit(buttons, notes, label, style, submit.Data ?? new Dictionary<string, string>());
                    break;
                case AdaptiveExecuteAction execute:
                    var data = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (!string.IsNullOrEmpty(execute.Verb))
                    {
                        data[CardActions.VerbKey] = execute.Verb;
                    }

                    foreach ((string key, string value) in execute.Data ?? new Dictionary<string, string>())
                    {
                        data.TryAdd(key, value);
                    }

                    AddSubmit(buttons, notes, label, style, data);
                    break;
                case AdaptiveOpenUrlAction open when IsWebUrl(open.Url) && open.Url.AbsoluteUri.Length <= BlockKitLimits.ButtonUrlChars:
                    buttons.Add(new SlackButton { Text = SlackText.Plain(label), ActionId = "open-url", Url = open.Url.AbsoluteUri, Style = style });
                    break;
                case AdaptiveToggleVisibilityAction:
                    // Client-side in Teams; the hidden content is already shown as a preview.
                    break;
                default:
                    notes.Add(SlackMrkdwn.Escape($"“{action.Title}” is available in Teams only.", 300));
                    break;
            }
        }

        foreach (SlackButton[] chunk in UniqueActionIds(buttons).Chunk(BlockKitLimits.ActionsElements))
        {
            yield return new SlackActionsBlock(chunk);
        }
    }

    private static void AddSubmit(List<SlackButton> buttons, List<string> notes, string label, string? style, IReadOnlyDictionary<string, string> data)
    {
        string value = JsonSerializer.Serialize(data, s_valueJson);
        if (value.Length > BlockKitLimits.ButtonValueChars)
        {
            notes.Add(SlackMrkdwn.Escape($"“{label}” is left out: its data is longer than a Slack button can carry; type the command instead.", 300));
            return;
        }

        string verb = data.TryGetValue(CardActions.VerbKey, out string? v) && !string.IsNullOrWhiteSpace(v) ? v : "submit";
        buttons.Add(new SlackButton { Text = SlackText.Plain(label), ActionId = verb, Value = value, Style = style });
    }

    // Slack wants action ids unique within a block: a second button with the same verb gets "verb:2". The command layer
    // reads the verb from the value, not from the id.
    private static IEnumerable<SlackButton> UniqueActionIds(List<SlackButton> buttons)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < buttons.Count; i++)
        {
            if (i % BlockKitLimits.ActionsElements == 0)
            {
                seen.Clear();
            }

            SlackButton button = buttons[i];
            string id = button.ActionId.Length > BlockKitLimits.ActionIdChars - 8 ? button.ActionId[..(BlockKitLimits.ActionIdChars - 8)] : button.ActionId;
            int count = seen.TryGetValue(id, out int n) ? n + 1 : 1;
            seen[id] = count;
            yield return button with { ActionId = count == 1 ? id : string.Create(CultureInfo.InvariantCulture, $"{id}:{count}") };
        }
    }

    private static bool IsWebUrl(Uri uri) => uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static SlackContextBlock Note(string mrkdwn) => new([SlackText.Mrkdwn(mrkdwn)]);

    /// <summary>
    /// Keeps the body blocks in order while the message stays within the block and text limits, leaving room for the
    /// buttons (always kept) and a note counting what was left out.
    /// </summary>
    private static (List<SlackBlock> Blocks, int Omitted) Fit(IReadOnlyList<SlackBlock> body, List<SlackBlock> trailing)
    {
        int trailingText = trailing.Sum(b => b.CountTextChars());
        int bodyText = body.Sum(b => b.CountTextChars());
        if (body.Count + trailing.Count <= BlockKitLimits.MessageBlocks && bodyText + trailingText <= BlockKitLimits.MessageTextChars)
        {
            return ([.. body, .. trailing], 0);
        }

        int maxBlocks = BlockKitLimits.MessageBlocks - trailing.Count - 1;
        int maxText = BlockKitLimits.MessageTextChars - trailingText - OmittedNoticeChars;
        var kept = new List<SlackBlock>();
        int text = 0;
        foreach (SlackBlock block in body)
        {
            if (kept.Count + 1 > maxBlocks || text + block.CountTextChars() > maxText)
            {
                break;
            }

            kept.Add(block);
            text += block.CountTextChars();
        }

        while (kept.Count > 0 && kept[^1] is SlackDividerBlock or SlackHeaderBlock && kept.Count < body.Count)
        {
            kept.RemoveAt(kept.Count - 1);
        }

        int omitted = body.Skip(kept.Count).Count(b => b is not SlackDividerBlock);
        string notice = string.Create(CultureInfo.InvariantCulture,
            $"…and {omitted:N0} more {(omitted == 1 ? "part" : "parts")} not shown: this card is larger than a Slack message can hold.");
        kept.Add(Note(SlackMrkdwn.Escape(notice, OmittedNoticeChars)));
        kept.AddRange(trailing);
        return (kept, omitted);
    }

    private sealed class RenderState
    {
        public BlockWriter Writer { get; } = new();

        /// <summary>Things the Slack message cannot carry, said once above the buttons.</summary>
        public List<string> Notes { get; } = [];

        public string? HeaderText { get; set; }
    }
}
