namespace RadMah.Engine.Analysis.Sketches;

/// <summary>
/// Exact counts in <see cref="Bins"/> equal-width bins over a range that grows as values arrive:
/// a value outside the range doubles its width (neighbouring bins merge), so memory is fixed and
/// every value is counted. Reported histograms are re-binned from these fine bins, splitting a fine
/// bin between coarse ones by overlap, so their counts are exact up to 1/<see cref="Bins"/> of the range.
/// </summary>
public sealed class StreamingHistogram
{
    public const int Bins = 1024;

    private readonly long[] _counts = new long[Bins];
    private double _low;
    private double _width;

    public long Count { get; private set; }

    /// <summary>Starts with the range [<paramref name="min"/>, <paramref name="max"/>] (values seen so far).</summary>
    public StreamingHistogram(double min, double max)
    {
        _low = min;
        _width = max > min ? (max - min) / (Bins - 1) : Math.Max(1e-9, Math.Abs(min) * 1e-9);
    }

    private StreamingHistogram(StreamingHistogram other)
    {
        _counts = (long[])other._counts.Clone();
        _low = other._low;
        _width = other._width;
        Count = other.Count;
    }

    public StreamingHistogram Clone() => new(this);

    public void Add(double v)
    {
        if (double.IsNaN(v)) return;
        while (v < _low) GrowDown();
        while (v >= _low + _width * Bins) GrowUp();
        var bin = (int)((v - _low) / _width);
        _counts[Math.Clamp(bin, 0, Bins - 1)]++;
        Count++;
    }

    /// <summary>Doubles the width keeping the low edge: bin pairs merge into the lower half.</summary>
    private void GrowUp()
    {
        for (var i = 0; i < Bins / 2; i++) _counts[i] = _counts[2 * i] + _counts[2 * i + 1];
        System.Array.Clear(_counts, Bins / 2, Bins / 2);
        _width *= 2;
    }

    /// <summary>Doubles the width keeping the high edge: bin pairs merge into the upper half.</summary>
    private void GrowDown()
    {
        var high = _low + _width * Bins;
        for (var i = Bins - 1; i >= Bins / 2; i--)
        {
            var source = 2 * i - Bins;
            _counts[i] = _counts[source] + _counts[source + 1];
        }
        System.Array.Clear(_counts, 0, Bins / 2);
        _width *= 2;
        _low = high - _width * Bins;
    }

    /// <summary>Counts in the bins between consecutive <paramref name="edges"/>; they add up to <see cref="Count"/>.</summary>
    public long[] Rebin(IReadOnlyList<double> edges)
    {
        var raw = new double[edges.Count - 1];
        for (var i = 0; i < Bins; i++)
        {
            if (_counts[i] == 0) continue;
            var from = _low + i * _width;
            var to = from + _width;
            for (var b = 0; b < raw.Length; b++)
            {
                var overlap = Math.Min(to, edges[b + 1]) - Math.Max(from, edges[b]);
                if (overlap > 0) raw[b] += _counts[i] * overlap / _width;
            }
            // Mass outside the edges (rounding at the ends) goes to the nearest end bin.
            var inside = raw.Length == 0 ? 0 : Math.Min(to, edges[^1]) - Math.Max(from, edges[0]);
            if (raw.Length > 0 && inside < _width)
            {
                var outside = _counts[i] * (_width - Math.Max(0, inside)) / _width;
                raw[from < edges[0] ? 0 : raw.Length - 1] += outside;
            }
        }
        var counts = raw.Select(r => (long)Math.Round(r)).ToArray();
        var difference = Count - counts.Sum();
        if (counts.Length > 0 && difference != 0) counts[System.Array.IndexOf(counts, counts.Max())] += difference;
        return counts;
    }
}
