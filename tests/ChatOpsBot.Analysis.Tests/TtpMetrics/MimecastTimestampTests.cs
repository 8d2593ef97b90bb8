using System.Text;
using ChatOpsBot.Analysis.TtpMetrics;

namespace ChatOpsBot.Analysis.Tests.TtpMetrics;

public sealed class MimecastTimestampTests
{
    [Theory]
    [InlineData("2024-11-17T17:02:30+0000", "2024-11-17")]
    [InlineData("2024-11-17T23:59:59+0000", "2024-11-17")]
    [InlineData("2024-11-17T23:30:00-0100", "2024-11-18")]
    [InlineData("2024-11-17T00:30:00+0100", "2024-11-16")]
    [InlineData("2024-11-17T00:30:00+01:00", "2024-11-16")]
    [InlineData("2024-11-17T17:02:30Z", "2024-11-17")]
    [InlineData("2024-11-17T17:02:30.123456z", "2024-11-17")]
    [InlineData("2024-11-17 17:02:30", "2024-11-17")]
    [InlineData("2024-02-29", "2024-02-29")]
    [InlineData("2024-12-31T23:00:00-0130", "2025-01-01")]
    public void GivesTheUtcDayOfARecordTime(string timestamp, string day)
    {
        Span<byte> destination = stackalloc byte[10];

        MimecastTimestamp.TryGetUtcDate(Encoding.ASCII.GetBytes(timestamp), destination).ShouldBeTrue();
        Encoding.ASCII.GetString(destination).ShouldBe(day);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2024-11-1")]
    [InlineData("2023-02-29")]
    [InlineData("2024-13-01")]
    [InlineData("2024-11-17T24:00:00+0000")]
    [InlineData("2024-11-17T17:02:30+000")]
    [InlineData("2024-11-17T17:02:30+0000x")]
    [InlineData("2024-11-17T17:02:30.+0000")]
    [InlineData("2024-11-17T17:02")]
    [InlineData("17/11/2024")]
    [InlineData("0001-01-01T00:00:00+0100")]
    public void RejectsWhatIsNotATimestamp(string timestamp)
    {
        MimecastTimestamp.TryGetUtcDate(Encoding.ASCII.GetBytes(timestamp), new byte[10]).ShouldBeFalse();
    }
}
