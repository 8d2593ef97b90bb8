using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>Parsing one record from its start, deciding what it is, and mapping it to the seed's terms.</summary>
internal sealed partial class TtpLogReader
{
    private const int MaxQuotedValueChars = 60;
    private const int MaxEscapedNameBytes = 128;

    private enum RecordField : byte
    {
        Unknown,

        // Values read.
        Date,
        Category,
        Recipient,
        UserEmailAddress,
        RecipientAddress,
        ScanResult,
        Result,
        Action,
        Route,
        EventTime,
        Hits,
        TaggedMalicious,

        // Present only to tell a Mimecast record from a seed entry.
        AttachmentMarker,
        ImpersonationMarker,

        // Page structure.
        Data,
        Meta,
        Fail,
        ClickLogs,
        AttachmentLogs,
        ImpersonationLogs,
    }

    /// <summary>A JSON value's kind; the scalar kinds share <see cref="ScalarKind"/>'s numbers.</summary>
    private enum ValueKind : byte
    {
        Missing = 0,
        Number = ScalarKind.Number,
        True = ScalarKind.True,
        False = ScalarKind.False,
        Null = ScalarKind.Null,
        String,
        Object,
        List,
    }

    [Flags]
    private enum KindMarkers : byte
    {
        None = 0,
        Click = 1,
        Attachment = 2,
        Impersonation = 4,
    }

    /// <summary>
    /// Parses the object whose <c>{</c> is at <paramref name="start"/> and commits it. <paramref name="source"/> is the
    /// log list it sits in, or null at top level, where its fields decide what it is and a page is handed back.
    /// Nothing is committed unless the whole object was buffered.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RecordOutcome ParseRecord(ReadOnlySpan<byte> data, int start, RecordSource? source, out int end)
    {
        end = start;
        var fields = default(RecordFields);
        _escapeArenaUsed = 0;
        int position = JsonScan.SkipWhitespace(data, start + 1);
        if (position >= data.Length)
        {
            return RecordOutcome.NeedMoreData;
        }

        if (data[position] == (byte)'}')
        {
            position++;
        }
        else
        {
            while (true)
            {
                if (data[position] != (byte)'"')
                {
                    throw new JsonSyntaxException(position, $"expected a property name, got {JsonScan.DescribeByte(data[position])}");
                }

                int nameEnd = JsonScan.ScanString(data, position + 1, out bool nameEscaped);
                if (nameEnd < 0)
                {
                    return RecordOutcome.NeedMoreData;
                }

                RecordField field = IdentifyField(data[(position + 1)..nameEnd], nameEscaped);
                if (source is null && field is RecordField.Data or RecordField.Meta or RecordField.Fail)
                {
                    return RecordOutcome.IsPage;
                }

                position = JsonScan.SkipWhitespace(data, nameEnd + 1);
                if (position >= data.Length)
                {
                    return RecordOutcome.NeedMoreData;
                }

                if (data[position] != (byte)':')
                {
                    throw new JsonSyntaxException(position, $"expected ':' after a property name, got {JsonScan.DescribeByte(data[position])}");
                }

                position = JsonScan.SkipWhitespace(data, position + 1);
                if (position >= data.Length)
                {
                    return RecordOutcome.NeedMoreData;
                }

                FieldValue value;
                byte first = data[position];
                if (first == (byte)'"')
                {
                    int valueEnd = JsonScan.ScanString(data, position + 1, out bool escaped);
                    if (valueEnd < 0)
                    {
                        return RecordOutcome.NeedMoreData;
                    }

                    ReadOnlySpan<byte> raw = data[(position + 1)..valueEnd];
                    value = new FieldValue(ValueKind.String, escaped && field != RecordField.Unknown ? Unescape(raw, field) : raw);
                    position = valueEnd + 1;
                }
                else if (first is (byte)'{' or (byte)'[')
                {
                    int valueEnd = JsonScan.SkipContainer(data, position, _frameCount + 1);
                    if (valueEnd < 0)
                    {
                        return RecordOutcome.NeedMoreData;
                    }

                    value = new FieldValue(first == (byte)'{' ? ValueKind.Object : ValueKind.List, default);
                    position = valueEnd;
                }
                else
                {
                    int valueEnd = JsonScan.ScanScalar(data, position, out ScalarKind scalar);
                    if (valueEnd < 0)
                    {
                        return RecordOutcome.NeedMoreData;
                    }

                    value = new FieldValue((ValueKind)scalar, data[position..valueEnd]);
                    position = valueEnd;
                }

                switch (field)
                {
                    case RecordField.Unknown:
                        break;
                    case RecordField.Date:
                        fields.Date = value;
                        break;
                    case RecordField.Category:
                        fields.Category = value;
                        break;
                    case RecordField.Recipient:
                        fields.Recipient = value;
                        break;
                    case RecordField.UserEmailAddress:
                        fields.UserEmailAddress = value;
                        fields.Markers |= KindMarkers.Click;
                        break;
                    case RecordField.RecipientAddress:
                        fields.RecipientAddress = value;
                        break;
                    case RecordField.ScanResult:
                        fields.ScanResult = value;
                        fields.Markers |= KindMarkers.Click;
                        break;
                    case RecordField.Result:
                        fields.Result = value;
                        fields.Markers |= KindMarkers.Attachment;
                        break;
                    case RecordField.Action:
                        fields.Action = value;
                        break;
                    case RecordField.Route:
                        fields.Route = value;
                        break;
                    case RecordField.EventTime:
                        fields.EventTime = value;
                        fields.Markers |= KindMarkers.Impersonation;
                        break;
                    case RecordField.Hits:
                        fields.Hits = value;
                        fields.Markers |= KindMarkers.Impersonation;
                        break;
                    case RecordField.TaggedMalicious:
                        fields.TaggedMalicious = value;
                        fields.Markers |= KindMarkers.Impersonation;
                        break;
                    case RecordField.AttachmentMarker:
                        fields.Markers |= KindMarkers.Attachment;
                        break;
                    case RecordField.ImpersonationMarker:
                        fields.Markers |= KindMarkers.Impersonation;
                        break;
                    default:
                        break;
                }

                position = JsonScan.SkipWhitespace(data, position);
                if (position >= data.Length)
                {
                    return RecordOutcome.NeedMoreData;
                }

                byte next = data[position];
                if (next == (byte)'}')
                {
                    position++;
                    break;
                }

                if (next != (byte)',')
                {
                    throw new JsonSyntaxException(position, $"expected ',' or '}}' after a property value, got {JsonScan.DescribeByte(next)}");
                }

                position = JsonScan.SkipWhitespace(data, position + 1);
                if (position >= data.Length)
                {
                    return RecordOutcome.NeedMoreData;
                }
            }
        }

        Commit(ref fields, source ?? SourceOf(fields.Markers));
        end = position;
        return RecordOutcome.Committed;
    }

