using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Commands.Pipeline;

namespace ChatOpsBot.Tests.Commands.Support;

/// <summary>Commands that exist only in tests: one that waits for the test, one that fails, one that waits then fails.</summary>
internal sealed class TestCommands
{
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the slow command has started running.</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<IChatCommand> All =>
    [
        new GatedCommand("slow", this, fail: false),
        new GatedCommand("slow-boom", this, fail: true),
        new FailingCommand(),
        new BrokenBindCommand(),
    ];

    public static AdaptiveCard ResultCard(string text) => new() { Body = [new AdaptiveTextBlock(text)] };

    private sealed class GatedCommand(string name, TestCommands owner, bool fail) : IChatCommand
    {
        public string Name => name;

        public Role RequiredRole => Role.Reader;

        public CommandHelp Help => new(name, name, "test only", []);

        public ArgumentBinding Bind(CommandInput input) => ArgumentBinding.Ok(new Dictionary<string, string>());

        public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
        {
            owner.Started.TrySetResult();
            await owner.Gate.Task.WaitAsync(cancellationToken);
            return fail ? throw new InvalidOperationException("secret internal detail") : CommandResult.Success(ResultCard("slow result"));
        }
    }

    private sealed class BrokenBindCommand : IChatCommand
    {
        public string Name => "broken-bind";

        public Role RequiredRole => Role.Reader;

        public CommandHelp Help => new("broken-bind", "broken-bind", "test only", []);

        public ArgumentBinding Bind(CommandInput input) => throw new InvalidOperationException("a bug in binding");

        public Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("never runs");
    }

    private sealed class FailingCommand : IChatCommand
    {
        public string Name => "boom";

        public Role RequiredRole => Role.Reader;

        public CommandHelp Help => new("boom", "boom", "test only", []);

        public ArgumentBinding Bind(CommandInput input) => ArgumentBinding.Ok(new Dictionary<string, string>());

        public Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("secret internal detail");
    }
}
