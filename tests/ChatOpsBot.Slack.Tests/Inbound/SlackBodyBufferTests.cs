using System.Text;
using ChatOpsBot.Slack.Hosting;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Slack.Tests.Inbound;

public class SlackBodyBufferTests
{
    // A MemoryStream completes every read at once, so the read completes synchronously and the test goes on on this
    // thread, whose pool slots PooledMemory looks at.
    [Fact]
    public async Task TheBodyIsClearedFromThePooledBufferItWasReadThrough()
    {
        string marker = "slack-secret-" + Guid.NewGuid().ToString("N");
        byte[] body = Encoding.UTF8.GetBytes(new StringBuilder().Append("token=x&text=block ").Append(marker).ToString());

        PooledMemory.Prime();
        byte[]? read = await SlackAdapter.ReadBodyAsync(new MemoryStream(body), CancellationToken.None);

        bool leaked = PooledMemory.HoldsText(marker);

        read.ShouldBe(body);
        leaked.ShouldBeFalse("the request body went back to the shared pool uncleared");
    }

    [Fact]
    public async Task ABodyOverTheLimitIsRefusedAndClearedToo()
    {
        string marker = "slack-secret-" + Guid.NewGuid().ToString("N");
        var text = new StringBuilder();
        while (text.Length <= SlackAdapter.MaxRequestBytes)
        {
            text.Append(marker).Append(' ');
        }

        PooledMemory.Prime();
        byte[]? read = await SlackAdapter.ReadBodyAsync(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), CancellationToken.None);

        read.ShouldBeNull();
        PooledMemory.HoldsText(marker).ShouldBeFalse("the request body went back to the shared pool uncleared");
    }
}
