namespace RadMah.Engine.Analysis.Sketches;

/// <summary>
/// Most frequent values of a column: exact counts while at most <see cref="ExactLimit"/> distinct
/// values have been seen; beyond that, the Space-Saving algorithm (Metwally et al. 2005) with
/// <see cref="Counters"/> counters, whose counts overestimate by at most the reported error. A
/// column of unique ids replaces a counter on every row, so counters live in Metwally's
/// Stream-Summary (buckets of equal count in a linked list, least counted first): a count goes up
/// and the least counted is found in O(1). A replaced counter reuses its entry and byte buffer;
/// values stay bytes until reported.
/// </summary>
public sealed class TopValues(Func<byte[], int, string> format)
{
    public const int ExactLimit = 10_000;
    public const int Counters = 1_000;

    private readonly Dictionary<ulong, Entry> _entries = [];
    private Bucket? _smallest;

    public bool IsExact { get; private set; } = true;

    private sealed class Entry
    {
        public ulong Hash;
        public byte[] Bytes = [];
        public int Length;
        public long Count;
        public long Error;
        public Bucket? Bucket;
        public Entry? Previous;
        public Entry? Next;

        public void Set(ulong hash, ReadOnlySpan<byte> value)
        {
            Hash = hash;
            if (Bytes.Length < value.Length) Bytes = new byte[Math.Max(value.Length, 16)];
            value.CopyTo(Bytes);
            Length = value.Length;
        }
    }

    /// <summary>Entries of one count, in a doubly-linked list; buckets are linked by increasing count.</summary>
    private sealed class Bucket(long count)
    {
        public readonly long Count = count;
        public Entry? First;
        public Bucket? Previous;
        public Bucket? Next;
    }

    /// <summary>Counts a value, given by its hash and its bytes (read only when the value is new). True when the value was not tracked before.</summary>
    public bool Add(ulong hash, ReadOnlySpan<byte> value)
    {
        if (_entries.TryGetValue(hash, out var entry))
        {
            if (IsExact) entry.Count++;
            else Increment(entry);
            return false;
        }
        if (IsExact)
        {
            if (_entries.Count < ExactLimit)
            {
                var fresh = new Entry { Count = 1 };
                fresh.Set(hash, value);
                _entries[hash] = fresh;
                return true;
            }
            ToCounters();
        }
        // Space-Saving: the new value takes the place of the least counted, inheriting its count as error.
        var evicted = _smallest!.First!;
        _entries.Remove(evicted.Hash);
        evicted.Error = evicted.Count;
        evicted.Set(hash, value);
        _entries[hash] = evicted;
        Increment(evicted);
        return true;
    }

    private void ToCounters()
    {
        IsExact = false;
        var keep = _entries.Values.OrderBy(e => e.Count).ThenByDescending(e => e.Hash).TakeLast(Counters).ToArray();
        _entries.Clear();
        Bucket? last = null;
        foreach (var e in keep)
        {
            _entries[e.Hash] = e;
            if (last is null || last.Count != e.Count)
            {
                var bucket = new Bucket(e.Count) { Previous = last };
                if (last is null) _smallest = bucket; else last.Next = bucket;
                last = bucket;
            }
            Attach(e, last);
        }
    }

    /// <summary>Moves the entry from its bucket to the bucket of count + 1, creating it after the current one if needed.</summary>
    private void Increment(Entry entry)
    {
        var from = entry.Bucket!;
        var target = entry.Count + 1;
        Detach(entry);
        var to = from.Next;
        if (to is null || to.Count != target)
        {
            to = new Bucket(target) { Previous = from, Next = from.Next };
            if (from.Next is not null) from.Next.Previous = to;
            from.Next = to;
        }
        entry.Count = target;
        Attach(entry, to);
        if (from.First is null) Unlink(from);
    }

    private static void Attach(Entry entry, Bucket bucket)
    {
        entry.Bucket = bucket;
        entry.Previous = null;
        entry.Next = bucket.First;
        if (bucket.First is not null) bucket.First.Previous = entry;
        bucket.First = entry;
    }

    private static void Detach(Entry entry)
    {
        var bucket = entry.Bucket!;
        if (entry.Previous is not null) entry.Previous.Next = entry.Next; else bucket.First = entry.Next;
        if (entry.Next is not null) entry.Next.Previous = entry.Previous;
        entry.Previous = entry.Next = null;
        entry.Bucket = null;
    }

    private void Unlink(Bucket bucket)
    {
        if (bucket.Previous is not null) bucket.Previous.Next = bucket.Next; else _smallest = bucket.Next;
        if (bucket.Next is not null) bucket.Next.Previous = bucket.Previous;
    }

    /// <summary>The <paramref name="k"/> most frequent values, most frequent first (ties by value).</summary>
    public IReadOnlyList<(string Value, long Count, long Error)> Top(int k) =>
        Ranked().Take(k).Select(e => (format(e.Bytes, e.Length), e.Count, e.Error)).ToList();

    /// <summary>Every tracked value with its count (all values when exact).</summary>
    public IReadOnlyList<(string Value, long Count)> All() => Ranked().Select(e => (format(e.Bytes, e.Length), e.Count)).ToList();

    private IEnumerable<Entry> Ranked() =>
        _entries.Values.OrderByDescending(e => e.Count).ThenBy(e => e.Bytes.AsSpan(0, e.Length).ToArray(), ByteOrder.Instance);

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
