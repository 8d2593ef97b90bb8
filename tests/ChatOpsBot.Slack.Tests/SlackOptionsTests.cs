using ChatOpsBot.Slack;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Slack.Tests;

public class SlackOptionsTests
{
    private const string Token = "xoxb-1111-2222-abcdefghijklmnop";
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";

    [Fact]
    public void EmptyTokenAndSecretIsValidAndMeansSlackIsOff()
    {
        var options = new SlackOptions();

        Validate(options).Succeeded.ShouldBeTrue();
        options.IsEnabled.ShouldBeFalse();
    }

    [Fact]
    public void ATokenAndSecretTurnSlackOn()
    {
        var options = new SlackOptions { BotToken = Token, SigningSecret = Secret };

        Validate(options).Succeeded.ShouldBeTrue();
        options.IsEnabled.ShouldBeTrue();
        options.EffectiveFileHosts.ShouldBe(["files.slack.com"]);
        options.EffectiveResponseUrlHosts.ShouldBe(["hooks.slack.com"]);
    }

    [Theory]
    [InlineData(Token, "", "Slack:SigningSecret is empty while Slack:BotToken is set")]
    [InlineData("", Secret, "Slack:BotToken is empty while Slack:SigningSecret is set")]
    [InlineData("xoxp-user-token-0000", Secret, "Slack:BotToken must be the app's bot token")]
    [InlineData(Token, "short", "Slack:SigningSecret must be the app's signing secret")]
    public void HalfOrWrongCredentialsRefuseToStartWithoutEchoingThem(string token, string secret, string message)
    {
        ValidateOptionsResult result = Validate(new SlackOptions { BotToken = token, SigningSecret = secret });

        result.Failed.ShouldBeTrue();
        result.FailureMessage!.ShouldContain(message);
        if (token.Length > 0)
        {
            result.FailureMessage!.ShouldNotContain(token);
        }

        result.FailureMessage!.ShouldNotContain(Secret);
    }

    [Fact]
    public void WithoutAnAllowListEveryWorkspaceIsServedAndWithOneOnlyItsOwn()
    {
        new SlackOptions().AllowsTeam("T999").ShouldBeTrue();
        new SlackOptions().AllowsTeam(null).ShouldBeTrue();

        var listed = new SlackOptions { AllowedTeamIds = ["T024BE7LD"] };

        listed.AllowsTeam("T024BE7LD").ShouldBeTrue();
        listed.AllowsTeam("T999").ShouldBeFalse();
        listed.AllowsTeam("t024be7ld").ShouldBeFalse();
        listed.AllowsTeam(null).ShouldBeFalse("a request that names no workspace cannot be shown to be an allowed one");
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("U024BE7LH")]
    [InlineData("t024be7ld")]
    [InlineData("")]
    public void AllowedTeamIdsMustBeWorkspaceIds(string team)
    {
        ValidateOptionsResult result = Validate(new SlackOptions { AllowedTeamIds = [team] });

        result.Failed.ShouldBeTrue();
        result.FailureMessage!.ShouldContain("Slack:AllowedTeamIds entry");
    }

    [Theory]
    [InlineData("http://slack.com/api/", false, "must be an https URL")]
    [InlineData("http://127.0.0.1:5000/api/", false, "only allowed on loopback with Slack:AllowHttpOnLoopbackForTesting=true")]
    [InlineData("https://user:pw@slack.com/api/", false, "must not carry credentials")]
    [InlineData("slack.com/api", false, "must be an absolute URL")]
    public void TheApiBaseUrlMustBeHttps(string url, bool allowLoopback, string message)
    {
        ValidateOptionsResult result = Validate(new SlackOptions { ApiBaseUrl = url, AllowHttpOnLoopbackForTesting = allowLoopback });

        result.FailureMessage!.ShouldContain(message);
    }

    [Fact]
    public void PlainHttpOnLoopbackIsForTestsOnlyAndNeverInProduction()
    {
        var options = new SlackOptions { ApiBaseUrl = "http://127.0.0.1:5000/api/", AllowHttpOnLoopbackForTesting = true };

        Validate(options, Environments.Development).Succeeded.ShouldBeTrue();
        Validate(options, Environments.Production).FailureMessage!.ShouldContain("refused in the Production environment");
    }

    [Theory]
    [InlineData("https://files.slack.com", "must be a host name")]
    [InlineData("com", "would allow a whole top-level domain")]
    public void FileHostsAreHostNames(string host, string message)
    {
        Validate(new SlackOptions { FileHosts = [host] }).FailureMessage!.ShouldContain(message);
    }

    [Fact]
    public void LimitsAreBounded()
    {
        ValidateOptionsResult result = Validate(new SlackOptions { MaxFileBytes = 0, RequestTimeout = TimeSpan.Zero, MaxRateLimitRetries = 11, MaxRateLimitWait = TimeSpan.FromHours(1) });

        result.FailureMessage!.ShouldContain("Slack:MaxFileBytes");
        result.FailureMessage!.ShouldContain("Slack:RequestTimeout");
        result.FailureMessage!.ShouldContain("Slack:MaxRateLimitRetries");
        result.FailureMessage!.ShouldContain("Slack:MaxRateLimitWait");
    }

    private static ValidateOptionsResult Validate(SlackOptions options, string environment = "Development") =>
        new SlackOptionsValidator(new HostingEnvironment { EnvironmentName = environment }).Validate(null, options);
}
