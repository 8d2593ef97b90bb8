namespace ChatOpsBot.Mail;

/// <summary>
/// A node of the MIME tree: a <see cref="Multipart"/>, a <see cref="MessagePart"/> (embedded message) or a
/// <see cref="MimePart"/> leaf (with <see cref="TextPart"/> for text).
/// </summary>
/// <remarks>
/// Offsets are positions in the buffer the entity was parsed from: the input for the outer message, or the decoded
/// content for a message nested inside a base64/quoted-printable <c>message/rfc822</c> part
/// (see <see cref="MessagePart.IsDecoded"/>).
/// </remarks>
public abstract class MimeEntity
{
    private MimeEntity[]? _descendants;
    private System.Collections.ObjectModel.ReadOnlyCollection<MimeEntity>? _descendantsView;

    private protected MimeEntity(EntityHead head)
    {
        Headers = head.Headers;
        ContentType = head.ContentType;
        ContentDisposition = head.Disposition;
        ContentTransferEncoding = head.Encoding;
        Offset = head.Offset;
        BodyOffset = head.BodyOffset;
        Depth = head.Depth;
        Defects = head.Defects;
    }

    /// <summary>This entity's headers (for the top-level body: the message's headers).</summary>
    public HeaderList Headers { get; }

    /// <summary>The Content-Type, or the default (text/plain; message/rfc822 in multipart/digest).</summary>
    public ContentType ContentType { get; }

    /// <summary>The Content-Disposition, or null when absent.</summary>
    public ContentDisposition? ContentDisposition { get; }

    /// <summary>The Content-Transfer-Encoding.</summary>
    public ContentEncoding ContentTransferEncoding { get; }

    /// <summary>The Content-ID without angle brackets, or null.</summary>
    public string? ContentId => Header.Unbracketed(Headers["Content-ID"]);

    /// <summary>Anomalies found in this entity's headers and structure (not its children's).</summary>
    public IReadOnlyList<MimeDefect> Defects { get; }

    /// <summary>Nesting depth: 0 for a message's top-level body.</summary>
    public int Depth { get; }

    /// <summary>Offset of the first header byte.</summary>
    public long Offset { get; }

    /// <summary>Offset of the first body byte (after the blank line ending the headers).</summary>
    public long BodyOffset { get; }

    /// <summary>Offset just past the last byte of this entity (before the line break preceding a boundary).</summary>
    public long EndOffset { get; internal set; }

    /// <summary>
    /// Whether a mail client would list this entity as an attachment: disposition <c>attachment</c>, or a file name
    /// on a part whose disposition is not <c>inline</c>, or an embedded message not marked <c>inline</c>.
    /// </summary>
    public abstract bool IsAttachment { get; }

    /// <summary>Writes the entity exactly as it was read.</summary>
    /// <param name="destination">The stream to write to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="IOException">Writing to <paramref name="destination"/> failed.</exception>
    public void WriteTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Headers.WriteTo(destination);
        WriteBodyTo(destination);
    }

    /// <summary>This entity and all entities below it, depth first, not descending into embedded messages.</summary>
    public IEnumerable<MimeEntity> DescendantsAndSelf() => _descendantsView ??= Array.AsReadOnly(Flattened);

    /// <summary>
    /// <see cref="DescendantsAndSelf"/> as an array made once: the tree does not change after parsing, and analysis
    /// walks it several times per message (bodies, attachments, defects).
    /// </summary>
    internal MimeEntity[] Flattened => _descendants ??= Flatten(this);

    private static MimeEntity[] Flatten(MimeEntity root)
    {
        if (root is not Multipart)
        {
            return [root];
        }

        // Counted first, so the array is allocated once at its size.
        int count = 0;
        Stack<MimeEntity> pending = new();
        pending.Push(root);
        while (pending.Count > 0)
        {
            MimeEntity entity = pending.Pop();
            count++;
            if (entity is Multipart multipart)
            {
                foreach (MimeEntity child in multipart.ChildArray)
                {
                    pending.Push(child);
                }
            }
        }

        MimeEntity[] result = new MimeEntity[count];
        int written = 0;
        pending.Push(root);
        while (pending.Count > 0)
        {
            MimeEntity entity = pending.Pop();
            result[written++] = entity;
            if (entity is Multipart multipart)
            {
                MimeEntity[] children = multipart.ChildArray;
                for (int i = children.Length - 1; i >= 0; i--)
                {
                    pending.Push(children[i]);
                }
            }
        }

        return result;
    }

    private protected abstract void WriteBodyTo(Stream destination);
}

/// <summary>
/// What the parser learned from an entity's header block, handed to the entity constructors (a struct: one per entity
/// would otherwise be allocated only to be copied from).
/// </summary>
internal readonly record struct EntityHead(
    HeaderList Headers,
    ContentType ContentType,
    ContentDisposition? Disposition,
    ContentEncoding Encoding,
    long Offset,
    long BodyOffset,
    int Depth,
    List<MimeDefect> Defects);
