using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using MathNet.Numerics.Statistics;
using RadMah.Engine.Analysis.Sketches;

namespace RadMah.Engine.Analysis.Profiling;

/// <summary>
/// Everything one pass learns about one column, fed batch by batch in row order. Text values are
/// classified (<see cref="ValueClassifier"/>) and every reading kept side by side: as numbers, as
/// dates in each format they fit, as strings (distinct count, top values, lengths, shapes), so
/// the type can be decided at the end without a second pass. Memory is bounded: exact sets and
/// value lists switch to sketches past their limits.
/// </summary>
public sealed class ColumnProfiler(string name, int index, ulong seed, bool keySignatures = false)
{
    /// <summary>For foreign-key search across tables: a sample of the distinct values and a membership filter.</summary>
    public DistinctSample? KeySample { get; } = keySignatures ? new DistinctSample() : null;
    public BloomFilter? KeyFilter { get; } = keySignatures ? new BloomFilter() : null;

    /// <summary>Columns whose name says phone, postal code or id keep the shapes of all their values, digits-only ones included.</summary>
    private readonly bool _patternsForAll = ColumnNameHints.Of(name) is { Phone: true } or { Postal: true } or { Id: true };

    public const int ExactDistinctLimit = 100_000;
    private const int ExampleLimit = 20;
    private const int PatternLimit = 50;

    public string Name { get; } = name;
    public int Index { get; } = index;

    /// <summary>Arrow type of the column as read (utf8, int64, double, bool, timestamp, date32).</summary>
    public string PhysicalType { get; private set; } = "utf8";

    private long _rows;
    private long _missing;
    private readonly Dictionary<string, long> _missingSpellings = new(StringComparer.Ordinal);
    /// <summary>Values of each shape, indexed by the shape's bit.</summary>
    private readonly long[] _shapes = new long[32];
    private long _textValues;

    private readonly RunningStatistics _numberStats = new();
    private readonly QuantileSketch _numbers = new(seed);
    private bool _allIntegers = true;
    private int _maxScale;
    private int _maxPlaces;

    private readonly Dictionary<uint, TemporalAccumulator> _dates = [];
    private long _dateValues;

    private HashSet<ulong>? _exactDistinct = [];
    private HyperLogLog? _distinctSketch;
    private TopValues _top = new(TextOf);
    private readonly Dictionary<string, long> _patterns = new(StringComparer.Ordinal);
    private long _lengthSum;
    private int _minLength = int.MaxValue;
    private int _maxLength;
    private long _trueWords;
    private long _falseWords;

    private sealed class TemporalAccumulator(ulong seed)
    {
        public long Count;
        public long Unique;
        public long Min = long.MaxValue;
        public long Max = long.MinValue;
        public bool HasTime;
        public readonly QuantileSketch Sketch = new(seed);

        public void Merge(TemporalAccumulator other)
        {
            Count += other.Count;
            Unique += other.Unique;
            Min = Math.Min(Min, other.Min);
            Max = Math.Max(Max, other.Max);
            HasTime |= other.HasTime;
            Sketch.Merge(other.Sketch);
        }

        public void Add(long epoch, bool hasTime, bool unique)
        {
            Count++;
            if (unique) Unique++;
            if (epoch < Min) Min = epoch;
            if (epoch > Max) Max = epoch;
            HasTime |= hasTime;
            Sketch.Add(epoch);
        }
    }

    /// <summary>
    /// Adds a batch's values. Per row it writes the value's hash (0 for missing), its number and
    /// its instant in seconds (NaN when it has none), for the table-level statistics.
    /// </summary>
    public void Add(IArrowArray array, Span<ulong> hashes, Span<double> numbers, Span<double> instants)
    {
        switch (array)
        {
            case StringArray text: AddText(text, hashes, numbers, instants); break;
            case Int64Array ints: AddTyped(ints.Length, "int64", ints.IsNull, i => ints.GetValue(i)!.Value, true, hashes, numbers, instants); break;
            case DoubleArray reals: AddTyped(reals.Length, "double", reals.IsNull, i => reals.GetValue(i)!.Value, false, hashes, numbers, instants); break;
            case BooleanArray bools: AddBooleans(bools, hashes, numbers, instants); break;
            case TimestampArray ts: AddInstants(ts.Length, "timestamp", ts.IsNull, i => ts.GetTimestamp(i)!.Value.ToUnixTimeSeconds(), true, hashes, numbers, instants); break;
            case Date32Array dates: AddInstants(dates.Length, "date32", dates.IsNull, i => (long)dates.GetValue(i)!.Value * 86_400, false, hashes, numbers, instants); break;
            default: throw new NotSupportedException($"column {Name}: Arrow type {array.Data.DataType.Name} is not an analysis type.");
        }
    }

