using ChatOpsBot.Commands.Auditing;

namespace ChatOpsBot.Tests.Commands.Auditing;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("password=hunter2", "password=[REDACTED]")]
    [InlineData("db_password: \"correct horse\"", "db_password: [REDACTED]")]
    [InlineData("api_key=abc client_secret=xyz", "api_key=[REDACTED] client_secret=[REDACTED]")]
    [InlineData("Token=t0k3n", "Token=[REDACTED]")]
    [InlineData("Authorization: Bearer abcdefghijkl", "Authorization: [REDACTED]")]
    [InlineData("authorization=abc", "authorization=[REDACTED]")]
    [InlineData("curl -H 'Bearer abcdefghijkl'", "curl -H 'Bearer [REDACTED]'")]
    public void SecretPairsAndBearerTokensLoseTheirValues(string text, string expected) =>
        SecretRedactor.Redact(text).ShouldBe(expected);

    [Theory]
    [InlineData("xoxb-1234567890-abcdefghij")]
    [InlineData("ghp_abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData("AKIAIOSFODNN7EXAMPLE")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl")]
    [InlineData("dGhpcyBpcyBhIHNlY3JldCBrZXkgdGhhdCBpcyBsb25n")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void TokensAndLongKeysAreRedactedAnywhere(string secret)
    {
        string redacted = SecretRedactor.Redact($"please use {secret} now");

        redacted.ShouldNotContain(secret);
        redacted.ShouldBe("please use [REDACTED] now");
    }

    [Theory]
    [InlineData("vip check \"Jane Doe\" jane.doe@corp.test")]
    [InlineData("8f2c7c1e-1d2b-4c3a-9f8e-0123456789ab")]
    [InlineData("metrics 30")]
    [InlineData("name=Jane Doe, address=jane@corp.test")]
    public void OrdinaryArgumentsAreKept(string text) => SecretRedactor.Redact(text).ShouldBe(text);

    [Fact]
    public void AuditTextIsOneBoundedLine()
    {
        string text = SecretRedactor.ForAudit("line one\nline two\u202E" + new string('x', 5000), 100);

        text.Length.ShouldBeLessThanOrEqualTo(103);
        text.ShouldNotContain("\n");
        text.ShouldNotContain("\u202E");
    }
}
