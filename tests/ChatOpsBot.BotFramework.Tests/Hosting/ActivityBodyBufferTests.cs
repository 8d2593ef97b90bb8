using System.Text;
using ChatOpsBot.BotFramework.Hosting;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.BotFramework.Tests.Hosting;

public class ActivityBodyBufferTests
{
    [Fact]
    public async Task AnActivityIsReadFromTheBody()
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"type\":\"message\",\"id\":\"1\",\"text\":\"block evil.example\"}");

        (Activity? activity, bool tooLarge) = await BotFrameworkAdapter.ReadActivityAsync(new MemoryStream(body), CancellationToken.None);

        tooLarge.ShouldBeFalse();
        activity.ShouldNotBeNull().Text.ShouldBe("block evil.example");
    }

    // A MemoryStream completes every read at once, so the read completes synchronously and the test goes on on this
    // thread, whose pool slots PooledMemory looks at.
    // Checked on a refused body only: once a body is parsed, System.Text.Json keeps its text in pooled buffers of its
    // own (even for invalid JSON), which this test cannot tell from ours.
    [Fact]
    public async Task ABodyOverTheLimitIsRefusedAndClearedFromThePooledBufferItWasReadThrough()
    {
        string marker = "teams-secret-" + Guid.NewGuid().ToString("N");
        var text = new StringBuilder();
        while (text.Length <= BotFrameworkAdapter.MaxActivityBytes)
        {
            text.Append(marker).Append(' ');
        }

        PooledMemory.Prime();
        (Activity? activity, bool tooLarge) = await BotFrameworkAdapter.ReadActivityAsync(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), CancellationToken.None);

        tooLarge.ShouldBeTrue();
        activity.ShouldBeNull();
        PooledMemory.HoldsText(marker).ShouldBeFalse("the activity's body went back to the shared pool uncleared");
    }
}