    private void AddText(StringArray array, Span<ulong> hashes, Span<double> numbers, Span<double> instants)
    {
        PhysicalType = "utf8";
        var classified = new ClassifiedValue();
        Span<DateReading> readings = stackalloc DateReading[2];
        for (var i = 0; i < array.Length; i++)
        {
            _rows++;
            numbers[i] = double.NaN;
            instants[i] = double.NaN;
            if (array.IsNull(i))
            {
                Missing("(null)");
                hashes[i] = 0;
                continue;
            }
            ValueClassifier.Classify(array.GetBytes(i), ref classified, readings);
            if (classified.Missing)
            {
                Missing(classified.Text);
                hashes[i] = 0;
                continue;
            }
            _textValues++;
            var t = classified.Text;
            var shape = classified.Shape;
            for (var bits = (uint)shape; bits != 0; bits &= bits - 1) _shapes[System.Numerics.BitOperations.TrailingZeroCount(bits)]++;
            if ((shape & (TextShape.Integer | TextShape.Decimal)) != 0)
            {
                var n = classified.Number;
                _numberStats.Push(n.Value);
                _numbers.Add(n.Value);
                if (!n.IsInteger) _allIntegers = false;
                if (n.Scale > _maxScale) _maxScale = n.Scale;
                if (n.Scale - n.Exponent > _maxPlaces) _maxPlaces = n.Scale - n.Exponent;
                numbers[i] = n.Value;
            }
            if (classified.DateReadings > 0)
            {
                _dateValues++;
                var unique = classified.DateReadings == 1;
                for (var r = 0; r < classified.DateReadings; r++)
                {
                    if (!_dates.TryGetValue(readings[r].FormatKey, out var accumulator))
                        _dates[readings[r].FormatKey] = accumulator = new TemporalAccumulator(seed + (ulong)_dates.Count + 1);
                    accumulator.Add(readings[r].EpochSeconds, readings[r].HasTime, unique);
                }
                instants[i] = readings[0].EpochSeconds;
            }
            if ((shape & TextShape.Boolean) != 0 || (shape & TextShape.ZeroOne) != 0)
            {
                var c = t[0] | 0x20;
                if (c is 't' or 'y' or '1') _trueWords++; else _falseWords++;
            }
            _lengthSum += classified.Length;
            if (classified.Length < _minLength) _minLength = classified.Length;
            if (classified.Length > _maxLength) _maxLength = classified.Length;
            var hash = XxHash3.HashToUInt64(t);
            if (hash == 0) hash = 1;
            hashes[i] = hash;
            // While the top-value table is exact it holds every distinct value: a value it knew is no new distinct one.
            if (_top.Add(hash, t) || !_top.IsExact) CountDistinct(hash);
            if (_patternsForAll || (shape & (TextShape.CodeLike | TextShape.LeadingZero | TextShape.PostalCode | TextShape.Uuid | TextShape.Phone | TextShape.NationalId)) != 0)
                CountPattern(t);
        }
    }

    private void AddTyped(int length, string physical, Func<int, bool> isNull, Func<int, double> value, bool integers,
        Span<ulong> hashes, Span<double> numbers, Span<double> instants)
    {
        UsePhysical(physical, NumberOf);
        for (var i = 0; i < length; i++)
        {
            _rows++;
            instants[i] = double.NaN;
            if (isNull(i))
            {
                Missing("(null)");
                hashes[i] = 0;
                numbers[i] = double.NaN;
                continue;
            }
            var v = value(i);
            if (!double.IsFinite(v))
            {
                Missing(double.IsNaN(v) ? "NaN" : "Infinity");
                hashes[i] = 0;
                numbers[i] = double.NaN;
                continue;
            }
            _textValues++;
            _numberStats.Push(v);
            _numbers.Add(v);
            if (!integers && v != Math.Floor(v)) _allIntegers = false;
            if (!integers) _maxScale = _maxPlaces = Math.Max(_maxScale, ScaleOf(v));
            numbers[i] = v;
            var hash = HashNumber(v);
            hashes[i] = hash;
            if (_top.Add(hash, MemoryMarshal.AsBytes(new ReadOnlySpan<double>(ref v))) || !_top.IsExact) CountDistinct(hash);
        }
    }

