using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>A <c>multipart/*</c> entity.</summary>
public sealed class Multipart : MimeEntity
{
    private readonly MimeEntity[] _children;
    private readonly ReadOnlyMemory<byte>[] _delimiters;

    internal Multipart(
        EntityHead head,
        string boundary,
        ReadOnlyMemory<byte> preamble,
        MimeEntity[] children,
        ReadOnlyMemory<byte>[] delimiters,
        ReadOnlyMemory<byte> closeDelimiter,
        ReadOnlyMemory<byte> epilogue)
        : base(head)
    {
        Boundary = boundary;
        RawPreamble = preamble;
        _children = children;
        _delimiters = delimiters;
        RawCloseDelimiter = closeDelimiter;
        RawEpilogue = epilogue;
    }

    /// <summary>The boundary that separates the children.</summary>
    public string Boundary { get; }

    /// <summary>The children in order.</summary>
    public IReadOnlyList<MimeEntity> Children => _children;

    /// <summary><see cref="Children"/> as the array it is, for walks that should not dispatch through the interface.</summary>
    internal MimeEntity[] ChildArray => _children;

    /// <summary>Bytes before the first boundary (usually "This is a multi-part message in MIME format.").</summary>
    public ReadOnlyMemory<byte> RawPreamble { get; }

    /// <summary>The closing delimiter line (with the line break before it), or empty when it never appeared.</summary>
    public ReadOnlyMemory<byte> RawCloseDelimiter { get; }

    /// <summary>Bytes after the closing boundary (also holds parts beyond <see cref="MimeParserOptions.MaxParts"/>).</summary>
    public ReadOnlyMemory<byte> RawEpilogue { get; }

    /// <summary>The preamble as text (UTF-8, or windows-1252 when not valid UTF-8), or null when empty.</summary>
    public string? Preamble => RawPreamble.IsEmpty ? null : Charsets.DecodeHeaderBytes(RawPreamble.Span, out _);

    /// <summary>The epilogue as text (UTF-8, or windows-1252 when not valid UTF-8), or null when empty.</summary>
    public string? Epilogue => RawEpilogue.IsEmpty ? null : Charsets.DecodeHeaderBytes(RawEpilogue.Span, out _);

    /// <inheritdoc/>
    public override bool IsAttachment => ContentDisposition?.IsAttachment == true;

    private protected override void WriteBodyTo(Stream destination)
    {
        destination.Write(RawPreamble.Span);
        for (int i = 0; i < _children.Length; i++)
        {
            destination.Write(_delimiters[i].Span);
            _children[i].WriteTo(destination);
        }

        destination.Write(RawCloseDelimiter.Span);
        destination.Write(RawEpilogue.Span);
    }
}
