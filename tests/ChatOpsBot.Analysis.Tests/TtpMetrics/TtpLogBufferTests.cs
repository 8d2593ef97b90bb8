using System.Text;
using ChatOpsBot.Analysis.TtpMetrics;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Analysis.Tests.TtpMetrics;

public class TtpLogBufferTests
{
    // 64 bytes (less than a record) makes the reader compact and grow its buffer; the default reads the whole log into
    // one buffer. The analysis runs on this thread (parallel analysis is off), whose pool slots PooledMemory looks at.
    [Theory]
    [InlineData(64)]
    [InlineData(1024 * 1024)]
    public void TheLogIsClearedFromThePooledBuffersItWasReadThrough(int bufferBytes)
    {
        string marker = "victim" + Guid.NewGuid().ToString("N");
        var log = new StringBuilder("[");
        for (int i = 0; i < 40; i++)
        {
            log.Append(i == 0 ? "" : ",").Append("{\"date\": \"2024-11-0").Append(i % 9 + 1)
                .Append("T10:00:00+0000\", \"category\": \"malicious\", \"recipient\": \"").Append(marker).Append(i).Append("@example.com\"}");
        }

        byte[] json = Encoding.UTF8.GetBytes(log.Append(']').ToString());
        PooledMemory.Prime();

        TtpMetricsResult result = TtpLogAnalyzer.Analyze(new MemoryStream(json), new TtpLogLimits(BufferBytes: bufferBytes, ParallelMinBytes: long.MaxValue));

        // Looked at before any assertion runs: assertion libraries may pool copies of what they compare themselves.
        bool leaked = PooledMemory.HoldsText(marker);
        result.TotalEmails.ShouldBe(40);
        leaked.ShouldBeFalse("the log's text went back to the shared pool uncleared");
    }
}
