using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Testing;

/// <summary>What the bot did, in the order it did it.</summary>
public enum TestOutboundKind
{
    Sent,
    Updated,
    Deleted,
}

/// <summary>One thing the bot sent, updated or deleted. For a delete, <see cref="Activity"/> carries only the id.</summary>
public sealed record TestOutbound(TestOutboundKind Kind, Activity Activity);

/// <summary>A conversation the bot created through <see cref="BotAdapter.CreateConversationAsync"/>.</summary>
public sealed record TestCreatedConversation(string ServiceUrl, ConversationParameters Parameters, ConversationReference Reference);

/// <summary>
/// An adapter with no HTTP and no Connector, replacing Microsoft.Bot.Builder.Testing's: turns run in memory against
/// <see cref="Conversation"/>, and everything the bot sends, updates or deletes is recorded in order, sent activities
/// with generated ids (<c>activity-1</c>, ...) so later updates and deletes can be matched. Use it through
/// <see cref="TestFlow"/>.
/// </summary>
public sealed class TestAdapter(TestConversation? conversation = null) : BotAdapter
{
    public static readonly TimeSpan DefaultReplyTimeout = TimeSpan.FromSeconds(5);

    private readonly Channel<TestOutbound> _outbound = Channel.CreateUnbounded<TestOutbound>();
    private readonly List<TestOutbound> _history = [];
    private readonly List<TestCreatedConversation> _created = [];
    private readonly Lock _gate = new();
    private int _nextOutboundId;
    private int _nextInboundId;

    public TestConversation Conversation { get; } = conversation ?? TestConversation.Personal();

    /// <summary>How long an assertion waits for the bot's next activity (work the bot moved off the turn).</summary>
    public TimeSpan ReplyTimeout { get; set; } = DefaultReplyTimeout;

    /// <summary>Everything recorded so far, asserted or not.</summary>
    public IReadOnlyList<TestOutbound> History
    {
        get
        {
            lock (_gate)
            {
                return [.. _history];
            }
        }
    }

    public IReadOnlyList<TestCreatedConversation> CreatedConversations
    {
        get
        {
            lock (_gate)
            {
                return [.. _created];
            }
        }
    }

    /// <summary>A message from the user; in channels and group chats with the bot's mention in front, as Teams sends it.</summary>
    public Activity MakeMessage(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Activity activity = MakeActivity(ActivityTypes.Message);
        activity.TextFormat = TextFormatTypes.Plain;
        if (Conversation.MentionsBot)
        {
            string mention = $"<at>{Conversation.Bot.Name}</at>";
            activity.Text = $"{mention} {text}";
            activity.Entities = [new Mention(Conversation.Bot, mention).ToEntity()];
        }
        else
        {
            activity.Text = text;
        }

        return activity;
    }

    /// <summary>An Action.Submit click: a message with no text and <paramref name="value"/> (the card's data and inputs).</summary>
    public Activity MakeCardSubmit(object value, string? cardActivityId = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        Activity activity = MakeActivity(ActivityTypes.Message);
        activity.Text = string.Empty;
        activity.Value = value as JsonElement? ?? BotJson.ToElement(value);
        activity.ReplyToId = cardActivityId;
        return activity;
    }

    /// <summary>An invoke named <paramref name="name"/> with <paramref name="value"/>.</summary>
    public Activity MakeInvoke(string name, object? value, string? replyToId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Activity activity = MakeActivity(ActivityTypes.Invoke);
        activity.Name = name;
        activity.Value = value is null ? null : value as JsonElement? ?? BotJson.ToElement(value);
        activity.ReplyToId = replyToId;
        return activity;
    }