    private void AddBooleans(BooleanArray array, Span<ulong> hashes, Span<double> numbers, Span<double> instants)
    {
        UsePhysical("bool", static (bytes, _) => bytes[0] == 1 ? "true" : "false");
        for (var i = 0; i < array.Length; i++)
        {
            _rows++;
            instants[i] = double.NaN;
            if (array.GetValue(i) is not { } b)
            {
                Missing("(null)");
                hashes[i] = 0;
                numbers[i] = double.NaN;
                continue;
            }
            _textValues++;
            if (b) _trueWords++; else _falseWords++;
            numbers[i] = b ? 1 : 0;
            hashes[i] = b ? 2UL : 3UL;
            CountDistinct(hashes[i]);
            _top.Add(hashes[i], b ? [1] : [0]);
        }
    }

    private void AddInstants(int length, string physical, Func<int, bool> isNull, Func<int, long> epoch, bool hasTime,
        Span<ulong> hashes, Span<double> numbers, Span<double> instants)
    {
        UsePhysical(physical, hasTime ? static (bytes, _) => Iso(BitConverter.ToInt64(bytes), true) : static (bytes, _) => Iso(BitConverter.ToInt64(bytes), false));
        // Typed instants have no written format: one accumulator under key 0.
        if (!_dates.TryGetValue(0, out var accumulator)) _dates[0] = accumulator = new TemporalAccumulator(seed + 1);
        for (var i = 0; i < length; i++)
        {
            _rows++;
            numbers[i] = double.NaN;
            if (isNull(i))
            {
                Missing("(null)");
                hashes[i] = 0;
                instants[i] = double.NaN;
                continue;
            }
            _textValues++;
            _dateValues++;
            var e = epoch(i);
            accumulator.Add(e, hasTime, unique: true);
            instants[i] = e;
            var hash = HashNumber(e);
            hashes[i] = hash;
            if (_top.Add(hash, MemoryMarshal.AsBytes(new ReadOnlySpan<long>(ref e))) || !_top.IsExact) CountDistinct(hash);
        }
    }

    /// <summary>Rows in which the column does not occur at all (a JSON Lines member first seen later): missing.</summary>
    public void AddAbsent(long rows)
    {
        _rows += rows;
        _missing += rows;
        _missingSpellings["(absent)"] = _missingSpellings.GetValueOrDefault("(absent)") + rows;
    }

    private static string TextOf(byte[] bytes, int length) => Encoding.UTF8.GetString(bytes, 0, length);

    private static string NumberOf(byte[] bytes, int length) => BitConverter.ToDouble(bytes).ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Arrow readers keep a column's type from batch to batch; the first batch sets how its top values are spelled.</summary>
    private void UsePhysical(string physical, Func<byte[], int, string> format)
    {
        if (PhysicalType == physical) return;
        PhysicalType = physical;
        _top = new TopValues(format);
    }

    private void Missing(ReadOnlySpan<byte> spelling)
    {
        _missing++;
        if (_missingSpellings.Count >= 32) return;
        var key = Encoding.UTF8.GetString(spelling);
        _missingSpellings[key] = _missingSpellings.GetValueOrDefault(key) + 1;
    }

    private void Missing(string spelling)
    {
        _missing++;
        _missingSpellings[spelling] = _missingSpellings.GetValueOrDefault(spelling) + 1;
    }

