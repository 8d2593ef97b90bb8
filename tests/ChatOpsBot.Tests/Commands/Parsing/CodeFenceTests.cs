using ChatOpsBot.Commands.Parsing;

namespace ChatOpsBot.Tests.Commands.Parsing;

public sealed class CodeFenceTests
{
    [Theory]
    [InlineData("```\nReceived: a\nFrom: b\n```")]
    [InlineData("```text\nReceived: a\nFrom: b\n```")]
    [InlineData("  ```\r\nReceived: a\nFrom: b\r\n```  ")]
    [InlineData("Received: a\nFrom: b")]
    public void FencesAndLanguageTagsAreRemoved(string pasted) =>
        CodeFence.Strip(pasted).Replace("\r", string.Empty, StringComparison.Ordinal).ShouldBe("Received: a\nFrom: b");

    [Fact]
    public void AHeaderOnTheFenceLineIsKept() => CodeFence.Strip("```Received: a\nFrom: b```").ShouldBe("Received: a\nFrom: b");

    [Fact]
    public void InlineCodeIsUnwrapped() => CodeFence.Strip("`From: a@b.test`").ShouldBe("From: a@b.test");
}
