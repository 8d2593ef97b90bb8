namespace ChatOpsBot.Mail;

/// <summary>A parsed Content-Disposition.</summary>
public sealed class ContentDisposition
{
    internal ContentDisposition(string disposition, IReadOnlyList<ContentParameter> parameters)
    {
        Disposition = disposition;
        Parameters = parameters;
    }

    /// <summary>The disposition in lower case: <c>attachment</c>, <c>inline</c>, or whatever the sender wrote.</summary>
    public string Disposition { get; }

    /// <summary>Parameters in order, names lower-cased, RFC 2231 sections joined and decoded.</summary>
    public IReadOnlyList<ContentParameter> Parameters { get; }

    /// <summary>Whether the disposition is <c>attachment</c>.</summary>
    public bool IsAttachment => Disposition == "attachment";

    /// <summary>The <c>filename</c> parameter (RFC 2231 and RFC 2047 decoded), or null.</summary>
    public string? FileName => ContentType.Find(Parameters, "filename", StringComparison.Ordinal)?.Value;

    /// <inheritdoc/>
    public override string ToString() => Disposition;
}