    private ReadOnlySpan<byte> Unescape(ReadOnlySpan<byte> raw, RecordField field)
    {
        if (_escapeArena.Length - _escapeArenaUsed < raw.Length)
        {
            // Spans already taken from the old arena stay valid: it is left to the GC, not reused.
            _escapeArena = new byte[Math.Max(raw.Length, Math.Max(256, _escapeArena.Length * 2))];
            _escapeArenaUsed = 0;
        }

        Span<byte> destination = _escapeArena.AsSpan(_escapeArenaUsed);
        int written = JsonScan.Unescape(raw, destination);
        if (written < 0)
        {
            throw Error($"{FieldName(field)} is not valid text (a \\u escape leaves a surrogate unpaired)");
        }

        _escapeArenaUsed += written;
        return destination[..written];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private RecordSource SourceOf(KindMarkers markers) => markers switch
    {
        KindMarkers.None => RecordSource.SeedEntry,
        KindMarkers.Click => RecordSource.UrlClickLog,
        KindMarkers.Attachment => RecordSource.AttachmentLog,
        KindMarkers.Impersonation => RecordSource.ImpersonationLog,
        _ => throw MixedKinds(),
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvalidInputException MixedKinds() => Error(
            "has fields of more than one Mimecast log kind (URL click: userEmailAddress/scanResult; attachment: " +
            "result/fileHash/actionTriggered; impersonation: eventTime/hits/taggedMalicious/identifiers/impersonationResults)");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Commit(scoped ref RecordFields fields, RecordSource source)
    {
        Span<byte> dateBuffer = stackalloc byte[10];
        scoped ReadOnlySpan<byte> date;
        scoped ReadOnlySpan<byte> recipient;
        ThreatCategory category;
        ThreatAlert alert;
        switch (source)
        {
            case RecordSource.SeedEntry:
                date = fields.Date.Type switch
                {
                    ValueKind.Missing => TtpMetricsAccumulator.UnknownDate,
                    ValueKind.String => fields.Date.Utf8,
                    _ => throw Error($"date must be a string, got {Describe(fields.Date.Type)}"),
                };
                category = fields.Category.Type switch
                {
                    ValueKind.Missing => ThreatCategory.Other,
                    ValueKind.String => ClassifySeedCategory(fields.Category.Utf8),
                    _ => throw Error($"category must be a string, got {Describe(fields.Category.Type)}"),
                };
                recipient = fields.Recipient.Type switch
                {
                    ValueKind.Missing or ValueKind.Null => default,
                    ValueKind.String => fields.Recipient.Utf8,
                    _ => throw Error($"recipient must be a string or null, got {Describe(fields.Recipient.Type)}"),
                };
                alert = category switch
                {
                    ThreatCategory.UrlThreat => ThreatAlert.UrlProtection,
                    ThreatCategory.AttachmentThreat => ThreatAlert.UnsafeEmailAttachment,
                    ThreatCategory.Impersonation => ThreatAlert.ImpersonationAttempt,
                    ThreatCategory.InternalThreat => ThreatAlert.InternalEmailProtect,
                    _ => ThreatAlert.None,
                };
                break;
            case RecordSource.UrlClickLog:
                date = TimestampDate(in fields.Date, RecordField.Date, dateBuffer);
                recipient = OptionalString(in fields.UserEmailAddress, RecordField.UserEmailAddress);
                category = MimecastVerdicts.ClassifyClick(
                    OptionalString(in fields.ScanResult, RecordField.ScanResult),
                    OptionalString(in fields.Action, RecordField.Action),
                    OptionalString(in fields.Route, RecordField.Route));
                alert = category >= ThreatCategory.UrlThreat ? ThreatAlert.UrlProtection : ThreatAlert.None;
                break;
            case RecordSource.AttachmentLog:
                date = TimestampDate(in fields.Date, RecordField.Date, dateBuffer);
                recipient = OptionalString(in fields.RecipientAddress, RecordField.RecipientAddress);
                category = MimecastVerdicts.ClassifyAttachment(
                    OptionalString(in fields.Result, RecordField.Result),
                    OptionalString(in fields.Route, RecordField.Route));
                alert = category >= ThreatCategory.UrlThreat ? ThreatAlert.UnsafeEmailAttachment : ThreatAlert.None;
                break;
            default:
                date = fields.EventTime.Type is ValueKind.Missing or ValueKind.Null
                    ? TimestampDate(in fields.Date, RecordField.Date, dateBuffer)
                    : TimestampDate(in fields.EventTime, RecordField.EventTime, dateBuffer);
                recipient = OptionalString(in fields.RecipientAddress, RecordField.RecipientAddress);
                category = MimecastVerdicts.ClassifyImpersonation(
                    OptionalHits(in fields.Hits),
                    OptionalBoolean(in fields.TaggedMalicious, RecordField.TaggedMalicious),
                    OptionalString(in fields.Action, RecordField.Action),
                    OptionalString(in fields.Route, RecordField.Route));
                alert = category >= ThreatCategory.UrlThreat ? ThreatAlert.ImpersonationAttempt : ThreatAlert.None;
                break;
        }

        try
        {
            _accumulator.Add(source, date, category, alert, recipient);
        }
        catch (InvalidInputException ex)
        {
            throw Error(ex.Message);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ThreatCategory ClassifySeedCategory(ReadOnlySpan<byte> category) =>
        !SeedCategory.ContainsNonAscii(category) || Utf8.IsValid(category)
            ? SeedCategory.Classify(category)
            : throw Error("category is not valid UTF-8");

    private ReadOnlySpan<byte> OptionalString(scoped in FieldValue value, RecordField field) => value.Type switch
    {
        ValueKind.Missing or ValueKind.Null => default,
        ValueKind.String => value.Utf8,
        _ => throw Error($"{FieldName(field)} must be a string, got {Describe(value.Type)}"),
    };

    private bool? OptionalBoolean(scoped in FieldValue value, RecordField field) => value.Type switch
    {
        ValueKind.Missing or ValueKind.Null => null,
        ValueKind.True => true,
        ValueKind.False => false,
        _ => throw Error($"{FieldName(field)} must be true or false, got {Describe(value.Type)}"),
    };

    private long? OptionalHits(scoped in FieldValue value)
    {
        switch (value.Type)
        {
            case ValueKind.Missing or ValueKind.Null:
                return null;
            case ValueKind.Number when Utf8Parser.TryParse(value.Utf8, out long hits, out int used) && used == value.Utf8.Length && hits >= 0:
                return hits;
            default:
                throw Error($"hits must be a whole number of 0 or more, got {Describe(value.Type)}");
        }
    }

    private ReadOnlySpan<byte> TimestampDate(scoped in FieldValue value, RecordField field, Span<byte> destination)
    {
        switch (value.Type)
        {
            case ValueKind.Missing or ValueKind.Null:
                return TtpMetricsAccumulator.UnknownDate;
            case ValueKind.String when MimecastTimestamp.TryGetUtcDate(value.Utf8, destination):
                return destination;
            case ValueKind.String:
                throw Error($"{FieldName(field)} {Quote(value.Utf8)} is not a timestamp like 2024-11-17T17:02:30+0000");
            default:
                throw Error($"{FieldName(field)} must be a string, got {Describe(value.Type)}");
        }
    }

    private static string Quote(ReadOnlySpan<byte> utf8) => $"'{PrintableText.OneLine(Encoding.UTF8.GetString(utf8), MaxQuotedValueChars)}'";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static RecordField IdentifyField(ReadOnlySpan<byte> rawName, bool escaped) =>
        escaped ? IdentifyEscapedField(rawName) : IdentifyField(rawName);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RecordField IdentifyEscapedField(ReadOnlySpan<byte> rawName)
    {
        if (rawName.Length > MaxEscapedNameBytes)
        {
            return RecordField.Unknown;
        }

        Span<byte> unescaped = stackalloc byte[MaxEscapedNameBytes];
        int written = JsonScan.Unescape(rawName, unescaped);

        // Not valid text cannot be one of our names.
        return written < 0 ? RecordField.Unknown : IdentifyField(unescaped[..written]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static RecordField IdentifyField(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when name.SequenceEqual("date"u8) => RecordField.Date,
        4 when name.SequenceEqual("hits"u8) => RecordField.Hits,
        4 when name.SequenceEqual("data"u8) => RecordField.Data,
        4 when name.SequenceEqual("meta"u8) => RecordField.Meta,
        4 when name.SequenceEqual("fail"u8) => RecordField.Fail,
        5 when name.SequenceEqual("route"u8) => RecordField.Route,
        6 when name.SequenceEqual("result"u8) => RecordField.Result,
        6 when name.SequenceEqual("action"u8) => RecordField.Action,
        8 when name.SequenceEqual("category"u8) => RecordField.Category,
        8 when name.SequenceEqual("fileHash"u8) => RecordField.AttachmentMarker,
        9 when name.SequenceEqual("recipient"u8) => RecordField.Recipient,
        9 when name.SequenceEqual("eventTime"u8) => RecordField.EventTime,
        9 when name.SequenceEqual("clickLogs"u8) => RecordField.ClickLogs,
        10 when name.SequenceEqual("scanResult"u8) => RecordField.ScanResult,
        11 when name.SequenceEqual("identifiers"u8) => RecordField.ImpersonationMarker,
        14 when name.SequenceEqual("attachmentLogs"u8) => RecordField.AttachmentLogs,
        14 when name.SequenceEqual("taggedExternal"u8) => RecordField.ImpersonationMarker,
        15 when name.SequenceEqual("taggedMalicious"u8) => RecordField.TaggedMalicious,
        15 when name.SequenceEqual("actionTriggered"u8) => RecordField.AttachmentMarker,
        16 when name.SequenceEqual("userEmailAddress"u8) => RecordField.UserEmailAddress,
        16 when name.SequenceEqual("recipientAddress"u8) => RecordField.RecipientAddress,
        17 when name.SequenceEqual("impersonationLogs"u8) => RecordField.ImpersonationLogs,
        20 when name.SequenceEqual("impersonationResults"u8) => RecordField.ImpersonationMarker,
        _ => RecordField.Unknown,
    };

    private static string FieldName(RecordField field) => field switch
    {
        RecordField.Date => "date",
        RecordField.Category => "category",
        RecordField.Recipient => "recipient",
        RecordField.UserEmailAddress => "userEmailAddress",
        RecordField.RecipientAddress => "recipientAddress",
        RecordField.ScanResult => "scanResult",
        RecordField.Result => "result",
        RecordField.Action => "action",
        RecordField.Route => "route",
        RecordField.EventTime => "eventTime",
        RecordField.Hits => "hits",
        RecordField.TaggedMalicious => "taggedMalicious",
        _ => field.ToString(),
    };

    private static string Describe(ValueKind kind) => kind switch
    {
        ValueKind.String => "a string",
        ValueKind.Number => "a number",
        ValueKind.True or ValueKind.False => "a boolean",
        ValueKind.Null => "null",
        ValueKind.Object => "an object",
        _ => "a list",
    };

    /// <summary>A value as found: its kind and, for strings and numbers, its unescaped UTF-8 bytes.</summary>
    private readonly ref struct FieldValue(ValueKind type, ReadOnlySpan<byte> utf8)
    {
        public ValueKind Type { get; } = type;

        public ReadOnlySpan<byte> Utf8 { get; } = utf8;
    }

    /// <summary>The fields of one record that any of the four record shapes uses; a later duplicate key wins, as in Python.</summary>
    private ref struct RecordFields
    {
        public FieldValue Date;
        public FieldValue Category;
        public FieldValue Recipient;
        public FieldValue UserEmailAddress;
        public FieldValue RecipientAddress;
        public FieldValue ScanResult;
        public FieldValue Result;
        public FieldValue Action;
        public FieldValue Route;
        public FieldValue EventTime;
        public FieldValue Hits;
        public FieldValue TaggedMalicious;
        public KindMarkers Markers;
    }
}
