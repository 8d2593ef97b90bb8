namespace ChatOpsBot.Mail;

/// <summary>A parsed Content-Type: lower-cased media type and subtype plus decoded parameters.</summary>
public sealed class ContentType
{
    private string? _mimeType;

    internal ContentType(string mediaType, string mediaSubtype, IReadOnlyList<ContentParameter> parameters)
    {
        MediaType = mediaType;
        MediaSubtype = mediaSubtype;
        Parameters = parameters;
    }

    internal static ContentType TextPlain { get; } = new("text", "plain", []);

    internal static ContentType MessageRfc822 { get; } = new("message", "rfc822", []);

    /// <summary>The media type in lower case, e.g. <c>text</c>.</summary>
    public string MediaType { get; }

    /// <summary>The subtype in lower case, e.g. <c>plain</c>; empty when the header had none.</summary>
    public string MediaSubtype { get; }

    /// <summary><c>type/subtype</c>.</summary>
    public string MimeType => _mimeType ??= $"{MediaType}/{MediaSubtype}";

    /// <summary>Parameters in order, names lower-cased, RFC 2231 sections joined and decoded.</summary>
    public IReadOnlyList<ContentParameter> Parameters { get; }

    /// <summary>The <c>charset</c> parameter, or null.</summary>
    public string? Charset => GetParameter("charset");

    /// <summary>The <c>name</c> parameter (RFC 2231 and RFC 2047 decoded), or null.</summary>
    public string? Name => GetParameter("name");

    /// <summary>The <c>boundary</c> parameter exactly as given (never RFC 2047 decoded), or null.</summary>
    public string? Boundary => GetParameter("boundary");

    /// <summary>The value of the first parameter named <paramref name="name"/>, or null.</summary>
    /// <param name="name">Parameter name (case-insensitive).</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public string? GetParameter(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Find(Parameters, name, StringComparison.OrdinalIgnoreCase)?.Value;
    }

    /// <summary>Whether this is <paramref name="mediaType"/>/<paramref name="mediaSubtype"/>; <c>*</c> matches anything.</summary>
    /// <param name="mediaType">A media type or <c>*</c>.</param>
    /// <param name="mediaSubtype">A subtype or <c>*</c>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public bool IsMimeType(string mediaType, string mediaSubtype)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        ArgumentNullException.ThrowIfNull(mediaSubtype);
        return (mediaType == "*" || string.Equals(MediaType, mediaType, StringComparison.OrdinalIgnoreCase))
            && (mediaSubtype == "*" || string.Equals(MediaSubtype, mediaSubtype, StringComparison.OrdinalIgnoreCase));
    }

    /// <inheritdoc/>
    public override string ToString() => MimeType;

    /// <summary>The first parameter named <paramref name="name"/>; indexed, so no enumerator is allocated.</summary>
    internal static ContentParameter? Find(IReadOnlyList<ContentParameter> parameters, string name, StringComparison comparison)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            if (string.Equals(parameters[i].Name, name, comparison))
            {
                return parameters[i];
            }
        }

        return null;
    }
}

/// <summary>A Content-Type or Content-Disposition parameter.</summary>
/// <param name="Name">Lower-cased name without RFC 2231 section markers.</param>
/// <param name="Value">Decoded value.</param>
public sealed record ContentParameter(string Name, string Value);