    /// <summary>An activity of <paramref name="type"/> from the user in <see cref="Conversation"/>, with a fresh id.</summary>
    public Activity MakeActivity(string type)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        int id = Interlocked.Increment(ref _nextInboundId);
        return new Activity
        {
            Type = type,
            Id = "incoming-" + id.ToString(CultureInfo.InvariantCulture),
            Timestamp = DateTimeOffset.UtcNow,
            ChannelId = Channels.MsTeams,
            ServiceUrl = Conversation.ServiceUrl,
            From = Conversation.User,
            Recipient = Conversation.Bot,
            Conversation = Conversation.Conversation,
            ChannelData = BotJson.ToElement(Conversation.ChannelData),
            Locale = "en-US",
        };
    }

    /// <summary>Runs one turn of <paramref name="bot"/> on <paramref name="activity"/>; for an invoke, returns its response (501 if unset).</summary>
    public async Task<InvokeResponse?> ProcessActivityAsync(Activity activity, IBot bot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(bot);
        var turnContext = new TurnContext(this, activity);
        await bot.OnTurnAsync(turnContext, cancellationToken).ConfigureAwait(false);
        return activity.IsType(ActivityTypes.Invoke) ? turnContext.InvokeResponse ?? new InvokeResponse(501) : null;
    }

    /// <summary>The bot's next recorded activity, waiting up to <see cref="ReplyTimeout"/>; a <see cref="TestFlowException"/> if none comes.</summary>
    public async Task<TestOutbound> NextOutboundAsync(string expectation, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReplyTimeout);
        try
        {
            return await _outbound.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TestFlowException($"Expected {expectation}, but the bot sent nothing within {ReplyTimeout.TotalSeconds:0.###} s.");
        }
    }

    /// <summary>The bot's next recorded activity if one is already there.</summary>
    public bool TryTakeOutbound(out TestOutbound? outbound)
    {
        bool taken = _outbound.Reader.TryRead(out TestOutbound? next);
        outbound = next;
        return taken;
    }

    public override Task<ResourceResponse> SendActivityAsync(ITurnContext turnContext, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        string id = "activity-" + Interlocked.Increment(ref _nextOutboundId).ToString(CultureInfo.InvariantCulture);
        activity.Id = id;
        Record(new TestOutbound(TestOutboundKind.Sent, activity));
        return Task.FromResult(new ResourceResponse(id));
    }

    public override Task<ResourceResponse> UpdateActivityAsync(ITurnContext turnContext, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        Record(new TestOutbound(TestOutboundKind.Updated, activity));
        return Task.FromResult(new ResourceResponse(activity.Id));
    }

    public override Task DeleteActivityAsync(ITurnContext turnContext, string activityId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        Record(new TestOutbound(TestOutboundKind.Deleted, new Activity { Id = activityId, Conversation = turnContext.Activity.Conversation }));
        return Task.CompletedTask;
    }

    public override async Task ContinueConversationAsync(
        ConversationReference reference,
        Func<ITurnContext, CancellationToken, Task> callback,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(callback);
        await callback(new TurnContext(this, reference.ToContinuationActivity()), cancellationToken).ConfigureAwait(false);
    }

    public override async Task<ConversationReference> CreateConversationAsync(
        string serviceUrl,
        ConversationParameters parameters,
        Func<ITurnContext, CancellationToken, Task>? callback,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceUrl);
        ArgumentNullException.ThrowIfNull(parameters);
        int number = Interlocked.Increment(ref _nextOutboundId);
        string id = parameters.IsGroup == true
            ? $"{ChannelOf(parameters)};messageid={number}"
            : $"a:created-conversation-{number}";
        var created = new ConversationResourceResponse(id, parameters.IsGroup == true ? number.ToString(CultureInfo.InvariantCulture) : null, null);
        ConversationReference reference = NewConversationReference(Channels.MsTeams, serviceUrl, parameters, created);
        reference = reference with { Bot = reference.Bot ?? Conversation.Bot };
        lock (_gate)
        {
            _created.Add(new TestCreatedConversation(serviceUrl, parameters, reference));
        }

        if (parameters.Activity is { } first)
        {
            var posted = new TurnContext(this, reference.ToContinuationActivity());
            await posted.SendActivityAsync(first, cancellationToken).ConfigureAwait(false);
        }

        if (callback is not null)
        {
            await ContinueConversationAsync(reference, callback, cancellationToken).ConfigureAwait(false);
        }

        return reference;
    }

    private static string ChannelOf(ConversationParameters parameters)
    {
        if (parameters.ChannelData is { ValueKind: JsonValueKind.Object } data
            && data.Deserialize<TeamsChannelData>(BotJson.Options)?.Channel?.Id is { Length: > 0 } channelId)
        {
            return channelId;
        }

        throw new TestFlowException("A channel thread needs channelData.channel.id (Teams answers 400 BadSyntax without it).");
    }

    private void Record(TestOutbound outbound)
    {
        lock (_gate)
        {
            _history.Add(outbound);
        }

        _outbound.Writer.TryWrite(outbound);
    }
}

/// <summary>An expectation of a <see cref="TestFlow"/> that the bot did not meet.</summary>
public sealed class TestFlowException : Exception
{
    public TestFlowException()
    {
    }

    public TestFlowException(string message)
        : base(message)
    {
    }

    public TestFlowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
