using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Commands;

namespace ChatOpsBot.Tests.Commands.Support;

internal enum ReplyKind
{
    Typing,
    Sent,
    Updated,
    Private,
}

/// <summary>
/// One thing the bot did in the conversation. <see cref="Json"/> is the card as it goes on the wire; <see cref="Text"/>
/// is what a person reads on it, with the cards' safety escaping (markdown backslashes, defanged dots, broken @)
/// undone, so tests assert on content rather than on escaping details.
/// </summary>
internal sealed partial record Reply(ReplyKind Kind, string? MessageId, AdaptiveCard? Card)
{
    public string Json => Card is null ? string.Empty : CardJson.Serialize(Card);

    /// <summary>The card's text fields as the client receives them, escaping included.</summary>
    public string RawText
    {
        get
        {
            if (Card is null)
            {
                return string.Empty;
            }

            var parts = new List<string>();
            using (JsonDocument document = JsonDocument.Parse(Json))
            {
                Collect(document.RootElement, parts);
            }

            return string.Join("\n", parts);
        }
    }

    public string Text
    {
        get
        {
            string text = MarkdownEscape().Replace(RawText, "$1");
            return text.Replace("[.]", ".", StringComparison.Ordinal).Replace("[@]", "@", StringComparison.Ordinal)
                .Replace("[:]", ":", StringComparison.Ordinal).Replace("hxxp", "http", StringComparison.Ordinal);
        }
    }

    private static void Collect(JsonElement element, List<string> parts)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String && property.Name is "text" or "title" or "value")
                    {
                        parts.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Collect(property.Value, parts);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Collect(item, parts);
                }

                break;
        }
    }

    [GeneratedRegex(@"\\([!-/:-@\[-`{-~])")]
    private static partial Regex MarkdownEscape();
}

/// <summary>An <see cref="IChatResponder"/> that records what it was asked to do; message ids are m1, m2, ...</summary>
internal sealed class RecordingResponder : IChatResponder
{
    private readonly Lock _gate = new();
    private readonly List<Reply> _replies = [];
    private int _nextId;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, <see cref="UpdateCardAsync"/> throws this (a channel that cannot edit messages).</summary>
    public Exception? UpdateFailure { get; set; }

    /// <summary>When set, <see cref="SendPrivateCardAsync"/> throws this (the channel is unreachable).</summary>
    public Exception? PrivateFailure { get; set; }

    public IReadOnlyList<Reply> Replies
    {
        get
        {
            lock (_gate)
            {
                return [.. _replies];
            }
        }
    }

    /// <summary>Everything but the typing indicator.</summary>
    public IReadOnlyList<Reply> Cards => [.. Replies.Where(r => r.Kind != ReplyKind.Typing)];

    public Reply Single => Cards.ShouldHaveSingleItem();

    public Task SendTypingAsync(CancellationToken cancellationToken)
    {
        Record(new Reply(ReplyKind.Typing, null, null));
        return Task.CompletedTask;
    }

    public Task<string> SendCardAsync(AdaptiveCard card, CancellationToken cancellationToken)
    {
        string id = "m" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        Record(new Reply(ReplyKind.Sent, id, card));
        return Task.FromResult(id);
    }

    public Task UpdateCardAsync(string messageId, AdaptiveCard card, CancellationToken cancellationToken)
    {
        if (UpdateFailure is { } failure)
        {
            throw failure;
        }

        Record(new Reply(ReplyKind.Updated, messageId, card));
        return Task.CompletedTask;
    }

    public Task SendPrivateCardAsync(AdaptiveCard card, CancellationToken cancellationToken)
    {
        if (PrivateFailure is { } failure)
        {
            throw failure;
        }

        Record(new Reply(ReplyKind.Private, null, card));
        return Task.CompletedTask;
    }

    /// <summary>Waits (30 s at most, as a safety net) until the replies satisfy <paramref name="condition"/>.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<Reply>, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(_replies))
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    private void Record(Reply reply)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _replies.Add(reply);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
