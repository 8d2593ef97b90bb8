using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>
/// An insertion-ordered hash table keyed by UTF-8 bytes, so a record's date or recipient is looked up straight from
/// the read buffer without allocating a string. Keys live in 1 MiB chunks (in all, about key length + 30 bytes per
/// distinct key for a recipient count); entries are never removed, so an entry's index is its insertion order, which
/// the seed's output needs.
/// </summary>
internal sealed class Utf8KeyTable<TValue>
    where TValue : struct
{
    private const int OffsetBits = 20;
    private const int ChunkSize = 1 << OffsetBits;

    private readonly List<byte[]> _chunks = [];
    private readonly int _maxCount;
    private readonly long _maxKeyBytes;
    private readonly ulong _seed = (ulong)Random.Shared.NextInt64();
    private readonly string _pluralNoun;
    private readonly string _fieldName;
    private int[] _buckets = new int[64];
    private Entry[] _entries = new Entry[64];
    private int _count;
    private int _currentChunk = -1;
    private int _chunkUsed;
    private long _keyBytes;
    private int _lastIndex = -1;

    /// <param name="maxCount">Distinct keys allowed; one more is an <see cref="Common.InvalidInputException"/>.</param>
    /// <param name="maxKeyBytes">Total UTF-8 bytes of the distinct keys allowed, likewise.</param>
    /// <param name="pluralNoun">What the keys are, for that error, e.g. "recipients".</param>
    /// <param name="fieldName">The field keys come from, for the invalid UTF-8 error.</param>
    public Utf8KeyTable(int maxCount, long maxKeyBytes, string pluralNoun, string fieldName)
    {
        _maxCount = maxCount;
        // A key's location packs its chunk number above a 20-bit offset: 1 GiB of keys at most, far above any real need.
        _maxKeyBytes = Math.Min(maxKeyBytes, 1L << 30);
        _pluralNoun = pluralNoun;
        _fieldName = fieldName;
    }

    public int Count => _count;

    /// <summary>The value slot for <paramref name="key"/>, adding it with a default value when it is new.</summary>
    /// <remarks><paramref name="key"/> must be valid UTF-8: it is checked only when the key is new.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ref TValue GetOrAdd(ReadOnlySpan<byte> key)
    {
        // Exports are usually grouped by day, so most records repeat the previous record's date.
        int last = _lastIndex;
        if (last >= 0 && JsonScan.BytesEqual(KeyOf(in _entries[last]), key))
        {
            return ref _entries[last].Value;
        }

        int hash = HashOf(key);
        int bucket = hash & (_buckets.Length - 1);
        for (int i = _buckets[bucket] - 1; i >= 0; i = _entries[i].Next)
        {
            ref Entry entry = ref _entries[i];
            if (entry.HashCode == hash && JsonScan.BytesEqual(KeyOf(in entry), key))
            {
                _lastIndex = i;
                return ref entry.Value;
            }
        }

        return ref Add(key, hash);
    }

    public ReadOnlySpan<byte> KeyAt(int index) => KeyOf(in _entries[index]);

    public string KeyStringAt(int index) => Encoding.UTF8.GetString(KeyAt(index));

    public ref TValue ValueAt(int index) => ref _entries[index].Value;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref TValue Add(ReadOnlySpan<byte> key, int hash)
    {
        if (_count == _maxCount)
        {
            throw new Common.InvalidInputException($"more than {_maxCount:N0} distinct {_pluralNoun}, the limit of this analysis");
        }

        if (_keyBytes + key.Length > _maxKeyBytes)
        {
            throw new Common.InvalidInputException(
                $"the distinct {_pluralNoun} take more than {DescribeBytes(_maxKeyBytes)}, the limit of this analysis");
        }

        if (!Utf8.IsValid(key))
        {
            throw new Common.InvalidInputException($"{_fieldName} is not valid UTF-8");
        }

        if (_count == _entries.Length)
        {
            Grow();
        }

        (int chunk, int offset) = StoreKey(key);
        _keyBytes += key.Length;
        int index = _count++;
        int bucket = hash & (_buckets.Length - 1);
        _entries[index] = new Entry
        {
            HashCode = hash,
            Next = _buckets[bucket] - 1,
            Location = (chunk << OffsetBits) | offset,
            Length = key.Length,
        };
        _buckets[bucket] = index + 1;
        _lastIndex = index;
        return ref _entries[index].Value;
    }

    private (int Chunk, int Offset) StoreKey(ReadOnlySpan<byte> key)
    {
        if (key.Length > ChunkSize / 4)
        {
            _chunks.Add(key.ToArray());
            return (_chunks.Count - 1, 0);
        }

        byte[]? current = _currentChunk < 0 ? null : _chunks[_currentChunk];
        if (current is null || current.Length - _chunkUsed < key.Length)
        {
            if (current is not null && current.Length < ChunkSize && ChunkSize - _chunkUsed >= key.Length)
            {
                // The first chunk grows by doubling: most runs have a few thousand short keys.
                int size = current.Length * 2;
                while (size - _chunkUsed < key.Length)
                {
                    size *= 2;
                }

                Array.Resize(ref current, Math.Min(size, ChunkSize));
                _chunks[_currentChunk] = current;
            }
            else
            {
                current = new byte[current is null ? 16 * 1024 : ChunkSize];
                _chunks.Add(current);
                _currentChunk = _chunks.Count - 1;
                _chunkUsed = 0;
            }
        }

        key.CopyTo(current.AsSpan(_chunkUsed));
        int offset = _chunkUsed;
        _chunkUsed += key.Length;
        return (_currentChunk, offset);
    }

    private void Grow()
    {
        int size = _entries.Length * 2;
        Array.Resize(ref _entries, size);
        _buckets = new int[size];
        for (int i = 0; i < _count; i++)
        {
            ref Entry entry = ref _entries[i];
            int bucket = entry.HashCode & (size - 1);
            entry.Next = _buckets[bucket] - 1;
            _buckets[bucket] = i + 1;
        }
    }

    private static string DescribeBytes(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024):N0} MiB" : $"{bytes:N0} bytes";

    private ReadOnlySpan<byte> KeyOf(in Entry entry) =>
        _chunks[entry.Location >> OffsetBits].AsSpan(entry.Location & ((1 << OffsetBits) - 1), entry.Length);

    /// <summary>
    /// A multiply-rotate hash over 8-byte words (the last word overlapping the one before), seeded per table so that
    /// keys crafted to collide cannot be prepared in advance; written here rather than taken from the framework so that
    /// it is inlined and fully optimised from the first record on (see docs/analyze-logs.md, performance).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int HashOf(ReadOnlySpan<byte> key)
    {
        ulong hash = _seed ^ ((ulong)key.Length * 0x9E3779B97F4A7C15UL);
        if (key.Length >= 8)
        {
            for (int i = 0; i < key.Length - 8; i += 8)
            {
                hash = BitOperations.RotateLeft((hash ^ MemoryMarshal.Read<ulong>(key[i..])) * 0xBF58476D1CE4E5B9UL, 31);
            }

            hash ^= MemoryMarshal.Read<ulong>(key[(key.Length - 8)..]);
        }
        else if (key.Length >= 4)
        {
            hash ^= ((ulong)MemoryMarshal.Read<uint>(key) << 32) | MemoryMarshal.Read<uint>(key[(key.Length - 4)..]);
        }
        else
        {
            foreach (byte b in key)
            {
                hash = (hash << 8) ^ b;
            }
        }

        // MurmurHash3's finaliser: a multiply only carries differences upwards, the shifts bring them down again,
        // so that the low bits the buckets use depend on every input bit.
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        hash *= 0xC4CEB9FE1A85EC53UL;
        return (int)(hash ^ (hash >> 33));
    }

    [StructLayout(LayoutKind.Auto)]
    private struct Entry
    {
        public int HashCode;
        public int Next;
        public int Location;
        public int Length;
        public TValue Value;
    }
}
