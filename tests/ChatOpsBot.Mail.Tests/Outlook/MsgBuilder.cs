using System.Buffers.Binary;
using System.Text;

namespace ChatOpsBot.Mail.Tests.Outlook;

/// <summary>
/// Test-only builder of Outlook .msg files (MS-OXMSG) on <see cref="CfbWriter"/>: fixed properties in
/// <c>__properties_version1.0</c>, variable ones in <c>__substg1.0_IIIITTTT</c> streams, recipient and attachment
/// storages, embedded messages in <c>__substg1.0_3701000D</c>.
/// </summary>
internal sealed class MsgBuilder
{
    public const ushort Int32 = 0x0003;
    public const ushort Boolean = 0x000B;
    public const ushort String8 = 0x001E;
    public const ushort Unicode = 0x001F;
    public const ushort SysTime = 0x0040;
    public const ushort Binary = 0x0102;

    private readonly List<(uint Tag, ulong Value)> _fixed = [];
    private readonly List<(uint Tag, byte[] Data)> _variable = [];
    private readonly List<MsgBuilder> _recipients = [];
    private readonly List<MsgBuilder> _attachments = [];
    private MsgBuilder? _embedded;

    /// <summary>Encoding of <see cref="String8"/> values written by <see cref="Text8"/>.</summary>
    public Encoding EightBit { get; set; } = Encoding.Latin1;

    public MsgBuilder Text(ushort id, string value)
    {
        _variable.Add((Tag(id, Unicode), Encoding.Unicode.GetBytes(value + "\0")));
        return this;
    }

    public MsgBuilder Text8(ushort id, string value)
    {
        _variable.Add((Tag(id, String8), [.. EightBit.GetBytes(value), 0]));
        return this;
    }

    public MsgBuilder Bytes(ushort id, byte[] value)
    {
        _variable.Add((Tag(id, Binary), value));
        return this;
    }

    public MsgBuilder Int(ushort id, int value)
    {
        _fixed.Add((Tag(id, Int32), (uint)value));
        return this;
    }

    public MsgBuilder Bool(ushort id, bool value)
    {
        _fixed.Add((Tag(id, Boolean), value ? 1UL : 0UL));
        return this;
    }

    public MsgBuilder Time(ushort id, DateTimeOffset value)
    {
        _fixed.Add((Tag(id, SysTime), (ulong)value.UtcDateTime.ToFileTimeUtc()));
        return this;
    }

    public MsgBuilder Recipient(int type, string? name, string? smtp)
    {
        var recipient = new MsgBuilder().Int(0x0C15, type);
        if (name is not null)
        {
            recipient.Text(0x3001, name);
        }

        if (smtp is not null)
        {
            recipient.Text(0x39FE, smtp).Text(0x3002, "SMTP").Text(0x3003, smtp);
        }

        _recipients.Add(recipient);
        return this;
    }

    /// <summary>An attachment by value (PR_ATTACH_METHOD 1) with its long file name and MIME tag.</summary>
    public MsgBuilder Attach(string? longName, string? mimeType, byte[] data, string? shortName = null, Action<MsgBuilder>? more = null)
    {
        var attachment = new MsgBuilder().Int(0x3705, 1).Bytes(0x3701, data);
        if (longName is not null)
        {
            attachment.Text(0x3707, longName);
        }

        if (shortName is not null)
        {
            attachment.Text(0x3704, shortName);
        }

        if (mimeType is not null)
        {
            attachment.Text(0x370E, mimeType);
        }

        more?.Invoke(attachment);
        _attachments.Add(attachment);
        return this;
    }

    /// <summary>An embedded message (PR_ATTACH_METHOD 5) shown as <paramref name="displayName"/>.</summary>
    public MsgBuilder Embed(MsgBuilder message, string? displayName = null)
    {
        var attachment = new MsgBuilder().Int(0x3705, 5);
        if (displayName is not null)
        {
            attachment.Text(0x3001, displayName);
        }

        attachment._embedded = message;
        _attachments.Add(attachment);
        return this;
    }

    public byte[] Build(int sectorSize = 512) => CfbWriter.Build(ToNode("Root Entry", headerBytes: 32), sectorSize);

    private CfbNode ToNode(string name, int headerBytes)
    {
        var children = new List<CfbNode>();
        if (headerBytes == 32)
        {
            children.Add(CfbNode.Storage("__nameid_version1.0"));
        }

        var properties = new byte[headerBytes + (16 * (_fixed.Count + _variable.Count))];
        if (headerBytes >= 24)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(properties.AsSpan(8), (uint)_recipients.Count);
            BinaryPrimitives.WriteUInt32LittleEndian(properties.AsSpan(12), (uint)_attachments.Count);
            BinaryPrimitives.WriteUInt32LittleEndian(properties.AsSpan(16), (uint)_recipients.Count);
            BinaryPrimitives.WriteUInt32LittleEndian(properties.AsSpan(20), (uint)_attachments.Count);
        }

        int at = headerBytes;
        foreach ((uint tag, ulong value) in _fixed)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(properties.AsSpan(at), tag);
            BinaryPrimitives.WriteUInt32LittleEndian(properties.AsSpan(at + 4), 6); // readable | writable
            BinaryPrimitives.WriteUInt64LittleEndian(properties.AsSpan(at + 8), value);
            at += 16;
        }

        foreach ((uint tag, byte[] data) in _variable)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(properties.AsSpan(at), tag);
            BinaryPrimitives.WriteUInt32LittleEndian(properties.AsSpan(at + 4), 6);
            BinaryPrimitives.WriteUInt32LittleEndian(properties.AsSpan(at + 8), (uint)data.Length);
            at += 16;
            children.Add(CfbNode.Stream($"__substg1.0_{tag:X8}", data));
        }

        children.Add(CfbNode.Stream("__properties_version1.0", properties));
        for (int i = 0; i < _recipients.Count; i++)
        {
            children.Add(_recipients[i].ToNode($"__recip_version1.0_#{i:X8}", headerBytes: 8));
        }

        for (int i = 0; i < _attachments.Count; i++)
        {
            CfbNode attachment = _attachments[i].ToNode($"__attach_version1.0_#{i:X8}", headerBytes: 8);
            if (_attachments[i]._embedded is { } embedded)
            {
                attachment = attachment with { Children = [.. attachment.Children!, embedded.ToNode("__substg1.0_3701000D", headerBytes: 24)] };
            }

            children.Add(attachment);
        }

        return CfbNode.Storage(name, children);
    }

    private static uint Tag(ushort id, ushort type) => ((uint)id << 16) | type;
}
