using System.Text;
using BenchmarkDotNet.Attributes;
using ChatOpsBot.Analysis.EmailForensics.Attachments;
using ChatOpsBot.Analysis.EmailForensics.Links;

namespace ChatOpsBot.Benchmarks;

/// <summary>
/// Attachment inspection (MD5 + SHA-1 + SHA-256 in one pass, plus sniffing) of a 25 MB attachment — target at least
/// 200 MB/s — and URL extraction from a large HTML body.
/// Run with: dotnet run -c Release --project tests/ChatOpsBot.Benchmarks -- --filter '*ContentForensics*'
/// </summary>
[MemoryDiagnoser]
public class ContentForensicsBenchmarks
{
    private const int AttachmentBytes = 25 * 1024 * 1024;

    private byte[] _attachment = [];
    private string _html = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _attachment = new byte[AttachmentBytes];
        new Random(25).NextBytes(_attachment);
        _html = LargeHtml(links: 5_000);
    }

    /// <summary>About 1.3 MB of newsletter-like markup with <paramref name="links"/> links, about 450 distinct URLs in all.</summary>
    public static string LargeHtml(int links)
    {
        var builder = new StringBuilder();
        builder.Append("<html><head><title>Offers</title></head><body><table>");
        for (int i = 0; i < links; i++)
        {
            builder.Append("<tr><td background=\"https://cdn.example/bg.png\"><p>Dear customer, item ").Append(i)
                .Append(" is waiting. <a href=\"https://shop").Append(i % 300).Append(".example/item?id=").Append(i % 300)
                .Append("&amp;utm_source=mail\">shop").Append(i % 300).Append(".example</a> or visit https://text.example/")
                .Append(i % 50).Append(" today.</p><img src=\"https://img.example/").Append(i % 100).Append(".png\" alt=\"\"></td></tr>\n");
        }

        builder.Append("</table></body></html>");
        return builder.ToString();
    }

    [Benchmark]
    public AttachmentReport InspectAttachment25MB()
    {
        using var stream = new MemoryStream(_attachment, writable: false);
        return AttachmentInspector.Inspect("payload.bin", "application/octet-stream", stream);
    }

    [Benchmark]
    public IReadOnlyList<ExtractedUrl> ExtractUrlsFromLargeHtml() => UrlExtractor.Extract(null, _html);
}
