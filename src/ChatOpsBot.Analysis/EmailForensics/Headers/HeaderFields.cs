using ChatOpsBot.Mail;

namespace ChatOpsBot.Analysis.EmailForensics.Headers;

/// <summary>
/// Headers in message order, by position: what the header steps read. A step asks for a value only when the name calls
/// for it, so over a parsed message the values nobody reads (signatures, anti-spam blobs) are never decoded.
/// </summary>
internal interface IHeaderFields
{
    int Count { get; }

    string Name(int index);

    string Value(int index);
}

/// <summary>Name/value pairs already made (the public entry points take these).</summary>
internal readonly struct PairHeaderFields(IReadOnlyList<KeyValuePair<string, string>> pairs) : IHeaderFields
{
    public int Count => pairs.Count;

    public string Name(int index) => pairs[index].Key;

    public string Value(int index) => pairs[index].Value;
}

/// <summary>A parsed message's headers: <see cref="Header.Value"/> is decoded when first read.</summary>
internal readonly struct MimeHeaderFields(HeaderList headers) : IHeaderFields
{
    public int Count => headers.Count;

    public string Name(int index) => headers[index].Field;

    public string Value(int index) => headers[index].Value;
}
