using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Testing;

/// <summary>
/// A scripted conversation with a bot, in the style of Microsoft.Bot.Builder.Testing:
/// <code>
/// await new TestFlow(adapter, bot)
///     .Send("help").AssertReply(a => a.Attachments.ShouldNotBeEmpty())
///     .SendCardAction(new { verb = "refresh" }).AssertUpdate(a => ...)
///     .StartTestAsync();
/// </code>
/// Steps run in order when <see cref="StartTestAsync"/> is awaited. Each assertion takes the bot's next recorded
/// activity (waiting up to <see cref="TestAdapter.ReplyTimeout"/>) and fails with a <see cref="TestFlowException"/>
/// naming what was expected and what came instead; an exception thrown by the bot fails the flow as it is.
/// </summary>
public sealed class TestFlow
{
    private readonly TestAdapter _adapter;
    private readonly IBot _bot;
    private readonly List<Func<CancellationToken, Task>> _steps = [];
    private InvokeResponse? _lastInvokeResponse;
    private bool _invokeSent;

    public TestFlow(TestAdapter adapter, IBot bot)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(bot);
        _adapter = adapter;
        _bot = bot;
    }

    public TestFlow(TestAdapter adapter, Func<ITurnContext, CancellationToken, Task> logic)
        : this(adapter, new DelegateBot(logic))
    {
    }

    /// <summary>The user types <paramref name="text"/> (with the bot's mention in front in channels and group chats).</summary>
    public TestFlow Send(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Then(ct => RunAsync(_adapter.MakeMessage(text), ct));
    }

    /// <summary>Delivers <paramref name="activity"/> as it is (build it with <see cref="TestAdapter.MakeActivity"/> for the defaults).</summary>
    public TestFlow Send(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return Then(ct => RunAsync(activity, ct));
    }

    /// <summary>
    /// The user clicks an Action.Submit button whose data (merged with the card's inputs) is <paramref name="value"/>;
    /// the card is the bot's last sent activity unless <paramref name="cardActivityId"/> says otherwise.
    /// </summary>
    public TestFlow SendCardAction(object value, string? cardActivityId = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Then(ct => RunAsync(_adapter.MakeCardSubmit(value, cardActivityId ?? LastSentMessageId()), ct));
    }

    /// <summary>
    /// The client sends an invoke (for Action.Execute: <c>"adaptiveCard/action"</c> with
    /// <c>new { action = new { type = "Action.Execute", verb, data } }</c>); assert its answer with <see cref="AssertInvokeResponse"/>.
    /// </summary>
    public TestFlow SendInvoke(string name, object? value, string? replyToId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Then(async ct =>
        {
            _lastInvokeResponse = await _adapter.ProcessActivityAsync(_adapter.MakeInvoke(name, value, replyToId ?? LastSentMessageId()), _bot, ct).ConfigureAwait(false);
            _invokeSent = true;
        });
    }

    /// <summary>Runs <paramref name="callback"/> in a proactive turn of <paramref name="reference"/>'s conversation.</summary>
    public TestFlow ContinueConversation(ConversationReference reference, Func<ITurnContext, CancellationToken, Task> callback)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(callback);
        return Then(ct => _adapter.ContinueConversationAsync(reference, callback, ct));
    }

    /// <summary>The bot's next activity is a message; <paramref name="inspect"/> asserts on it (throw to fail).</summary>
    public TestFlow AssertReply(Action<Activity> inspect)
    {
        ArgumentNullException.ThrowIfNull(inspect);
        return Then(async ct =>
        {
            Activity reply = await NextAsync(TestOutboundKind.Sent, "a message", ct).ConfigureAwait(false);
            if (!reply.IsType(ActivityTypes.Message))
            {
                throw new TestFlowException($"Expected a message, but the bot sent a {reply.Type} activity.");
            }

            inspect(reply);
        });
    }

    /// <summary>The bot's next activity is a message whose text is exactly <paramref name="expectedText"/>.</summary>
    public TestFlow AssertReply(string expectedText)
    {
        ArgumentNullException.ThrowIfNull(expectedText);
        return AssertReply(reply =>
        {
            if (!string.Equals(reply.Text, expectedText, StringComparison.Ordinal))
            {
                throw new TestFlowException($"Expected the reply \"{expectedText}\", but the bot said \"{reply.Text}\".");
            }
        });
    }

    /// <summary>The bot's next activity is a typing indicator.</summary>
    public TestFlow AssertTyping() => Then(async ct =>
    {
        Activity next = await NextAsync(TestOutboundKind.Sent, "a typing indicator", ct).ConfigureAwait(false);
        if (!next.IsType(ActivityTypes.Typing))
        {
            throw new TestFlowException($"Expected a typing indicator, but the bot sent a {next.Type} activity (\"{next.Text}\").");
        }
    });

    /// <summary>The bot's next action is an update of an earlier activity; <paramref name="inspect"/> asserts on the new version.</summary>
    public TestFlow AssertUpdate(Action<Activity> inspect)
    {
        ArgumentNullException.ThrowIfNull(inspect);
        return Then(async ct => inspect(await NextAsync(TestOutboundKind.Updated, "an update", ct).ConfigureAwait(false)));
    }

    /// <summary>The bot's next action deletes activity <paramref name="activityId"/>.</summary>
    public TestFlow AssertDelete(string activityId)
    {
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        return Then(async ct =>
        {
            Activity deleted = await NextAsync(TestOutboundKind.Deleted, $"the deletion of {activityId}", ct).ConfigureAwait(false);
            if (deleted.Id != activityId)
            {
                throw new TestFlowException($"Expected the deletion of {activityId}, but the bot deleted {deleted.Id}.");
            }
        });
    }

    /// <summary>The bot has sent, updated or deleted nothing that was not asserted yet.</summary>
    public TestFlow AssertNoReply() => Then(_ =>
    {
        if (_adapter.TryTakeOutbound(out TestOutbound? unexpected))
        {
            throw new TestFlowException($"Expected no reply, but the bot {Describe(unexpected!)}.");
        }

        return Task.CompletedTask;
    });

    /// <summary>The last <see cref="SendInvoke"/> was answered; <paramref name="inspect"/> asserts on the invoke response.</summary>
    public TestFlow AssertInvokeResponse(Action<InvokeResponse> inspect)
    {
        ArgumentNullException.ThrowIfNull(inspect);
        return Then(_ =>
        {
            if (!_invokeSent || _lastInvokeResponse is null)
            {
                throw new TestFlowException("Expected an invoke response, but no invoke was sent before this assertion.");
            }

            inspect(_lastInvokeResponse);
            return Task.CompletedTask;
        });
    }

    /// <summary>Runs the steps in order.</summary>
    public async Task StartTestAsync(CancellationToken cancellationToken = default)
    {
        foreach (Func<CancellationToken, Task> step in _steps)
        {
            await step(cancellationToken).ConfigureAwait(false);
        }
    }

    private TestFlow Then(Func<CancellationToken, Task> step)
    {
        _steps.Add(step);
        return this;
    }

    private async Task RunAsync(Activity activity, CancellationToken cancellationToken) =>
        await _adapter.ProcessActivityAsync(activity, _bot, cancellationToken).ConfigureAwait(false);

    private async Task<Activity> NextAsync(TestOutboundKind kind, string expectation, CancellationToken cancellationToken)
    {
        TestOutbound next = await _adapter.NextOutboundAsync(expectation, cancellationToken).ConfigureAwait(false);
        if (next.Kind != kind)
        {
            throw new TestFlowException($"Expected {expectation}, but the bot {Describe(next)}.");
        }

        return next.Activity;
    }

    private string? LastSentMessageId() =>
        _adapter.History.LastOrDefault(o => o.Kind == TestOutboundKind.Sent && o.Activity.IsType(ActivityTypes.Message))?.Activity.Id;

    private static string Describe(TestOutbound outbound) => outbound.Kind switch
    {
        TestOutboundKind.Sent => $"sent a {outbound.Activity.Type} activity (\"{outbound.Activity.Text}\")",
        TestOutboundKind.Updated => $"updated activity {outbound.Activity.Id}",
        _ => $"deleted activity {outbound.Activity.Id}",
    };

    private sealed class DelegateBot(Func<ITurnContext, CancellationToken, Task> logic) : IBot
    {
        public Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken) => logic(turnContext, cancellationToken);
    }
}
