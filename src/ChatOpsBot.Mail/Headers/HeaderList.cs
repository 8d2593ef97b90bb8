using System.Collections;

namespace ChatOpsBot.Mail;

/// <summary>The headers of an entity in their original order; duplicates are kept.</summary>
public sealed class HeaderList : IReadOnlyList<Header>
{
    // An array of exactly the headers read: analysis indexes it by position for every header, many times.
    private readonly Header[] _headers;

    internal HeaderList(Header[] headers, ReadOnlyMemory<byte> trailer)
    {
        _headers = headers;
        Trailer = trailer;
    }

    internal static HeaderList Empty { get; } = new([], ReadOnlyMemory<byte>.Empty);

    /// <inheritdoc/>
    public int Count => _headers.Length;

    /// <summary>
    /// The raw bytes after the last kept header up to the body: the blank separator line, and any headers beyond
    /// <see cref="MimeParserOptions.MaxHeaders"/>.
    /// </summary>
    public ReadOnlyMemory<byte> Trailer { get; }

    /// <inheritdoc/>
    public Header this[int index] => _headers[index];

    /// <summary>The decoded value of the first header named <paramref name="field"/>, or null.</summary>
    /// <param name="field">A header name (case-insensitive).</param>
    /// <exception cref="ArgumentNullException"><paramref name="field"/> is null.</exception>
    public string? this[string field] => Find(field)?.Value;

    /// <summary>The first header named <paramref name="field"/>, or null.</summary>
    /// <param name="field">A header name (case-insensitive).</param>
    /// <exception cref="ArgumentNullException"><paramref name="field"/> is null.</exception>
    public Header? Find(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        foreach (Header header in _headers)
        {
            if (header.Is(field))
            {
                return header;
            }
        }

        return null;
    }

    /// <summary>Every header named <paramref name="field"/>, in order.</summary>
    /// <param name="field">A header name (case-insensitive).</param>
    /// <exception cref="ArgumentNullException"><paramref name="field"/> is null.</exception>
    public IEnumerable<Header> FindAll(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return _headers.Where(h => h.Is(field));
    }

    /// <summary>Whether any header is named <paramref name="field"/>.</summary>
    /// <param name="field">A header name (case-insensitive).</param>
    /// <exception cref="ArgumentNullException"><paramref name="field"/> is null.</exception>
    public bool Contains(string field) => Find(field) is not null;

    /// <summary>Enumerates the headers in order; <c>foreach</c> over a <see cref="HeaderList"/> allocates nothing.</summary>
    public Enumerator GetEnumerator() => new(_headers);

    IEnumerator<Header> IEnumerable<Header>.GetEnumerator() => ((IEnumerable<Header>)_headers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _headers.GetEnumerator();

    internal void WriteTo(Stream destination)
    {
        foreach (Header header in _headers)
        {
            destination.Write(header.RawBytes.Span);
        }

        destination.Write(Trailer.Span);
    }

    /// <summary>Enumerates a <see cref="HeaderList"/> without allocating.</summary>
    public struct Enumerator
    {
        private readonly Header[] _headers;
        private int _index;

        internal Enumerator(Header[] headers)
        {
            _headers = headers;
            _index = -1;
        }

        /// <summary>The header at the current position.</summary>
        public readonly Header Current => _headers[_index];

        /// <summary>Moves to the next header.</summary>
        /// <returns>Whether there is one.</returns>
        public bool MoveNext() => ++_index < _headers.Length;
    }
}