    private void CountDistinct(ulong hash)
    {
        KeySample?.Add(hash);
        KeyFilter?.Add(hash);
        if (_exactDistinct is not null)
        {
            _exactDistinct.Add(hash);
            if (_exactDistinct.Count <= ExactDistinctLimit) return;
            _distinctSketch = new HyperLogLog();
            foreach (var h in _exactDistinct) _distinctSketch.Add(SpreadHash(h));
            _exactDistinct = null;
            return;
        }
        _distinctSketch!.Add(SpreadHash(hash));
    }

    /// <summary>Hashes of small typed values (booleans: 2 and 3) are not uniform; mix them before HyperLogLog looks at their bits.</summary>
    private static ulong SpreadHash(ulong h) => Randomness.SplitMix64.Mix64(h);

    private static ulong HashNumber(double v)
    {
        var bits = BitConverter.DoubleToInt64Bits(v == 0 ? 0.0 : v);
        var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(new ReadOnlySpan<long>(ref bits)));
        return hash == 0 ? 1 : hash;
    }

    private void CountPattern(ReadOnlySpan<byte> t)
    {
        if (t.Length > 40) return;
        Span<char> shape = stackalloc char[t.Length];
        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            shape[i] = (uint)(c - '0') <= 9 ? '9' : (uint)((c | 0x20) - 'a') <= 25 ? ((uint)(c - 'A') <= 25 ? 'A' : 'a') : (char)c;
        }
        var lookup = _patterns.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(shape, out var count)) lookup[shape] = count + 1;
        else if (_patterns.Count < PatternLimit) lookup[shape] = 1;
    }

    private static int ScaleOf(double v)
    {
        for (var scale = 0; scale <= 10; scale++)
        {
            var scaled = v * Math.Pow(10, scale);
            if (Math.Abs(scaled - Math.Round(scaled)) < 1e-6 * Math.Max(1, Math.Abs(scaled))) return scale;
        }
        return 10;
    }

    public static string Iso(long epochSeconds, bool withTime)
    {
        var t = DateTime.UnixEpoch.AddSeconds(epochSeconds);
        return withTime ? t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    // ---- reading the result ----

    public long Rows => _rows;
    public long MissingCount => _missing;
    public long Present => _textValues;
    public CountEstimate Distinct => _exactDistinct is not null ? new(_exactDistinct.Count, true) : new(_distinctSketch!.Estimate(), false);
    public bool IsText => PhysicalType == "utf8";
    public long ShapeCount(TextShape shape) => _shapes[System.Numerics.BitOperations.TrailingZeroCount((uint)shape)];
    public double Share(TextShape shape) => _textValues == 0 ? 0 : (double)ShapeCount(shape) / _textValues;
    public long NumberCount => _numbers.Count;
    public bool AllIntegers => _allIntegers;
    public double NumberMin => _numberStats.Minimum;
    public double NumberMax => _numberStats.Maximum;
    public TopValues Top => _top;
    public int MinLength => _textValues == 0 ? 0 : _minLength;
    public int MaxLength => _maxLength;
    public double MeanLength => _textValues == 0 ? 0 : (double)_lengthSum / _textValues;
    public long DateValues => _dateValues;
    public (long True, long False) BooleanWords => (_trueWords, _falseWords);
    public IReadOnlyDictionary<string, long> MissingSpellings => _missingSpellings;
    public IReadOnlyDictionary<string, long> Patterns => _patterns;

    internal static readonly double[] ReportedProbabilities = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
    internal static readonly double[] Percents = [.. Enumerable.Range(0, 101).Select(p => p / 100.0)];

    public NumericSummary? NumericSummary()
    {
        if (_numbers.Count == 0) return null;
        var quantiles = _numbers.Quantiles(ReportedProbabilities);
        var percentiles = _numbers.Quantiles(Percents);
        percentiles[0] = _numberStats.Minimum;
        percentiles[^1] = _numberStats.Maximum;
        var edges = HistogramEdges(_numberStats.Minimum, _numberStats.Maximum, _allIntegers);
        return new NumericSummary
        {
            Min = _numberStats.Minimum,
            Max = _numberStats.Maximum,
            Mean = _numberStats.Mean,
            Std = _numbers.Count > 1 ? _numberStats.StandardDeviation : 0,
            Quantiles = ReportedProbabilities.Select((p, i) => (p, quantiles[i])).ToDictionary(x => Key(x.p), x => x.Item2),
            Exact = _numbers.IsExact,
            Histogram = new Histogram(edges, _numbers.Histogram(edges)),
            Scale = _maxScale,
            Places = _maxPlaces,
            IntegerValued = _allIntegers,
            Percentiles = percentiles,
        };
    }

    /// <summary>
    /// The date formats the column is written in and their merged statistics. Of the two readings of a
    /// day/month-ambiguous value, the order that the unambiguous values use wins (on a tie: month
    /// first for slashes, day first otherwise).
    /// </summary>
    public TemporalSummary? TemporalSummary()
    {
        if (_dateValues == 0) return null;
        // One format per spelling, whatever the digit counts (d matches 15 as well as 5).
        var groups = new Dictionary<uint, (TemporalAccumulator Acc, uint Widths)>();
        foreach (var (key, acc) in _dates.OrderBy(kv => kv.Key))
        {
            var baseKey = key & ~DateParser.WidthBits;
            if (!groups.TryGetValue(baseKey, out var group))
            {
                var merged = new TemporalAccumulator(seed + baseKey);
                merged.Merge(acc);
                groups[baseKey] = (merged, key & DateParser.WidthBits);
            }
            else
            {
                group.Acc.Merge(acc);
                groups[baseKey] = (group.Acc, group.Widths & key);
            }
        }
        var chosen = groups.Keys.ToHashSet();
        foreach (var key in groups.Keys.Where(DateParser.IsDayFirst))
        {
            var other = DateParser.Swapped(key);
            if (!groups.TryGetValue(other, out var monthFirst)) continue;
            var dayFirst = groups[key].Acc;
            var preferMonthFirst = monthFirst.Acc.Unique > dayFirst.Unique
                || monthFirst.Acc.Unique == dayFirst.Unique && DateParser.Describe(key).Contains('/');
            chosen.Remove(preferMonthFirst ? key : other);
        }
        var kept = chosen.OrderByDescending(k => groups[k].Acc.Count).ThenBy(k => k).Select(k => (Key: k | groups[k].Widths, groups[k].Acc)).ToList();
        var all = new QuantileSketch(seed);
        foreach (var (_, acc) in kept) all.Merge(acc.Sketch);
        var min = kept.Min(k => k.Acc.Min);
        var max = kept.Max(k => k.Acc.Max);
        var hasTime = kept.Any(k => k.Acc.HasTime);
        var total = Math.Max(1, kept.Sum(k => k.Acc.Count));
        var quantiles = all.Quantiles(ReportedProbabilities);
        var percentiles = all.Quantiles(Percents);
        percentiles[0] = min;
        percentiles[^1] = max;
        var edges = HistogramEdges(min, max, integers: true);
        return new TemporalSummary
        {
            Formats = kept.Select(k => new FormatShare(k.Key == 0 ? (hasTime ? "timestamp" : "date") : DateParser.Describe(k.Key), Math.Round((double)k.Acc.Count / total, 6))).ToList(),
            Min = Iso(min, hasTime),
            Max = Iso(max, hasTime),
            Quantiles = ReportedProbabilities.Select((p, i) => (p, quantiles[i])).ToDictionary(x => Key(x.p), x => Iso((long)Math.Round(x.Item2), hasTime)),
            Exact = all.IsExact,
            Histogram = new Histogram(edges, all.Histogram(edges)),
            HasTime = hasTime,
            Percentiles = percentiles,
        };
    }

    private static string Key(double p) => p.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Up to 20 equal-width bins over [min, max]; integer data gets whole-number widths.</summary>
    private static double[] HistogramEdges(double min, double max, bool integers)
    {
        if (!(max > min)) return [min, min + (integers ? 1 : Math.Max(1e-9, Math.Abs(min) * 1e-9))];
        var bins = 20;
        var width = (max - min) / bins;
        if (integers)
        {
            width = Math.Max(1, Math.Ceiling(width));
            bins = (int)Math.Ceiling((max - min) / width);
            if (min + bins * width <= max) bins++;
        }
        var edges = new double[bins + 1];
        for (var i = 0; i <= bins; i++) edges[i] = min + i * width;
        edges[^1] = Math.Max(edges[^1], max);
        return edges;
    }
}
