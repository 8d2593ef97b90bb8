using System.Text;
using ChatOpsBot.Slack.Inbound;
using ChatOpsBot.Slack.Tests.Support;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Slack.Tests.Inbound;

public class SlackSignatureTests
{
    private static readonly (string Secret, string Timestamp, string Body, string Signature) s_vector = Samples.SignatureVector();

    private static DateTimeOffset AtVector(int offsetSeconds = 0) =>
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(s_vector.Timestamp, System.Globalization.CultureInfo.InvariantCulture) + offsetSeconds);

    private static byte[] Body => Encoding.UTF8.GetBytes(s_vector.Body);

    [Fact]
    public void ComputesSlacksWorkedExample()
    {
        SlackSignature.Compute(s_vector.Secret, s_vector.Timestamp, Body).ShouldBe("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    }

    [SharedFolderFact]
    public void VerifiesTheSharedTestVector()
    {
        (string secret, string timestamp, string body, string signature) = Samples.ParseVector(File.ReadAllText(SharedFolder.PathTo("samples/channels/slack-signature-test-vector.txt")));

        SlackSignature.Verify(secret, timestamp, signature, Encoding.UTF8.GetBytes(body), AtVector()).ShouldBe(SlackSignatureFailure.None);
    }

    [Fact]
    public void AcceptsTheWorkedExampleWithinTheWindow()
    {
        SlackSignature.Verify(s_vector.Secret, s_vector.Timestamp, s_vector.Signature, Body, AtVector(299)).ShouldBe(SlackSignatureFailure.None);
        SlackSignature.Verify(s_vector.Secret, s_vector.Timestamp, s_vector.Signature, Body, AtVector(-299)).ShouldBe(SlackSignatureFailure.None);
    }

    [Fact]
    public void UppercaseHexIsTheSameSignature()
    {
        string upper = "v0=" + s_vector.Signature[3..].ToUpperInvariant();

        SlackSignature.Verify(s_vector.Secret, s_vector.Timestamp, upper, Body, AtVector()).ShouldBe(SlackSignatureFailure.None);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    [InlineData(86_400)]
    public void RefusesATimestampMoreThanFiveMinutesAwayEitherWay(int offsetSeconds)
    {
        SlackSignature.Verify(s_vector.Secret, s_vector.Timestamp, s_vector.Signature, Body, AtVector(offsetSeconds)).ShouldBe(SlackSignatureFailure.StaleTimestamp);
    }

    [Fact]
    public void RefusesTheCopyWithTheSecretsLastCharacterMissing()
    {
        SlackSignature.Verify(s_vector.Secret[..^1], s_vector.Timestamp, s_vector.Signature, Body, AtVector()).ShouldBe(SlackSignatureFailure.Mismatch);
        SlackSignature.Compute(s_vector.Secret[..^1], s_vector.Timestamp, Body).ShouldBe("v0=f6a9f54aaf2141686078103af15276051687d6c9baca5dab00352f6730003543");
    }

    [Fact]
    public void RefusesATamperedBodyOrTimestamp()
    {
        byte[] tampered = Encoding.UTF8.GetBytes(s_vector.Body.Replace("roadrunner", "coyote", StringComparison.Ordinal));
        SlackSignature.Verify(s_vector.Secret, s_vector.Timestamp, s_vector.Signature, tampered, AtVector()).ShouldBe(SlackSignatureFailure.Mismatch);

        string later = (long.Parse(s_vector.Timestamp, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        SlackSignature.Verify(s_vector.Secret, later, s_vector.Signature, Body, AtVector()).ShouldBe(SlackSignatureFailure.Mismatch);
    }

    [Theory]
    [InlineData(null, "v0=00", SlackSignatureFailure.MissingHeaders)]
    [InlineData("1531420618", null, SlackSignatureFailure.MissingHeaders)]
    [InlineData("", "", SlackSignatureFailure.MissingHeaders)]
    [InlineData("-1531420618", "v0=00", SlackSignatureFailure.MalformedTimestamp)]
    [InlineData("1531420618.5", "v0=00", SlackSignatureFailure.MalformedTimestamp)]
    [InlineData("99999999999999999999", "v0=00", SlackSignatureFailure.MalformedTimestamp)]
    [InlineData("1531420618", "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", SlackSignatureFailure.UnsupportedVersion)]
    [InlineData("1531420618", "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", SlackSignatureFailure.UnsupportedVersion)]
    [InlineData("1531420618", "v0=a2114d57", SlackSignatureFailure.MalformedSignature)]
    [InlineData("1531420618", "v0=z2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", SlackSignatureFailure.MalformedSignature)]
    [InlineData("1531420618", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b50300", SlackSignatureFailure.MalformedSignature)]
    public void RefusesMissingOrMalformedHeaders(string? timestamp, string? signature, SlackSignatureFailure expected)
    {
        SlackSignature.Verify(s_vector.Secret, timestamp, signature, Body, AtVector()).ShouldBe(expected);
    }
}
