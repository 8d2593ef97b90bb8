using System.Collections;
using System.Collections.ObjectModel;

namespace ChatOpsBot.Mail;

/// <summary>A mailbox or a group in an address header.</summary>
public abstract class InternetAddress
{
    private protected InternetAddress(string? name)
    {
        Name = name;
    }

    /// <summary>The display name (RFC 2047 decoded, quotes removed), or null.</summary>
    public string? Name { get; }
}

/// <summary>One mailbox: <c>"Name" &lt;local@domain&gt;</c>, <c>local@domain (Name)</c>, or a bare address.</summary>
public sealed class MailboxAddress : InternetAddress
{
    private string? _address;

    internal MailboxAddress(string? name, string localPart, string? domain, string? asciiDomain, string? route)
        : base(name)
    {
        LocalPart = localPart;
        Domain = domain;
        AsciiDomain = asciiDomain;
        Route = route;
    }

    /// <summary>The local part as written (quotes kept when it was a quoted string).</summary>
    public string LocalPart { get; }

    /// <summary>The domain with IDN (<c>xn--</c>) labels decoded to Unicode, or null when there was no <c>@</c>.</summary>
    public string? Domain { get; }

    /// <summary>The domain in ASCII (punycode) form, or null when it has no valid ASCII form.</summary>
    public string? AsciiDomain { get; }

    /// <summary>An obsolete source route (<c>@a,@b</c>) as written, or null.</summary>
    public string? Route { get; }

    /// <summary><c>local@domain</c> with the Unicode domain; just the local part when there is no domain.</summary>
    public string Address => _address ??= Domain is null ? LocalPart : $"{LocalPart}@{Domain}";

    /// <inheritdoc/>
    public override string ToString() => Name is null ? Address : Address.Length == 0 ? Name : $"\"{Name}\" <{Address}>";
}

/// <summary>A group: <c>Name: a@b, c@d;</c> (possibly empty, e.g. <c>undisclosed-recipients:;</c>).</summary>
public sealed class GroupAddress : InternetAddress
{
    internal GroupAddress(string name, InternetAddressList members)
        : base(name)
    {
        Members = members;
    }

    /// <summary>The members.</summary>
    public InternetAddressList Members { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {string.Join(", ", Members)};";
}

/// <summary>The addresses of one or more address headers, in order.</summary>
public sealed class InternetAddressList : IReadOnlyList<InternetAddress>
{
    private readonly List<InternetAddress> _addresses;
    private ReadOnlyCollection<MailboxAddress>? _mailboxes;

    internal InternetAddressList(List<InternetAddress> addresses)
    {
        _addresses = addresses;
    }

    internal static InternetAddressList Empty { get; } = new([]);

    /// <inheritdoc/>
    public int Count => _addresses.Count;

    /// <inheritdoc/>
    public InternetAddress this[int index] => _addresses[index];

    /// <summary>Every mailbox, with group members flattened in place.</summary>
    public IEnumerable<MailboxAddress> Mailboxes => MailboxList;

    /// <summary><see cref="Mailboxes"/> as a list.</summary>
    internal IReadOnlyList<MailboxAddress> MailboxList => _mailboxes ??= FlattenMailboxes(_addresses);

    // Made once: analysis reads the mailboxes of a list several times (first sender, every recipient).
    private static ReadOnlyCollection<MailboxAddress> FlattenMailboxes(List<InternetAddress> addresses)
    {
        if (addresses.Count == 0)
        {
            return ReadOnlyCollection<MailboxAddress>.Empty;
        }

        List<MailboxAddress> mailboxes = new(addresses.Count);
        foreach (InternetAddress address in addresses)
        {
            if (address is MailboxAddress mailbox)
            {
                mailboxes.Add(mailbox);
            }
            else if (address is GroupAddress group)
            {
                mailboxes.AddRange(group.Members.Mailboxes);
            }
        }

        return mailboxes.AsReadOnly();
    }

    /// <inheritdoc/>
    public IEnumerator<InternetAddress> GetEnumerator() => _addresses.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", _addresses);
}
