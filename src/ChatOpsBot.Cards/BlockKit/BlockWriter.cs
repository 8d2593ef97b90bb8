namespace ChatOpsBot.Cards.BlockKit;

/// <summary>How a line of card text is shown in Slack.</summary>
internal enum LineKind
{
    /// <summary>Section text.</summary>
    Prose,

    /// <summary>Small grey text (a context block), unless it belongs with the prose before it.</summary>
    Subtle,
}

/// <summary>
/// Collects rendered lines into as few blocks as Slack's per-block limits allow: consecutive prose lines share a
/// section, consecutive subtle lines a context block, and a subtle line written in the same card container as the
/// prose before it joins that section (a URL and its description stay together).
/// </summary>
internal sealed class BlockWriter
{
    private readonly List<SlackBlock> _blocks = [];
    private readonly List<string> _pending = [];
    private LineKind _pendingKind;
    private object? _pendingGroup;
    private int _pendingLength;

    public IReadOnlyList<SlackBlock> Blocks
    {
        get
        {
            Flush();
            return _blocks;
        }
    }

    /// <summary>The largest line <see cref="AddLine"/> takes for a kind; callers cut lines to it.</summary>
    public static int MaxLineChars(LineKind kind) =>
        kind == LineKind.Prose ? BlockKitLimits.SectionTextChars : BlockKitLimits.ContextElementChars;

    /// <param name="group">The card container the line comes from (its items read as one unit).</param>
    public void AddLine(LineKind kind, string mrkdwn, object group)
    {
        if (mrkdwn.Length == 0)
        {
            return;
        }

        // A subtle note written with prose in one container belongs to that prose.
        if (kind == LineKind.Subtle && _pending.Count > 0 && _pendingKind == LineKind.Prose && ReferenceEquals(group, _pendingGroup))
        {
            kind = LineKind.Prose;
        }

        if (_pending.Count > 0 && (kind != _pendingKind || _pendingLength + 1 + mrkdwn.Length > MaxLineChars(kind)))
        {
            Flush();
        }

        _pendingKind = kind;
        _pendingGroup = group;
        _pendingLength += (_pending.Count > 0 ? 1 : 0) + mrkdwn.Length;
        _pending.Add(mrkdwn);
    }

    /// <summary>A divider, unless it would open the message or follow another divider.</summary>
    public void Divider()
    {
        Flush();
        if (_blocks.Count > 0 && _blocks[^1] is not SlackDividerBlock)
        {
            _blocks.Add(new SlackDividerBlock());
        }
    }

    /// <summary>Fields (two columns), ten to a section; prose written just before (a heading) becomes the first section's text.</summary>
    public void Fields(IEnumerable<string> fields)
    {
        string? heading = null;
        if (_pending.Count > 0 && _pendingKind == LineKind.Prose)
        {
            heading = string.Join('\n', _pending);
            ClearPending();
        }

        Flush();
        foreach (string[] chunk in fields.Where(f => f.Length > 0).Chunk(BlockKitLimits.SectionFields))
        {
            _blocks.Add(new SlackSectionBlock { Text = heading is null ? null : SlackText.Mrkdwn(heading), Fields = [.. chunk.Select(SlackText.Mrkdwn)] });
            heading = null;
        }

        if (heading is not null)
        {
            _blocks.Add(new SlackSectionBlock { Text = SlackText.Mrkdwn(heading) });
        }
    }

    public void Add(SlackBlock block)
    {
        Flush();
        _blocks.Add(block);
    }

    private void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        string text = string.Join('\n', _pending);
        _blocks.Add(_pendingKind == LineKind.Prose
            ? new SlackSectionBlock { Text = SlackText.Mrkdwn(text) }
            : new SlackContextBlock([SlackText.Mrkdwn(text)]));
        ClearPending();
    }

    private void ClearPending()
    {
        _pending.Clear();
        _pendingLength = 0;
        _pendingGroup = null;
    }
}
