using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Integrations.Graph;

/// <summary>
/// Caps JSON answers at <see cref="GraphOptions.MaxResponseBytes"/> while they are read, so a broken or hostile
/// endpoint cannot make the SDK buffer an endless body. MIME content (<c>$value</c>) is not JSON; its reader applies
/// its own, larger limit.
/// </summary>
public sealed class GraphResponseLimitHandler(IOptions<GraphOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentType?.MediaType is { } type && type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            long limit = options.Value.MaxResponseBytes;
            if (response.Content.Headers.ContentLength > limit)
            {
                response.Dispose();
                throw new ResponseTooLargeException();
            }

            Stream inner = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var limited = new StreamContent(new LimitedReadStream(inner, limit));
            foreach (KeyValuePair<string, IEnumerable<string>> header in response.Content.Headers)
            {
                limited.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = limited;
        }

        return response;
    }
}

/// <summary>A response body went past its limit; the read stopped there.</summary>
public sealed class ResponseTooLargeException : IOException
{
    public ResponseTooLargeException()
        : base("The response is larger than the configured limit.")
    {
    }

    public ResponseTooLargeException(string message)
        : base(message)
    {
    }

    public ResponseTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

internal sealed class LimitedReadStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        _read += read;
        return _read > limit ? throw new ResponseTooLargeException() : read;
    }
}

/// <summary>Graph's error body, <c>{"error":{"code":"...","message":"..."}}</c>, read leniently.</summary>
internal static class GraphErrorBody
{
    public static string? Code(byte[]? body) => Field(body, "code");

    public static string? Message(byte[]? body) => Field(body, "message");

    private static string? Field(byte[]? body, string name)
    {
        if (body is null || body.Length == 0)
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out JsonElement error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty(name, out JsonElement value)
                && value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
