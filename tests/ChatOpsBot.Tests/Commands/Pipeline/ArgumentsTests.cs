using ChatOpsBot.Commands.Pipeline;

namespace ChatOpsBot.Tests.Commands.Pipeline;

public sealed class ArgumentsTests
{
    private const string TooMany = "takes one value";
    private const string Missing = "give the value";

    [Fact]
    public void SingleBindsTheOnlyTypedWord()
    {
        ArgumentBinding binding = Single(Typed("one"));

        binding.Problem.ShouldBeNull();
        binding.Values["value"].ShouldBe("ONE");
    }

    [Fact]
    public void SingleRefusesSeveralTypedWordsBeforeCheckingAny()
    {
        Single(Typed("one", "two")).Problem.ShouldBe(TooMany);
    }

    [Fact]
    public void SingleAsksForAMissingValue()
    {
        Single(Typed()).Problem.ShouldBe(Missing);
        Single(Card(new Dictionary<string, string>())).Problem.ShouldBe(Missing);
        Single(Card(new Dictionary<string, string> { ["value"] = "   " })).Problem.ShouldBe(Missing);
    }

    [Fact]
    public void SingleReadsTheTrimmedCardArgument()
    {
        ArgumentBinding binding = Single(Card(new Dictionary<string, string> { ["value"] = " card " }));

        binding.Values["value"].ShouldBe("CARD");
    }

    [Fact]
    public void SingleReturnsTheValueCheckersProblem()
    {
        Arguments.Single(Typed("bad"), "value", TooMany, Missing, _ => ArgumentBinding.Fail("not valid")).Problem.ShouldBe("not valid");
    }

    private static ArgumentBinding Single(CommandInput input) =>
        Arguments.Single(input, "value", TooMany, Missing, text => ArgumentBinding.Ok(new Dictionary<string, string> { ["value"] = text.ToUpperInvariant() }));

    private static CommandInput Typed(params string[] words) => new(words, string.Join(' ', words), null, []);

    private static CommandInput Card(Dictionary<string, string> args) => new([], string.Empty, args, []);
}
